"""Generated input into every page of the portal, for each role: never a server error.

The pages come from the URL configuration, so a new page is covered without anyone adding it here. Each page
gets generated path arguments (the ids of real records, or any number or text), a generated query string of
the parameters the portal reads, and a generated POST of the fields its forms have; whatever comes, the answer
is a page, a redirect or a client error (4xx), and a post refused with a client error has written nothing.
The admin is Django's own and not walked here.
"""

from __future__ import annotations

import re
import string

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proposals.models import Attachment, Note, OutboxMessage, Proposal, ProposalEvent
from tests.factories import UserFactory
from tests.helpers import submitted


def _routes(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace + ':' if namespace else ''}{entry.name}", prefix + str(entry.pattern)


ROUTES = sorted(set(_routes()))
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")

#: Text that has broken web applications: control characters, NUL, huge numbers, dates out of range, markup,
#: SQL, path tricks, right-to-left overrides, combining marks, very long runs.
NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "-1", "0", "99999999999999999999", "1e309", "NaN", "31/12/9999", "00/00/0000",
    "29/02/2023", "2026-13-45", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "\u202e",
    "e\u0301\u0301\u0301", "ß" * 300, "x" * 5000, "[]", "{}", "true", "None", "all", "csv", "xlsx", "pdf",
])
TEXT = st.one_of(NASTY, st.text(max_size=40), st.integers(min_value=-2**70, max_value=2**70).map(str))

#: Every name a page or form of the portal reads from a query string or a POST (and some it does not).
PARAMETERS = [
    "q", "page", "status", "unit", "topic", "overdue", "date_from", "date_to", "authority", "kind", "decided",
    "clock", "compliance", "outcome", "damage", "tier", "reward_kind", "reward_result", "retaliation", "year",
    "user", "format", "target", "authorities", "next", "remove", "date", "name", "language", "part", "fmt",
    "title", "summary", "necessity", "start_date", "end_date", "budget_amount", "involved_units", "creation_token",
    "action", "reason", "message", "number", "decision_date", "reasons", "justification", "text", "unit_id",
    "meeting_date", "report_date", "outcome", "tier_reasons", "description", "beneficiary", "reward", "result",
    "note", "email", "username", "password", "return-message", "reject-reasons", "reject-number",
    "reject-decision_date", "approve-number", "approve-decision_date", "transfer-authority", "comment-text",
    "withdraw-reason", "category", "email_enabled", "measures", "document_date",
]


def _records() -> tuple[int, ...]:
    """How many of each kind of record a post could have written."""
    return tuple(model.objects.count() for model in (Proposal, ProposalEvent, OutboxMessage, Attachment, Note))


@pytest.fixture
def people(org):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    return {"proposer": org.proposer_dept, "head": org.head_dept, "homeaffairs": org.homeaffairs,
            "superuser": superuser, "outsider": org.outsider, "anonymous": None}


def _path(route: str, real_ids: list[int], draw) -> str:
    def argument(match):
        converter = match.group(1) or "str"
        if converter == "int":
            return str(draw(st.one_of(st.sampled_from(real_ids), st.integers(min_value=0, max_value=2**70))))
        alphabet = string.ascii_letters + string.digits + "-_" if converter == "slug" else string.ascii_letters + "._-"
        return draw(st.text(alphabet=alphabet, min_size=1, max_size=20))
    return "/" + ARGUMENT.sub(argument, route)


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _route in ROUTES])
def test_generated_input_never_meets_a_server_error(people, org, name, route):
    proposal = submitted(org.proposer_dept)
    real_ids = [proposal.pk, proposal.pk + 1, 1]

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def run(data):
        who = data.draw(st.sampled_from(sorted(people)), label="who")
        client = Client(raise_request_exception=False)
        if people[who] is not None:
            client.force_login(people[who])
        path = _path(route, real_ids, data.draw)
        query = data.draw(st.dictionaries(st.sampled_from(PARAMETERS), TEXT, max_size=5), label="query")
        body = data.draw(st.dictionaries(st.sampled_from(PARAMETERS), TEXT, max_size=8), label="post")
        response = client.get(path, query)
        assert response.status_code < 500, (who, "GET", path, query)
        before = _records()
        response = client.post(path, body)
        assert response.status_code < 500, (who, "POST", path, body)
        if response.status_code >= 400:
            assert _records() == before, ("a refused post changed something", who, path, body)

    run()
