"""Headers every page carries (portal.middleware.PrivatePagesMiddleware)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.helpers import client_for, submitted

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_never_stored(org):
    proposal = submitted(org.proposer_dept)
    client = client_for(org.proposer_dept)

    for url in (reverse("home"), reverse("proposals:list"), proposal.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_a_file_keeps_its_own_cache_control(org):
    response = client_for(org.proposer_dept).get(reverse("proposals:record") + "?format=xlsx")

    assert response["Cache-Control"] == "private, no-store"


def test_every_page_forbids_device_features(client, org):
    for response in (client.get(reverse("login")), client_for(org.proposer_dept).get(reverse("home"))):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy



def test_every_page_allows_only_the_portals_own_scripts(client, org):
    for response in (client.get(reverse("login")), client_for(org.proposer_dept).get(reverse("home"))):
        directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_no_template_carries_inline_script():
    templates = Path(__file__).resolve().parent.parent / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"", re.I)

    offending = [str(path.relative_to(templates)) for path in templates.rglob("*.html")
                 if inline.search(path.read_text())]

    assert offending == []
