"""Reads of proposals shared by pages; each returns a queryset with the joins its page needs."""

from __future__ import annotations

import dataclasses
import datetime

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db import connections, router
from django.db.models import CharField, Count, Exists, ExpressionWrapper, F, Func, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as roles
from accounts import selectors as org
from accounts.models import OrganisationUnit, Post, User
from portal.text import search_text
from proposals import content, permissions, signing, workflow
from proposals import search as search_terms
from proposals.clocks import CLOCK_BY_NAME, CLOCKS
from proposals.errors import DomainError, NoCurrentPost
from proposals.models import (
    Attachment,
    Conclusion,
    ConfidentialAccess,
    Decision,
    Evaluation,
    ImplementationOrder,
    Implementer,
    Meeting,
    Note,
    PartyOpinion,
    ProgressUpdate,
    Proposal,
    ProposalEvent,
    ProposalRouting,
    ProposalVersion,
    ProtectionDecision,
    ResultsReport,
    RevisionRequest,
    Reward,
    Stage,
)
from routing import calendar
from routing.policy import SubmitterProfile, route

LIST_RELATED = ("deciding_authority", "topic")
#: What a list never shows: the plan's long texts and the search document. Lists leave them in the table
#: (a proposal row with its plan is kilobytes; a page of 25 needs a few hundred bytes of each).
LIST_DEFERRED = (*(field.name for field in Proposal._meta.concrete_fields if isinstance(field, TextField)),
                 "search_document")
#: Longer search texts are cut: nobody types more, and a query is parsed word by word.
SEARCH_MAX_LENGTH = 200
#: A unit's name is shorter than this.
UNIT_SEARCH_MAX_LENGTH = 100
PEOPLE_SEARCH_MAX_LENGTH = 100
#: A search ranks at most this many matches, the newest of the list it narrows; more words narrow further.
SEARCH_RESULTS_LIMIT = 200


def _unaccented(value) -> Func:
    """PostgreSQL's unaccent as the search documents were written with it (migration 0012)."""
    return Func(value, function="portal_unaccent", output_field=TextField())


def search(queryset: QuerySet[Proposal], text: str, *, newest_of: QuerySet | None = None) -> QuerySet[Proposal]:
    """The proposals of `queryset` whose reference, title, summary or plan match `text`, best first.

    Diacritics do not matter on either side ("so hoa ho so" finds "Số hóa hồ sơ"); words are matched whole,
    any order; a word no title or summary has used also matches the words closest to it, a half-typed last word
    the words it begins; when the words as typed find nothing, each also matches its closest words. Websearch
    syntax ("-word", "quoted phrase") asks for exactly what it says. A reference finds its proposal.
    Callers pass a queryset already limited to what the person may see: searching never widens access.

    The matches ranked are the newest `SEARCH_RESULTS_LIMIT` of the list. Words that few proposals of the city
    use (`search.RARE_MATCHES`, by the database's statistics) are looked up in the index first and the list keeps
    the matches it holds; commoner words are found by walking the list in its own order (its index), testing
    each proposal's document, and they are met in the first rows. A list read through another table gives that
    table's rows in the list's order as `newest_of`, each with a `proposal`."""
    text = search_text(text, SEARCH_MAX_LENGTH)
    if not text:
        return queryset
    if search_terms.REFERENCE.fullmatch(text.upper()):
        # References are stored in capitals; the unique index answers at once.
        return queryset.filter(reference=text.upper())
    walk, document, key = ((queryset, "search_document", "pk") if newest_of is None
                           else (newest_of, "proposal__search_document", "proposal_id"))
    rare_ids = None
    if '"' in text or any(word.startswith("-") for word in text.split()):
        # Words left out or a quoted phrase: exactly what was typed.
        query = SearchQuery(_unaccented(Value(text)), config="simple", search_type="websearch")
    else:
        found = search_terms.terms(text, using=queryset.db)
        if found is None:
            return queryset.none()
        query = SearchQuery(found.strict, config="simple", search_type="raw")
        rare_ids = _rare_match_ids(queryset, query) if found.strict_is_rare else None
        if found.widened and not _matches(walk, key, document, query, rare_ids).exists():
            query = SearchQuery(found.widened, config="simple", search_type="raw")
            rare_ids = _rare_match_ids(queryset, query) if found.widened_is_rare else None
    # Only the newest matches are ranked, so that a common word in a city-sized list costs a bounded amount of
    # work. Ranking reads the title alone (in the row), by trigram likeness: parsing words again, or the
    # document, for every match would cost more than the search.
    newest = _matches(walk, key, document, query, rare_ids).values(key)[:SEARCH_RESULTS_LIMIT]
    return (
        queryset.filter(pk__in=newest)
        .annotate(title_similarity=TrigramWordSimilarity(_unaccented(Value(text)), _unaccented(F("title"))))
        .order_by("-title_similarity", "-pk")
    )


def _rare_match_ids(queryset: QuerySet[Proposal], query: SearchQuery) -> list[int] | None:
    return search_terms.rare_match_ids(Proposal.objects.using(queryset.db), query)


def _matches(walk: QuerySet, key: str, document: str, query: SearchQuery, rare_ids: list[int] | None) -> QuerySet:
    """The rows of `walk` whose proposal matches `query`: those among `rare_ids` (every match in the city, from
    the index), else those whose document matches (read row by row as the list is walked)."""
    if rare_ids is None:
        return walk.filter(**{document: query})
    # One array parameter, however many ids: a list of thousands of placeholders costs more to plan than to run.
    return walk.filter(**{f"{key}__in": RawSQL("SELECT unnest(%s::bigint[])", (rare_ids,))})


def proposal_list_for_author(*, user: User, status: str | None = None, text: str = "") -> QuerySet[Proposal]:
    queryset = (Proposal.objects.filter(author=user, deleted_at__isnull=True).select_related(*LIST_RELATED).defer(*LIST_DEFERRED)
                .order_by("-created_at", "-pk"))
    if status:
        queryset = queryset.filter(status=status)
    return search(queryset, text)


@dataclasses.dataclass(frozen=True)
class InboxFilters:
    status: str | None = None
    unit: int | None = None
    #: The unit's materialised path, when the caller has the unit already (the filter form does).
    unit_path: str = ""
    topic: int | None = None
    overdue: bool = False
    open_only: bool = True
    text: str = ""


def proposal_inbox_for_reviewer(*, user: User, filters: InboxFilters | None = None,
                                today: datetime.date | None = None) -> QuerySet[Proposal]:
    """Proposals of the authorities the reviewer serves, newest first."""
    filters = filters or InboxFilters()
    queryset = permissions.proposals_to_decide(user).exclude(status=workflow.Status.DRAFT)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    elif filters.open_only:
        queryset = queryset.filter(status__in=workflow.AUTHORITY_INBOX)
    if filters.unit:
        # The path as a literal, not a subquery: the planner then knows whether the unit is a division or the
        # whole city (a subtree of thousands of units) and picks its plan accordingly.
        unit_path = filters.unit_path or OrganisationUnit.objects.filter(
            pk=filters.unit).values_list("path", flat=True).first()
        queryset = queryset.filter(submitter_unit__in=OrganisationUnit.objects.filter(
            path__startswith=unit_path).values("pk")) if unit_path else queryset.none()
    if filters.topic:
        queryset = queryset.filter(topic_id=filters.topic)
    if filters.overdue:
        today = today or timezone.localdate()
        overdue = Q()
        for clock in CLOCKS:
            overdue |= Q(status__in=clock.states, **{f"{clock.due_field}__lt": today})
        queryset = queryset.filter(overdue)
    queryset = (
        queryset.select_related("author", "submitter_unit", *LIST_RELATED)
        .defer(*LIST_DEFERRED)
        .order_by("-submitted_at", "-pk")
    )
    return search(queryset, filters.text)


def inbox_units(*, user: User) -> QuerySet[OrganisationUnit]:
    """Units to filter the reviewer's inbox by: their authorities and every unit below them (lazy, one query)."""
    served = OrganisationUnit.objects.filter(pk__in=permissions.authorities_served(user))
    return OrganisationUnit.objects.current().filter(Exists(
        served.annotate(unit_path=ExpressionWrapper(OuterRef("path"), output_field=CharField())).filter(unit_path__startswith=F("path"))
    )).order_by("path")


#: How many proposals each list of the home page shows; the counts say how many there are in all.
HOME_LIST_SIZE = 5


@dataclasses.dataclass(frozen=True)
class Waiting:
    """What waits for a person on their home page."""
    to_decide: list[Proposal]
    to_decide_count: int
    overdue_count: int
    returned: list[Proposal]
    drafts: list[Proposal]
    drafts_count: int
    today: datetime.date

    @property
    def anything(self) -> bool:
        return bool(self.to_decide_count or self.returned or self.drafts_count)


def home_waiting(*, user: User, today: datetime.date | None = None) -> Waiting:
    """The proposals waiting for `user`: to decide (soonest due first, with how many are overdue), returned to them
    for more information, and drafts never sent. Four queries whatever the size of the city: the deciding side
    reads the authority's index of states (`proposal_inbox_states`), the author's side their own proposals."""
    today = today or timezone.localdate()
    authority_ids = permissions.authorities_served(user)
    to_decide, counts = [], {"total": 0, "overdue": 0}
    if authority_ids:
        waiting = permissions.proposals_to_decide(user, authority_ids=authority_ids).filter(
            status__in=workflow.AWAITING_DECISION)
        counts = waiting.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(review_due_date__lt=today)))
        if counts["total"]:
            to_decide = list(waiting.select_related(*LIST_RELATED).defer(*LIST_DEFERRED)
                             .order_by("review_due_date", "pk")[:HOME_LIST_SIZE])
    own = Proposal.objects.filter(author=user, status__in=workflow.EDITABLE, deleted_at__isnull=True)
    drafts_count = own.filter(status=workflow.Status.DRAFT).count()
    # Returned proposals are few and each needs an answer: all of them; drafts, the latest few.
    mine = list(own.filter(Q(status=workflow.Status.RETURNED) | Q(
        pk__in=own.filter(status=workflow.Status.DRAFT).order_by("-updated_at").values("pk")[:HOME_LIST_SIZE]))
        .select_related(*LIST_RELATED).defer(*LIST_DEFERRED).order_by("-updated_at"))
    return Waiting(
        to_decide=to_decide, to_decide_count=counts["total"], overdue_count=counts["overdue"],
        returned=[p for p in mine if p.status == workflow.Status.RETURNED],
        drafts=[p for p in mine if p.status == workflow.Status.DRAFT], drafts_count=drafts_count, today=today)


def proposal_get_visible(*, user: User, pk: int) -> Proposal:
    proposal = (
        permissions.proposals_visible_to(user, Proposal.objects.filter(pk=pk))
        .select_related("author", "topic", "deciding_authority", "submitter_unit", "submitter_managing_authority")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def submitter_profile(*, proposal: Proposal, user: User) -> SubmitterProfile:
    """What routing needs to know of the person who submits `proposal` today."""
    today = timezone.localdate()
    post = org.post_current_principal(user=user, on=today)
    if post is None:
        raise NoCurrentPost()
    involved = {unit.deciding_authority() for unit in proposal.involved_units.select_related("parent").all()}
    return SubmitterProfile(user_id=user.pk, post=post, involved_authorities=tuple(involved), on=today)


@dataclasses.dataclass(frozen=True)
class RoutingPreview:
    """Who will decide a proposal if it is sent now, why, and by when; or why it cannot be sent."""
    authority: OrganisationUnit | None = None
    reason: str = ""
    review_due_date: datetime.date | None = None
    problem: str = ""


def proposal_routing_preview(*, proposal: Proposal, user: User) -> RoutingPreview:
    """The routing the submission would apply, computed now from the person's post and the related units, so the
    author sees it before sending; a returned proposal stays with the authority that returned it."""
    if proposal.submitted_at is not None:
        due = None
        if proposal.review_days_remaining is not None:
            due = calendar.add_working_days(timezone.localdate(), proposal.review_days_remaining)
        return RoutingPreview(authority=proposal.deciding_authority, reason=routing_explanation(proposal=proposal),
                              review_due_date=due)
    try:
        decision = route(submitter_profile(proposal=proposal, user=user))
    except DomainError as refusal:
        return RoutingPreview(problem=refusal.message)
    return RoutingPreview(authority=decision.authority, reason=decision.reason,
                          review_due_date=CLOCK_BY_NAME["review"].due_from(timezone.localdate()))


def routing_explanation(*, proposal: Proposal, routings: list[ProposalRouting] | None = None) -> str:
    """Why the proposal's authority decides it, in the reader's language, from what routing stored (the rule, the
    authority, the authority the proposer heads) or from the reason typed for a transfer. `routings`: the
    proposal's routings when the page has them already (`proposal_page_data`)."""
    if routings is None:
        routings = list(ProposalRouting.objects.filter(proposal=proposal)
                        .select_related("authority", "rule", "headed_authority").order_by("created_at", "pk"))
    for index, routing in enumerate(routings):
        if not routing.is_current:
            continue
        if routing.kind == ProposalRouting.Kind.TRANSFERRED and index > 0:
            return _("Chuyển từ %(source)s: %(reason)s") % {"source": routings[index - 1].authority.name,
                                                            "reason": routing.reason}
        return routing.explanation
    return proposal.routing_reason


def revision_request_open(*, proposal: Proposal) -> RevisionRequest | None:
    """What the authority asked the author to change, while the proposal waits for it."""
    if proposal.status != workflow.Status.RETURNED:
        return None
    return (RevisionRequest.objects.filter(proposal=proposal, answered_at__isnull=True)
            .select_related("requested_by").first())


@dataclasses.dataclass(frozen=True)
class Answer:
    field: str
    label: str
    value: str

    @property
    def anchor(self) -> str:
        """The id of the answer's field on the form (crispy's wrapper), for the "change" link."""
        return "div_id_new_attachments" if self.field == "attachments" else f"div_id_{self.field}"

    @property
    def section(self) -> int:
        """The page of the guided form that asks for it."""
        return content.section_of(self.field)


def proposal_answers(*, proposal: Proposal) -> list[tuple[str, list[Answer]]]:
    """The plan as the author filled it, section by section, in the words of the form (content.SECTIONS)."""
    values = content.snapshot(proposal)
    sections = []
    for title, fields in content.SECTIONS:
        answers = [Answer(field, content.field_label(field), content.as_text(values.get(field))) for field in fields]
        sections.append((str(title), answers))
    return sections


def proposal_page_data(*, proposal: Proposal, internal: bool = False) -> dict:
    """Everything the proposal page shows besides the proposal itself, in a fixed number of queries: one asks which
    of the proposal's records exist, then only those are read (a proposal under review has five kinds of the
    seventeen; each read cost a millisecond or more even when it found nothing).

    `internal` adds the deciding authority's internal notes; never pass it for the author.
    """
    present = _records_present(proposal)

    def rows(name, queryset):
        return list(queryset) if name in present else []

    def row(name, queryset):
        return queryset.first() if name in present else None

    notes = Note.objects.filter(proposal=proposal).select_related("author")
    if not internal:
        notes = notes.filter(visibility=Note.Visibility.THREAD)
    meetings = rows("meetings", Meeting.objects.filter(proposal=proposal).select_related("recorded_by"))
    return {
        "meetings": meetings,
        "latest_meeting": next((m for m in reversed(meetings) if m.stage == Stage.DECISION), None),
        "party_opinions": rows("party_opinions",
                               PartyOpinion.objects.filter(proposal=proposal).select_related("recorded_by")),
        "revision_requests": rows("revision_requests",
                                  RevisionRequest.objects.filter(proposal=proposal).select_related("requested_by")),
        "decision": row("decision", Decision.objects.filter(proposal=proposal).select_related("signed_by")),
        "notes": rows("notes", notes),
        "events": rows("events", ProposalEvent.objects.filter(proposal=proposal).select_related("actor")
                       .order_by("created_at", "pk")),
        "versions": rows("versions", ProposalVersion.objects.filter(proposal=proposal).select_related("created_by")
                         .defer("content")),
        "routings": rows("routings", ProposalRouting.objects.filter(proposal=proposal)
                         .select_related("authority", "actor", "rule", "headed_authority")),
        "attachments": rows("attachments", proposal.attachments.select_related("uploaded_by")),
        "involved_units": rows("involved_units", proposal.involved_units.all()),
        "implementers": rows("implementers", Implementer.objects.filter(proposal=proposal).select_related("user")),
        "progress_updates": rows("progress_updates",
                                 ProgressUpdate.objects.filter(proposal=proposal).select_related("posted_by")),
        "orders": rows("orders", ImplementationOrder.objects.filter(proposal=proposal).select_related("issued_by")),
        "results_report": row("results_report",
                              ResultsReport.objects.filter(proposal=proposal).select_related("filed_by")),
        "evaluation": row("evaluation",
                          Evaluation.objects.filter(proposal=proposal).select_related("meeting", "conclusion")),
        "protection": row("protection", ProtectionDecision.objects.filter(proposal=proposal)),
        "rewards": rows("rewards", Reward.objects.filter(proposal=proposal).select_related("beneficiary")),
    }


def _page_records() -> dict[str, tuple[str, str]]:
    """The proposal page's records: name → (table, column naming the proposal)."""
    records = {
        name: (model._meta.db_table, model._meta.get_field("proposal").column)
        for name, model in {
            "meetings": Meeting, "party_opinions": PartyOpinion, "revision_requests": RevisionRequest,
            "decision": Decision, "notes": Note, "events": ProposalEvent, "versions": ProposalVersion,
            "routings": ProposalRouting, "attachments": Attachment, "implementers": Implementer,
            "progress_updates": ProgressUpdate, "orders": ImplementationOrder, "results_report": ResultsReport,
            "evaluation": Evaluation, "protection": ProtectionDecision, "rewards": Reward,
        }.items()
    }
    involved = Proposal.involved_units.through._meta
    records["involved_units"] = (involved.db_table, involved.get_field("proposal").column)
    return records


PAGE_RECORDS = _page_records()
_RECORDS_PRESENT_SQL = "SELECT " + ", ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE {column} = %(proposal)s)" for table, column in PAGE_RECORDS.values())


def _records_present(proposal: Proposal) -> set[str]:
    """Which kinds of the proposal's records exist, in one query of one index probe each."""
    with connections[router.db_for_read(Proposal)].cursor() as cursor:
        cursor.execute(_RECORDS_PRESENT_SQL, {"proposal": proposal.pk})
        found = cursor.fetchone()
    return {name for name, exists in zip(PAGE_RECORDS, found, strict=True) if exists}


def version_latest(*, proposal: Proposal) -> ProposalVersion:
    return ProposalVersion.objects.get(proposal=proposal, number=proposal.current_version)


def version_pair(*, proposal: Proposal, older: int, newer: int) -> tuple[ProposalVersion, ProposalVersion]:
    versions = {v.number: v for v in ProposalVersion.objects.filter(proposal=proposal, number__in=[older, newer])}
    if older not in versions or newer not in versions:
        raise Http404
    return versions[older], versions[newer]


def unit_search(*, query: str, authorities_only: bool = False, limit: int = 20) -> QuerySet[OrganisationUnit]:
    queryset = OrganisationUnit.objects.current().select_related("parent")
    if authorities_only:
        queryset = queryset.filter(kind__in=OrganisationUnit.AUTHORITY_KINDS)
    query = search_text(query, UNIT_SEARCH_MAX_LENGTH)
    if query:
        queryset = queryset.filter(name__unaccent__icontains=query)
    return queryset.order_by("path")[:limit]


@dataclasses.dataclass(frozen=True)
class PersonFound:
    user: User
    #: The person's current principal post, e.g. "Chuyên viên, Phòng Quản lý nhà" (empty without one).
    post: str


def people_search(*, query: str, limit: int = 10) -> list[PersonFound]:
    """Active officials whose name holds `query`, accent- and case-insensitive, with their current post: two
    queries, the first on the trigram index of folded names (proposals migration 0024)."""
    query = search_text(query, PEOPLE_SEARCH_MAX_LENGTH)
    if len(query) < 2:
        return []
    users = list(org.users_named(query).order_by("full_name", "pk")[:limit])
    posts = {post.user_id: post for post in Post.objects.current().principal().filter(user__in=users)
             .select_related("unit")}
    return [PersonFound(user, ", ".join(part for part in (posts[user.pk].title, posts[user.pk].unit.name) if part)
                        if user.pk in posts else "") for user in users]


def proposal_document(*, proposal: Proposal, kind: str, document_id: int):
    """The stored file of one of the proposal's documents and the name to download it under."""
    if kind == "decision":
        decision = Decision.objects.filter(proposal=proposal, pk=document_id).exclude(document="").first()
        if decision:
            return decision.document, f"{proposal.reference}-quyet-dinh.pdf"
    elif kind == "party-opinion":
        opinion = PartyOpinion.objects.filter(proposal=proposal, pk=document_id).exclude(document="").first()
        if opinion:
            return opinion.document, opinion.document_name
    elif kind == "results-report":
        report = ResultsReport.objects.filter(proposal=proposal, pk=document_id).exclude(document="").first()
        if report:
            return report.document, report.document_name
    elif kind == "progress":
        update = ProgressUpdate.objects.filter(proposal=proposal, pk=document_id).exclude(document="").first()
        if update:
            return update.document, update.document_name
    elif kind == "conclusion":
        conclusion = Conclusion.objects.filter(proposal=proposal, pk=document_id).exclude(document="").first()
        if conclusion:
            return conclusion.document, f"{proposal.reference}-ket-luan.pdf"
    elif kind == "minutes":
        meeting = Meeting.objects.filter(proposal=proposal, pk=document_id).exclude(minutes="").first()
        if meeting:
            return meeting.minutes, meeting.minutes_name
    raise Http404


#: The proposal's documents the portal issues (and signs): proposal_document's kinds.
ISSUED_DOCUMENT_KINDS = frozenset({"decision", "conclusion"})


def signature_status_of(file) -> signing.SignatureStatus:
    """Who signed a stored PDF, when, and whether the signature holds (proposals.signing)."""
    file.open("rb")
    try:
        return signing.signature_status(file.read())
    finally:
        file.close()


def issued_document_signature(*, proposal: Proposal, kind: str, document_id: int) -> signing.SignatureStatus:
    if kind not in ISSUED_DOCUMENT_KINDS:
        raise Http404
    file, _name = proposal_document(proposal=proposal, kind=kind, document_id=document_id)
    return signature_status_of(file)


def confidential_access_log(*, protection=None, report=None, limit: int = 200):
    log = ConfidentialAccess.objects.select_related("user")
    log = log.filter(protection=protection) if protection is not None else log.filter(retaliation_report=report)
    return list(log.order_by("-accessed_at")[:limit])


def retaliation_report_list(*, user: User):
    return (permissions.retaliation_reports_visible_to(user)
            .select_related("proposal", "involved_authority", "receiving_authority", "reporter")
            .order_by("-created_at", "-pk"))


RECORD_STATES = ("approved", "implementing", "suspended", "terminated", "completed", "reported", "evaluated",
                 "concluded", "closed")


def official_record(*, official: User, reader: User) -> dict:
    """An official's approved and completed proposals, protections and rewards: evidence for annual ratings.

    The protection decisions are shown to the official and to Home Affairs only (`shows_protection`):
    an administrator who opens the record sees neither the tiers nor that any were decided (Decree 73, Art. 11;
    proposals.permissions.can_read_protection)."""
    proposals = list(
        Proposal.objects.filter(author=official, status__in=RECORD_STATES)
        .select_related("deciding_authority", "decision", "evaluation", "protection")
        .order_by("-decided_at")
    )
    implemented = list(
        Proposal.objects.filter(implementer_links__user=official, status__in=RECORD_STATES)
        .select_related("deciding_authority", "evaluation").order_by("-decided_at")
    )
    rewards = list(Reward.objects.filter(beneficiary=official).select_related("proposal").order_by("-recommended_at"))
    shows_protection = reader.pk == official.pk or roles.is_home_affairs(reader)
    return {
        "official": official,
        "proposals": proposals,
        "implemented": implemented,
        "shows_protection": shows_protection,
        "protections": [p.protection for p in proposals if shows_protection and getattr(p, "protection", None)],
        "rewards": rewards,
        "completed_count": sum(1 for p in proposals if getattr(p, "evaluation", None) and p.evaluation.outcome == "completed"),
    }


def documents_to_issue(*, action: str, actor: User, proposal: Proposal, data: dict) -> list[tuple[str, str]]:
    """(title, HTML) of each document `action` would issue with the form's `data`, as its PDF will read but for the
    number, which the issue gives: what the confirmation step shows before the person signs."""
    from proposals import documents
    from proposals.numbering import DocumentType
    from proposals.protection import proposed_tier
    from proposals.services.aftercare import conclusion_check
    from proposals.services.decisions import decision_date_check

    authority = proposal.deciding_authority
    decision_number = documents.unnumbered(authority, DocumentType.DECISION)
    if action in {"approve", "approve_by_head", "reject"}:
        decision_date_check(data["decision_date"])  # what the service would refuse is said before, not after
        kind = Decision.Kind.REJECTION if action == "reject" else Decision.Kind.APPROVAL
        basis = {"approve": Proposal.ApprovalBasis.VOTE, "approve_by_head": Proposal.ApprovalBasis.HEAD}.get(action, "")
        reasons = data.get("justification") if action == "approve_by_head" else data.get("reasons")
        decision = Decision(
            proposal=proposal, kind=kind, basis=basis, number=decision_number, decision_date=data["decision_date"],
            reasons=(reasons or "").strip(), authority=authority, signed_by=actor,
            meeting=Meeting.objects.filter(proposal=proposal, stage=Stage.DECISION)
            .order_by("-recorded_at", "-pk").first())
        title = _("Quyết định phê duyệt") if kind == Decision.Kind.APPROVAL else _("Quyết định không phê duyệt")
        return [(title, documents.decision_preview(decision))]
    if action == "conclude":
        evaluation = Evaluation.objects.select_related("meeting").get(proposal=proposal)
        conclusion_check(proposal=proposal, evaluation=evaluation, conclusion_date=data["conclusion_date"],
                         protection_date=data.get("protection_date"), tier=data.get("tier") or "",
                         tier_reasons=data.get("tier_reasons") or "")
        conclusion = Conclusion(
            proposal=proposal, evaluation=evaluation, conclusion_date=data["conclusion_date"],
            text=data["conclusion_text"].strip(), authority=authority, signed_by=actor,
            number=documents.unnumbered(authority, DocumentType.CONCLUSION))
        issued = [(_("Văn bản kết luận"), documents.conclusion_preview(conclusion))]
        if proposal.on_decree73_track and data.get("tier") and data.get("protection_date"):
            protection = ProtectionDecision(
                proposal=proposal, evaluation=evaluation, proposed_tier=proposed_tier(evaluation), tier=data["tier"],
                reasons=(data.get("tier_reasons") or "").strip(), decision_date=data["protection_date"],
                number=decision_number, authority=authority, signed_by=actor)
            issued.append((_("Quyết định bảo vệ"), documents.protection_preview(protection)))
        return issued
    raise ValueError(action)
