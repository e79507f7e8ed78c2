"""The proposal, its versions, routing history, attachments, audit trail and outbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit, PositionCategory
from portal.choices import ChoiceLabels
from portal.text import validate_has_letters, validate_plain_name
from proposals.clocks import CLOCK_OF_STATE
from proposals.models.storage import private_storage
from proposals.workflow import EDITABLE, Status


class Topic(models.Model):
    """Topic areas (lĩnh vực) — an editable list."""

    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True, validators=[validate_plain_name])
    name_en = models.CharField(_("tên lĩnh vực (tiếng Anh)"), max_length=200, blank=True,
                               validators=[validate_plain_name],
                               help_text=_("Tên cho người đọc bằng tiếng Anh; để trống thì hiện tên tiếng Việt."))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return self.name_en if self.name_en and translation.get_language() == "en" else self.name


#: The content fields of a proposal plan, in the order of the form; versions snapshot exactly these.
CONTENT_FIELDS = (
    "title", "topic", "summary", "necessity", "bottleneck", "objectives", "content_solutions", "scope",
    "implementers", "start_date", "end_date", "timeline_description", "resources",
    "budget_amount", "budget_source", "feasibility", "positive_impact", "negative_impact",
    "expected_results", "risks", "worst_case", "risk_handling", "cond_removes_bottleneck",
    "cond_common_good", "cond_urgent_no_harm", "cond_within_authority", "commitment", "involved_units",
)


class Proposal(ChoiceLabels, models.Model):
    Status = Status

    class ApprovalBasis(models.TextChoices):
        VOTE = "vote", _("Tập thể lãnh đạo biểu quyết thông qua")
        HEAD = "head", _("Người đứng đầu quyết định phê duyệt")

    # Numbered from the primary key, so NULL between the insert and the update that numbers it. A unique text
    # column that may be empty keeps NULL rather than "" (Django's documented exception to DJ001): NULLs never
    # collide, while two drafts created at once would both hold "" for a moment.
    reference = models.CharField(_("số hiệu"), max_length=32, unique=True, null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề xuất"), on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    approval_basis = models.CharField(_("căn cứ phê duyệt"), max_length=8, choices=ApprovalBasis.choices, blank=True)
    # A token from the form that created the draft, so a repeated POST does not create a second proposal.
    creation_token = models.UUIDField(default=uuid.uuid4, editable=False)

    # — the plan (Decree 73, Art. 7(2)) —
    title = models.CharField(_("tên đề xuất"), max_length=300, validators=[validate_plain_name, validate_has_letters])
    topic = models.ForeignKey(Topic, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT)
    summary = models.TextField(_("tóm tắt"), blank=True)
    necessity = models.TextField(_("sự cần thiết"), blank=True)
    bottleneck = models.TextField(_("điểm nghẽn, nút thắt cần tháo gỡ"), blank=True)
    objectives = models.TextField(_("mục tiêu, yêu cầu"), blank=True)
    content_solutions = models.TextField(_("nội dung, nhiệm vụ và giải pháp"), blank=True)
    scope = models.TextField(_("phạm vi thực hiện"), blank=True)
    implementers = models.TextField(_("người, đơn vị thực hiện"), blank=True)
    start_date = models.DateField(_("bắt đầu thực hiện"), null=True, blank=True)
    end_date = models.DateField(_("kết thúc thực hiện"), null=True, blank=True)
    timeline_description = models.TextField(_("tiến độ, các mốc chính"), blank=True)
    resources = models.TextField(_("nguồn lực (nhân lực, trang thiết bị)"), blank=True)
    budget_amount = models.DecimalField(
        _("kinh phí dự kiến (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_source = models.CharField(_("nguồn kinh phí"), max_length=300, blank=True)
    feasibility = models.TextField(_("tính khả thi"), blank=True)
    positive_impact = models.TextField(_("tác động tích cực"), blank=True)
    negative_impact = models.TextField(_("tác động tiêu cực"), blank=True)
    expected_results = models.TextField(_("kết quả dự kiến"), blank=True)
    risks = models.TextField(_("rủi ro có thể xảy ra"), blank=True)
    worst_case = models.TextField(_("tình huống xấu nhất"), blank=True)
    risk_handling = models.TextField(_("phương án xử lý rủi ro"), blank=True)
    cond_removes_bottleneck = models.BooleanField(
        _("tháo gỡ điểm nghẽn mà pháp luật chưa quy định"), default=False)
    cond_common_good = models.BooleanField(_("vì lợi ích chung"), default=False)
    cond_urgent_no_harm = models.BooleanField(
        _("xuất phát từ yêu cầu cấp bách của thực tiễn, không gây phương hại quốc phòng, an ninh, "
          "lợi ích của cơ quan, đơn vị khác"), default=False)
    cond_within_authority = models.BooleanField(_("thuộc thẩm quyền của cơ quan quyết định"), default=False)
    commitment = models.BooleanField(_("cam kết của người đề xuất"), default=False)
    involved_units = models.ManyToManyField(
        OrganisationUnit, verbose_name=_("cơ quan, đơn vị liên quan"), blank=True, related_name="involved_in",
    )

    # — the submitter, frozen at first submission —
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    #: A draft its author deleted before ever sending it: its content is erased and nobody sees it any more; the
    #: row stays because its audit trail does (proposals.audit).
    deleted_at = models.DateTimeField(_("ngày xóa bản nháp"), null=True, blank=True)
    submitter_post_title = models.CharField(_("chức vụ khi gửi"), max_length=200, blank=True)
    submitter_unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("đơn vị khi gửi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    submitter_category = models.CharField(
        _("nhóm đối tượng khi gửi"), max_length=32, choices=PositionCategory.choices, blank=True)
    submitter_managing_authority = models.ForeignKey(
        OrganisationUnit, verbose_name=_("cơ quan quản lý khi gửi"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    submitter_is_decree73_subject = models.BooleanField(_("thuộc đối tượng Nghị định 73"), null=True, blank=True)

    # — routing, current —
    deciding_authority = models.ForeignKey(
        OrganisationUnit, verbose_name=_("cơ quan quyết định"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="proposals_to_decide",
    )
    routing_reason = models.CharField(_("lý do xác định thẩm quyền"), max_length=400, blank=True)
    current_version = models.PositiveIntegerField(_("phiên bản"), default=0)
    review_due_date = models.DateField(_("hạn xem xét"), null=True, blank=True)
    review_days_remaining = models.PositiveSmallIntegerField(
        _("số ngày làm việc xem xét còn lại khi trả lại"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    report_due_date = models.DateField(_("hạn nộp báo cáo kết quả"), null=True, blank=True)
    evaluation_due_date = models.DateField(_("hạn họp đánh giá"), null=True, blank=True)
    conclusion_due_date = models.DateField(_("hạn kết luận bằng văn bản"), null=True, blank=True)
    approved_version = models.PositiveIntegerField(_("phiên bản được phê duyệt"), null=True, blank=True)
    implementation_start = models.DateField(_("bắt đầu triển khai"), null=True, blank=True)
    implementation_end = models.DateField(_("kết thúc triển khai"), null=True, blank=True)

    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    #: The words of the reference, title, summary and plan without their diacritics, weighted in that order;
    #: written by a database trigger on every insert and update (migration 0012), read by `selectors.search`.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("đề xuất")
        verbose_name_plural = _("đề xuất")
        ordering = ["-created_at"]
        permissions = [("decide_proposal", _("Quyết định đề xuất (thành viên cơ quan có thẩm quyền)"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="proposal_status_valid"),
            models.UniqueConstraint(fields=["author", "creation_token"], name="proposal_one_per_form_token"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn", submitted_at__isnull=True)
                | Q(submitted_at__isnull=False, deciding_authority__isnull=False),
                name="proposal_submitted_is_routed",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="proposal_timeline_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            # An authority's proposals in some states (the inbox's open ones, a state filter), with what the
            # inbox's other filters read: counting the list is an index-only scan of those states' entries, not
            # of every proposal the authority has had (a tenth of the city's, for UBND Thành phố).
            models.Index(fields=["deciding_authority", "status"],
                         include=["author", "topic", "submitter_unit", "review_due_date", "report_due_date",
                                  "evaluation_due_date", "conclusion_due_date"], name="proposal_inbox_states"),
            # The review inbox: an authority's proposals newest first, with what its filters and count read,
            # so that choosing a page's ids and counting are index-only scans (portal.pagination).
            models.Index(fields=["deciding_authority", "-submitted_at", "-id"],
                         include=["status", "author", "topic", "submitter_unit", "review_due_date", "report_due_date",
                                  "evaluation_due_date", "conclusion_due_date"], name="proposal_inbox"),
            models.Index(fields=["status", "review_due_date"]),
            models.Index(fields=["status", "report_due_date"]),
            models.Index(fields=["status", "evaluation_due_date"]),
            models.Index(fields=["status", "conclusion_due_date"]),
            # No index on submitted_at alone: the lists by date are the facts' (reports), and the planner would
            # walk it, all authorities mixed, for an inbox search instead of the authority's own index above.
            GinIndex(fields=["search_document"], name="proposal_search_document"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('Nháp')} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def open_clock(self) -> dict | None:
        """The clock running now, if any: its name, label and due date (`proposals.clocks`)."""
        clock = CLOCK_OF_STATE.get(self.status)
        due = getattr(self, clock.due_field) if clock else None
        if due is None:
            return None
        return {"name": clock.name, "label": clock.label, "due": due}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def on_decree73_track(self) -> bool:
        """Whether its author was a Decree 73 subject when sending it, so that it may end with a protection
        decision (Art. 11); otherwise it is on the City's initiative track, which ends with recognition and reward."""
        return bool(self.submitter_is_decree73_subject)


class ProposalVersion(models.Model):
    """The content as submitted; every submission and resubmission freezes one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    content = models.JSONField(_("nội dung"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản đề xuất")
        verbose_name_plural = _("phiên bản đề xuất")
        ordering = ["proposal", "number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.proposal.reference} v{self.number}"


class ProposalRouting(ChoiceLabels, models.Model):
    """Each time a proposal is assigned to an authority: first routing and every transfer."""

    class Kind(models.TextChoices):
        ROUTED = "routed", _("Xác định thẩm quyền khi gửi")
        TRANSFERRED = "transferred", _("Chuyển cơ quan quyết định")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="routings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    authority = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey("routing.RoutingRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    #: The authority the proposer heads, when routing went above it (routing.policy.explain).
    headed_authority = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    #: As written when it was made (Vietnamese); pages show `explanation`, in the reader's language.
    reason = models.CharField(_("lý do"), max_length=400)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt xác định thẩm quyền")
        verbose_name_plural = _("lịch sử thẩm quyền")
        ordering = ["proposal", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal"], condition=Q(is_current=True), name="one_current_routing"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.authority}"

    @property
    def explanation(self) -> str:
        """Why this authority decides, in the reader's language: rendered from the rule for a routing, as typed by
        the person who transferred it for a transfer."""
        if self.kind == self.Kind.ROUTED and self.rule_id:
            from routing.policy import explain

            # Rendered only while the rule still says what it said then: a rule reworded since keeps its old
            # proposals' reasons as they were written.
            with translation.override("vi"):
                as_written = explain(rule=self.rule, authority=self.authority, headed=self.headed_authority)
            if as_written == self.reason:
                return explain(rule=self.rule, authority=self.authority, headed=self.headed_authority)
        return self.reason


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="proposals/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ProposalEvent(ChoiceLabels, models.Model):
    """Append-only audit trail; a database trigger refuses UPDATE and DELETE."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tạo nháp")
        EDITED = "edited", _("Cập nhật nội dung")
        SUBMITTED = "submitted", _("Gửi đề xuất")
        RESUBMITTED = "resubmitted", _("Gửi lại sau khi bổ sung")
        ROUTED = "routed", _("Xác định cơ quan quyết định")
        TRANSFERRED = "transferred", _("Chuyển cơ quan quyết định")
        WITHDRAWN = "withdrawn", _("Rút đề xuất")
        DELETED = "deleted", _("Xóa bản nháp chưa gửi")
        RETURNED = "returned", _("Trả lại để bổ sung")
        PARTY_OPINION = "party_opinion", _("Ghi nhận ý kiến cấp ủy")
        MEETING = "meeting", _("Ghi nhận họp tập thể lãnh đạo")
        APPROVED = "approved", _("Phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")
        COMMENTED = "commented", _("Trao đổi")
        IMPLEMENTATION_STARTED = "implementation_started", _("Bắt đầu triển khai")
        PROGRESS = "progress", _("Cập nhật tiến độ")
        SUSPENDED = "suspended", _("Lệnh tạm dừng")
        RESUMED = "resumed", _("Lệnh tiếp tục")
        TERMINATED = "terminated", _("Lệnh chấm dứt")
        COMPLETED = "completed", _("Hoàn thành triển khai")
        REPORTED = "reported", _("Nộp báo cáo kết quả")
        EVALUATED = "evaluated", _("Đánh giá kết quả")
        CONCLUDED = "concluded", _("Kết luận đánh giá")
        REWARD = "reward", _("Đề nghị khen thưởng")
        CLOSED = "closed", _("Đóng hồ sơ")
        REMINDED = "reminded", _("Nhắc hạn")
        ESCALATED = "escalated", _("Báo cáo quá hạn lên cấp trên")
        ATTACHMENT_ADDED = "attachment_added", _("Thêm tệp đính kèm")
        ATTACHMENT_REMOVED = "attachment_removed", _("Gỡ tệp đính kèm")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("sự kiện"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=16, choices=Status.choices, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    #: The hash chaining this row to the one before it (proposals.audit); empty until the nightly seal.
    seal = models.CharField(max_length=64, blank=True, db_default="", editable=False)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("nhật ký sự kiện")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d/%m/%Y %H:%M})"


class NoticeKind(models.TextChoices):
    """Messages about no proposal (OutboxMessage.kind), sent by the reports app."""

    ANNUAL_REVIEW = "annual_review", _("Tổng kết năm")
    PLAN_REMINDER = "plan_reminder", _("Nhắc nộp kế hoạch thực hiện")
    AUDIT_BROKEN = "audit_broken", _("Nhật ký kiểm tra bị sửa đổi")


class OutboxMessage(ChoiceLabels, models.Model):
    """A message to a person, written in the transaction of the change that causes it.

    Delivery (e-mail and in-app) is done later by a worker. Each message names one cause, unique per
    recipient so that it is queued at most once per person: a proposal event, a step of a confidential
    retaliation report, or, for a message about no proposal, a notice: its kind, a key naming the occasion
    (e.g. "annual-review:2025") and the facts its words need (payload). The notifications app words it.
    """

    event = models.ForeignKey(ProposalEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    # Retaliation reports are confidential: they never enter the proposal's history, so their messages
    # hang on a step of the report's own trail instead of an event.
    retaliation_step = models.ForeignKey("proposals.RetaliationStep", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=32, choices=NoticeKind.choices, blank=True)
    key = models.CharField(max_length=100, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thông báo chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="outbox_once_per_event"),
            models.UniqueConstraint(fields=["retaliation_step", "recipient"], name="outbox_once_per_retaliation_step"),
            models.UniqueConstraint(fields=["key", "recipient"], condition=~Q(key=""), name="outbox_once_per_key"),
            models.CheckConstraint(
                condition=Q(event__isnull=False, retaliation_step__isnull=True, kind="", key="")
                | Q(event__isnull=True, retaliation_step__isnull=False, kind="", key="")
                | (Q(event__isnull=True, retaliation_step__isnull=True, kind__in=NoticeKind.values) & ~Q(key="")),
                name="outbox_names_one_cause",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], condition=Q(delivered_at__isnull=True), name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.event or self.retaliation_step or self.key} → {self.recipient}"
