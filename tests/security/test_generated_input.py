"""Generated input into every page of the portal, for each role: never a server error.

The pages come from the URL configuration, so a new page is covered without anyone adding it here. Each page
gets generated path arguments (the ids of real records, or any number or text), a generated query string of
the parameters the portal reads, and a generated POST of the fields its forms have; whatever comes, the answer
is a page, a redirect or a client error (4xx), and a post refused with a client error has written nothing.
The admin's pages are walked too, by a superuser, a staff member with no model rights and an official, with
its own query parameters (search, ordering, filters, lookups) besides the portal's.
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
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace + ':' if namespace else ''}{entry.name}", prefix + str(entry.pattern)


ROUTES = sorted(set(_routes()))
ADMIN = "admin:"
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
#: What the admin reads besides: search, ordering, page, errors, preserved filters, list filters and lookups.
ADMIN_PARAMETERS = [
    "q", "o", "p", "e", "_changelist_filters", "_popup", "_to_field", "all", "status__exact", "kind__exact",
    "created_at__gte", "created_at__lt", "created_at__year", "id__in", "recipient__id__exact", "is_active__exact",
    "read_at__isnull", "emailed_at__isnull", "category__exact", "unit__id__exact", "action", "_selected_action",
    "select_across", "index", "username", "full_name", "email", "password1", "password2", "name", "code",
    "_save", "_continue", "_addanother", "post", "term", "app_label", "model_name", "field_name",
]


def _records() -> tuple[int, ...]:
    """How many of each kind of record a post could have written."""
    return tuple(model.objects.count() for model in (Proposal, ProposalEvent, OutboxMessage, Attachment, Note))


@pytest.fixture
def people(org):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    staff = UserFactory(username="staff", is_staff=True)
    return {"proposer": org.proposer_dept, "head": org.head_dept, "homeaffairs": org.homeaffairs,
            "superuser": superuser, "staff": staff, "outsider": org.outsider, "anonymous": None}


#: A group of a regular-expression route (the admin's app index and catch-all), e.g. `(?P<app_label>auth|axes)`.
REGEX_GROUP = re.compile(r"\(\?P<\w+>([^()]*)\)")


def _path(route: str, real_ids: list[int], draw) -> str:
    def argument(match):
        converter = match.group(1) or "str"
        if converter == "int":
            return str(draw(st.one_of(st.sampled_from(real_ids), st.integers(min_value=0, max_value=2**70))))
        if converter == "path":
            return str(draw(st.one_of(st.sampled_from(real_ids), st.text(min_size=1, max_size=20))))
        alphabet = string.ascii_letters + string.digits + "-_" if converter == "slug" else string.ascii_letters + "._-"
        return draw(st.text(alphabet=alphabet, min_size=1, max_size=20))

    def group(match):
        body = match.group(1)
        if re.fullmatch(r"[\w|]+", body):
            return draw(st.sampled_from(body.split("|")))
        return draw(st.text(alphabet=string.ascii_letters + "/._-", max_size=20))

    path = REGEX_GROUP.sub(group, route.removeprefix("^").removesuffix("$")).replace("^", "").replace("$", "")
    return "/" + ARGUMENT.sub(argument, path)


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _route in ROUTES])
def test_generated_input_never_meets_a_server_error(people, org, name, route):
    proposal = submitted(org.proposer_dept)
    real_ids = [proposal.pk, proposal.pk + 1, 1]

    admin = name.startswith(ADMIN)
    roles = sorted({"superuser", "staff", "proposer"} if admin else people)
    parameters = st.sampled_from(PARAMETERS + ADMIN_PARAMETERS if admin else PARAMETERS)

    @settings(max_examples=8 if admin else 12, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def run(data):
        who = data.draw(st.sampled_from(roles), label="who")
        client = Client(raise_request_exception=False)
        if people[who] is not None:
            client.force_login(people[who])
        path = _path(route, real_ids, data.draw)
        query = data.draw(st.dictionaries(parameters, TEXT, max_size=5), label="query")
        body = data.draw(st.dictionaries(parameters, TEXT, max_size=8), label="post")
        response = client.get(path, query)
        assert response.status_code < 500, (who, "GET", path, query)
        before = _records()
        response = client.post(path, body)
        assert response.status_code < 500, (who, "POST", path, body)
        if response.status_code >= 400:
            assert _records() == before, ("a refused post changed something", who, path, body)

    run()
