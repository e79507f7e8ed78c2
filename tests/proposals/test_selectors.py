"""Shared reads of proposals: search without diacritics, inside the searcher's access only."""

import pytest
from django.urls import reverse

from proposals import selectors, services
from proposals.models import Proposal
from tests.helpers import client_for, draft, submitted


@pytest.fixture
def three(org):
    """Three proposals of Sở Xây dựng's division head, decided by Sở Xây dựng; one of the ward's."""
    return {
        "digital": submitted(org.proposer_dept, title="Số hóa hồ sơ cấp phép xây dựng"),
        "trees": submitted(org.proposer_dept, title="Trồng cây xanh đường phố",
                           summary="Phủ xanh vỉa hè bằng cây bản địa."),
        "drainage": submitted(org.proposer_dept, title="Chống ngập khu trung tâm",
                              objectives="Giảm điểm ngập đô thị sau mưa lớn."),
        "ward": submitted(org.proposer_ward, title="Số hóa hồ sơ hộ tịch phường"),
    }


def titles(queryset) -> list[str]:
    return [proposal.title for proposal in queryset]


@pytest.mark.parametrize(("text", "expected"), [
    ("so hoa ho so", ["Số hóa hồ sơ cấp phép xây dựng"]),  # no diacritics typed
    ("SỐ HÓA", ["Số hóa hồ sơ cấp phép xây dựng"]),  # any case
    ("cay ban dia", ["Trồng cây xanh đường phố"]),  # in the summary
    ("diem ngap do thi", ["Chống ngập khu trung tâm"]),  # in the plan
    ("chong ngap -trung", []),  # websearch syntax: a word left out
    ("Chong ngapp", ["Chống ngập khu trung tâm"]),  # a misspelt title, by trigram similarity
    ("khong co gi nhu vay", []),
])
def test_search_ignores_diacritics_and_case_and_reads_the_whole_plan(org, three, text, expected):
    found = selectors.proposal_list_for_author(user=org.proposer_dept, text=text)

    assert titles(found) == expected


def test_search_finds_a_proposal_by_its_reference_and_ranks_the_title_first(org, three):
    reference = three["trees"].reference
    in_title = submitted(org.proposer_dept, title="Ngập úng", summary="Không liên quan")
    in_plan = submitted(org.proposer_dept, title="Vỉa hè", objectives="Giảm ngập úng")

    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text=reference.lower())) == [
        "Trồng cây xanh đường phố"]
    ranked = titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="ngap ung"))
    assert ranked.index(in_title.title) < ranked.index(in_plan.title)


def test_search_never_widens_what_a_person_may_see(org, three):
    # The ward's proposal matches the words but goes to the ward, not to Sở Xây dựng.
    found = selectors.proposal_inbox_for_reviewer(user=org.head_dept, filters=selectors.InboxFilters(text="so hoa ho so"))
    assert titles(found) == ["Số hóa hồ sơ cấp phép xây dựng"]
    ward = selectors.proposal_inbox_for_reviewer(user=org.head_ward, filters=selectors.InboxFilters(text="so hoa ho so"))
    assert titles(ward) == ["Số hóa hồ sơ hộ tịch phường"]
    assert titles(selectors.proposal_list_for_author(user=org.proposer_staff, text="so hoa")) == []


def test_the_search_document_follows_every_change_of_the_content(org):
    proposal = draft(org.proposer_dept, title="Một cửa liên thông")
    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="mot cua")) == ["Một cửa liên thông"]

    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal, data={"title": "Dịch vụ công trực tuyến"})

    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="mot cua")) == []
    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="dich vu cong")) == [
        "Dịch vụ công trực tuyến"]
    assert Proposal.objects.get(pk=proposal.pk).search_document is not None


def test_my_proposals_and_the_inbox_search_through_the_page(org, three, django_assert_max_num_queries):
    author = client_for(org.proposer_dept)
    # A search adds two queries to its list: the lexicon's words, and whether the words as typed find anything.
    with django_assert_max_num_queries(11):
        mine = author.get(reverse("proposals:list"), {"q": "so hoa ho so", "status": "submitted"})
    assert mine.status_code == 200
    page = mine.content.decode()
    assert "Số hóa hồ sơ cấp phép xây dựng" in page and "Trồng cây xanh" not in page
    assert 'value="so hoa ho so"' in page

    head = client_for(org.head_dept)
    with django_assert_max_num_queries(13):
        inbox = head.get(reverse("review:inbox"), {"q": "cay xanh"})
    assert inbox.status_code == 200
    page = inbox.content.decode()
    assert "Trồng cây xanh đường phố" in page and "Số hóa hồ sơ" not in page


def test_lists_leave_the_long_texts_in_the_table(org, three):
    lists = [
        selectors.proposal_list_for_author(user=org.proposer_dept),
        selectors.proposal_inbox_for_reviewer(user=org.head_dept),
        selectors.proposal_list_for_author(user=org.proposer_dept, text="so hoa"),
    ]
    for listed in lists:
        proposal = listed[0]
        assert {"summary", "necessity", "risk_handling", "search_document"} <= proposal.get_deferred_fields()
        assert "title" not in proposal.get_deferred_fields()


def test_the_inbox_read_by_authority_holds_exactly_what_the_decide_grants_give(org, django_capture_on_commit_callbacks):
    """The inbox reads the deciding-authority column; the proposal page checks the per-user grant rows. Both
    must name the same proposals for every person, through routing, transfers and membership changes."""
    from accounts.models import AuthorityMembership
    from proposals.models import ProposalUserObjectPermission
    from tests.helpers import approved, reject

    city_bound = submitted(org.proposer_city)
    moved = submitted(org.proposer_dept, title="Chuyển đi")
    services.proposal_transfer(actor=org.head_dept, proposal=moved, authority=org.ward, reason="Đúng thẩm quyền")
    approved(org.proposer_ward)
    reject(org.head_dept, submitted(org.proposer_staff))
    draft(org.proposer_dept)
    with django_capture_on_commit_callbacks(execute=True):  # the grants follow memberships once committed
        AuthorityMembership.objects.filter(user=org.deputy_dept).delete()
        AuthorityMembership.objects.create(user=org.head_ward, authority=org.city, role="deputy")
    people = [org.head_city, org.head_dept, org.deputy_dept, org.head_ward, org.proposer_city, org.proposer_dept,
              org.proposer_ward, org.proposer_staff, org.homeaffairs, org.outsider]

    for person in people:
        by_authority = set(selectors.proposal_inbox_for_reviewer(
            user=person, filters=selectors.InboxFilters(open_only=False)).values_list("pk", flat=True))
        by_grant = set(ProposalUserObjectPermission.objects.filter(
            user=person, permission__codename="decide_proposal").values_list("content_object_id", flat=True))
        assert by_authority == by_grant, person
    assert city_bound.pk in set(selectors.proposal_inbox_for_reviewer(user=org.head_ward).values_list("pk", flat=True))


def test_a_city_reviewer_filters_by_any_unit_below_without_the_page_listing_them(org, django_assert_max_num_queries):
    from tests.factories import UnitFactory

    for number in range(40):
        UnitFactory(name=f"Phòng số {number}", code=f"phong-{number}", kind="division", parent=org.construction)
    from_division = submitted(org.proposer_city, title="Từ Sở Xây dựng gửi Thành phố")
    head = client_for(org.head_city)

    page = head.get(reverse("review:inbox")).content.decode()
    assert "Phòng số 7" not in page  # the picker searches; it does not list the city
    with django_assert_max_num_queries(13):
        filtered = head.get(reverse("review:inbox"), {"unit": org.construction.pk}).content.decode()
    assert from_division.title in filtered and "Sở Xây dựng</label>" in filtered
    elsewhere = head.get(reverse("review:inbox"), {"unit": org.ward_division.pk}).content.decode()
    assert from_division.title not in elsewhere


def test_a_unit_outside_the_reviewers_authorities_is_refused_beside_the_filter(org):
    page = client_for(org.head_ward).get(reverse("review:inbox"), {"unit": org.construction.pk}).content.decode()

    assert 'id="unit-errors"' in page


def test_a_search_ranks_only_the_newest_matches_of_its_list(org, monkeypatch):
    oldest = submitted(org.proposer_dept, title="Cây xanh", summary="Trồng cây")
    middle = submitted(org.proposer_dept, title="Vỉa hè", summary="Trồng cây bên đường")
    newest = submitted(org.proposer_dept, title="Cây xanh đô thị", summary="Trồng cây")
    monkeypatch.setattr(selectors, "SEARCH_RESULTS_LIMIT", 2)

    found = list(selectors.proposal_list_for_author(user=org.proposer_dept, text="cay xanh trong cay"))
    found_any = list(selectors.proposal_list_for_author(user=org.proposer_dept, text="trong cay"))

    assert set(found) == {newest, oldest}  # the two newest matches; the middle one does not match
    assert set(found_any) == {newest, middle}  # three match; the oldest is left out


def test_a_misspelt_word_that_is_a_real_word_finds_what_was_meant_when_nothing_else_matches(org):
    meant = submitted(org.proposer_dept, title="Cải cách thủ tục hành chính")
    submitted(org.proposer_ward, title="Chín bước tiếp dân")  # makes "chin" a word the lexicon knows

    found = titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="thu tuc hanh chin"))

    assert found == [meant.title]
    # The words as typed find something in the ward's list: nothing is widened there.
    assert titles(selectors.proposal_list_for_author(user=org.proposer_ward, text="chin buoc")) == [
        "Chín bước tiếp dân"]


def test_a_half_typed_last_word_matches_the_words_it_begins(org, three):
    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="so hoa cap phe")) == [
        "Số hóa hồ sơ cấp phép xây dựng"]


def test_the_lexicon_follows_titles_and_summaries_and_can_be_rebuilt(org):
    from proposals import search
    from proposals.models import SearchWord

    proposal = draft(org.proposer_dept, title="Một cửa liên thông", summary="Tiếp nhận hồ sơ tại phường")
    assert {"mot", "cua", "lien", "thong", "tiep", "nhan", "phuong"} <= set(SearchWord.objects.values_list(
        "word", flat=True))
    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal, data={"title": "Bưu chính công ích"})
    assert SearchWord.objects.filter(word="buu").exists()

    SearchWord.objects.all().delete()
    assert search.search_words_rebuild() > 0
    assert SearchWord.objects.filter(word__in=["buu", "tiep"]).count() == 2
    assert not SearchWord.objects.filter(word__regex=r"[0-9]").exists()  # references and years stay out


def test_text_with_no_word_finds_nothing_and_a_reference_only_its_proposal(org, three):
    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="!!! ...")) == []
    reference = three["digital"].reference
    assert titles(selectors.proposal_list_for_author(user=org.proposer_dept, text=f" {reference} ")) == [
        "Số hóa hồ sơ cấp phép xây dựng"]


def _analysed():
    """Statistics of the search documents, as autovacuum keeps them on a working portal (the owner's right: the
    tests that gather them request `database_owner`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")


def _index_reads(queries) -> int:
    return sum("enable_indexscan" in query["sql"] for query in queries)


def test_words_few_proposals_use_are_read_from_the_index_and_common_ones_walk_the_list(database_owner, org,
                                                                                      monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals import search

    common = [submitted(org.proposer_dept, title=f"Cải cách hành chính đợt {n}") for n in range(6)]
    rare = submitted(org.proposer_dept, title="Luân chuyển công chức", summary="Cải cách hành chính")
    submitted(org.proposer_ward, title="Luân chuyển cán bộ phường")  # a match outside the list
    _analysed()
    monkeypatch.setattr(search, "RARE_MATCHES", 3)

    assert search.terms("luan chuyen").strict_is_rare
    assert not search.terms("cai cach").strict_is_rare
    with CaptureQueriesContext(connection) as rare_search:
        found_rare = titles(selectors.proposal_list_for_author(user=org.proposer_dept, text="luan chuyen"))
    with CaptureQueriesContext(connection) as common_search:
        found_common = list(selectors.proposal_list_for_author(user=org.proposer_dept, text="cai cach"))

    assert found_rare == [rare.title]
    assert set(found_common) == {*common, rare}
    assert _index_reads(rare_search.captured_queries) == 1
    assert _index_reads(common_search.captured_queries) == 0


def test_statistics_cannot_call_a_query_rare_without_counting_its_words(database_owner, org, monkeypatch):
    from proposals import search

    submitted(org.proposer_dept, title="Luân chuyển công chức")
    # Never analysed: no statistics, so nothing is called rare and the list is walked.
    assert search.terms("luan chuyen").strict_matches is None
    _analysed()
    # A half-typed word stands for every word it begins: it cannot be counted, but a counted word beside it
    # bounds the whole query.
    assert search.terms("chuy").strict_matches is None
    assert search.terms("luan chuy").strict_matches == search.terms("luan").strict_matches == 1


def test_out_of_date_statistics_cost_a_bounded_read_and_the_list_is_walked(org, monkeypatch):
    from django.contrib.postgres.search import SearchQuery

    from proposals import search

    matching = {submitted(org.proposer_dept, title=f"Tiếp dân số {n}") for n in range(3)}
    monkeypatch.setattr(search, "RARE_MATCHES", 2)
    query = SearchQuery("tiep & dan", config="simple", search_type="raw")

    assert search.rare_match_ids(Proposal.objects.all(), query) is None  # more than RARE_MATCHES
    monkeypatch.setattr(search, "RARE_MATCHES", 3)
    assert set(search.rare_match_ids(Proposal.objects.all(), query)) == {p.pk for p in matching}
    # Statistics calling "tiep dan" rare while more match than RARE_MATCHES: found by walking the list.
    monkeypatch.setattr(search, "RARE_MATCHES", 2)
    monkeypatch.setattr(search.Terms, "strict_is_rare", property(lambda terms: True))
    assert set(selectors.proposal_list_for_author(user=org.proposer_dept, text="tiep dan")) == matching


def test_a_word_the_statistics_do_not_list_among_the_common_ones_may_be_rare():
    from proposals.search import RARE_MATCHES, Terms

    # At a million proposals the statistics list the words of most documents, the least at 8.65 %: an unlisted
    # word matches fewer, and the index is asked (a read it stops after RARE_MATCHES + 1 rows).
    unlisted = Terms(strict="'luan'", widened=None, strict_matches=86_500, unlisted_matches=86_500)
    common = Terms(strict="'so'", widened=None, strict_matches=1_000_000, unlisted_matches=86_500)
    few = Terms(strict="'so' & 'luan'", widened=None, strict_matches=RARE_MATCHES, unlisted_matches=0)

    assert unlisted.strict_is_rare and few.strict_is_rare
    assert not common.strict_is_rare
    assert not Terms(strict="'chuy':*", widened=None).strict_is_rare  # nothing known: the list is walked


# — the proposal page's records —


def _direct_page_data(proposal):
    """What each of the page's records is, read without the presence check."""
    from proposals.models import Decision, Evaluation, Implementer, Meeting, ProgressUpdate, ProposalEvent

    return {
        "meetings": list(Meeting.objects.filter(proposal=proposal)),
        "decision": Decision.objects.filter(proposal=proposal).first(),
        "events": list(ProposalEvent.objects.filter(proposal=proposal).order_by("created_at", "pk")),
        "implementers": list(Implementer.objects.filter(proposal=proposal)),
        "progress_updates": list(ProgressUpdate.objects.filter(proposal=proposal)),
        "evaluation": Evaluation.objects.filter(proposal=proposal).first(),
    }


def test_the_page_reads_only_the_kinds_of_records_its_proposal_has(org, django_assert_max_num_queries):
    proposal = submitted(org.proposer_dept)
    # one presence check, then its events, version and routing
    with django_assert_max_num_queries(4):
        data = selectors.proposal_page_data(proposal=proposal, internal=True)
    assert data["decision"] is None and data["meetings"] == [] and data["implementers"] == []
    assert [event.kind for event in data["events"]] == ["created", "submitted", "routed"]
    assert len(data["versions"]) == 1 and len(data["routings"]) == 1


def test_every_record_present_is_read(org):
    from tests.helpers import evaluated

    proposal = evaluated(org.proposer_dept, implementer=org.proposer_staff)
    data = selectors.proposal_page_data(proposal=proposal, internal=True)
    for name, expected in _direct_page_data(proposal).items():
        assert data[name] == expected, name
    assert data["decision"] is not None and data["evaluation"] is not None and data["implementers"]
