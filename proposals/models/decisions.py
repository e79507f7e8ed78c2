"""The deciding authority's work on a proposal: revision requests, Party opinions, leadership meetings,
the decision, and the notes and thread around them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit
from portal.choices import ChoiceLabels
from proposals.models.proposal import Proposal
from proposals.models.storage import document_path, private_storage


class Stage(models.TextChoices):
    DECISION = "decision", _("Xem xét, quyết định phê duyệt")
    EVALUATION = "evaluation", _("Đánh giá kết quả")


class RevisionRequest(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="revision_requests")
    message = models.TextField(_("nội dung yêu cầu bổ sung"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["requested_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="revision_request_has_message"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(answered_at__isnull=True),
                                    name="one_open_revision_request"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.message[:50]}"


class PartyOpinion(ChoiceLabels, models.Model):
    """The opinion of the Party committee at the same level, consulted before approval and evaluation."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="party_opinions")
    stage = models.CharField(_("giai đoạn"), max_length=16, choices=Stage.choices, default=Stage.DECISION)
    document_number = models.CharField(_("số văn bản"), max_length=64)
    document_date = models.DateField(_("ngày văn bản"))
    summary = models.TextField(_("tóm tắt ý kiến"))
    document = models.FileField(_("văn bản"), storage=private_storage, upload_to=document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến cấp ủy")
        verbose_name_plural = _("ý kiến cấp ủy")
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.document_date:%d/%m/%Y})"


class Meeting(ChoiceLabels, models.Model):
    """A collective leadership meeting and its vote."""

    class Vote(models.TextChoices):
        FOR = "for", _("Tán thành")
        AGAINST = "against", _("Không tán thành")
        ABSTAIN = "abstain", _("Không biểu quyết / phiếu trắng")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="meetings")
    stage = models.CharField(_("giai đoạn"), max_length=16, choices=Stage.choices, default=Stage.DECISION)
    meeting_date = models.DateField(_("ngày họp"))
    members_present = models.PositiveSmallIntegerField(_("số thành viên dự họp"))
    author_present = models.BooleanField(_("người đề xuất là thành viên dự họp (không biểu quyết)"), default=False)
    votes_for = models.PositiveSmallIntegerField(_("số phiếu tán thành"))
    votes_against = models.PositiveSmallIntegerField(_("số phiếu không tán thành"))
    votes_abstain = models.PositiveSmallIntegerField(_("số phiếu trắng, không biểu quyết"))
    head_vote = models.CharField(_("biểu quyết của người đứng đầu"), max_length=8, choices=Vote.choices)
    passed = models.BooleanField(_("thông qua"))
    minutes = models.FileField(_("biên bản họp"), storage=private_storage, upload_to=document_path, blank=True)
    minutes_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc họp tập thể lãnh đạo")
        verbose_name_plural = _("cuộc họp tập thể lãnh đạo")
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__lte=models.F("members_present") - models.F("votes_against") - models.F("votes_abstain")
                            - models.Case(models.When(author_present=True, then=1), default=0)),
                name="meeting_votes_within_voters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_date:%d/%m/%Y}: {self.votes_for}/{self.votes_against}/{self.votes_abstain}"

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain


class Decision(ChoiceLabels, models.Model):
    """The deciding authority's decision on a proposal: one per proposal, so two clicks make one decision."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Phê duyệt")
        REJECTION = "rejection", _("Không phê duyệt")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(_("loại quyết định"), max_length=16, choices=Kind.choices)
    basis = models.CharField(_("căn cứ"), max_length=8, choices=Proposal.ApprovalBasis.choices, blank=True)
    number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    reasons = models.TextField(_("lý do, căn cứ"), blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.FileField(storage=private_storage, upload_to=document_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="rejection") | ~Q(reasons=""), name="rejection_has_reasons"),
            models.CheckConstraint(condition=~Q(basis="head") | ~Q(reasons=""), name="head_approval_is_justified"),
            models.CheckConstraint(condition=~Q(kind="approval") | ~Q(basis=""), name="approval_has_basis"),
            # Numbers run from 01 each year (Decree 30/2020, proposals.numbering): unique per body and year.
            models.UniqueConstraint("authority", "number", ExtractYear("decision_date"),
                                    name="decision_number_unique_per_authority_year"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.get_kind_display()}"


class Note(ChoiceLabels, models.Model):
    """Internal notes of the deciding authority (never shown to the author) and the author–reviewer thread."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Ghi chú nội bộ")
        THREAD = "thread", _("Trao đổi với người đề xuất")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="notes")
    visibility = models.CharField(max_length=16, choices=Visibility.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú, trao đổi")
        verbose_name_plural = _("ghi chú, trao đổi")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["proposal", "visibility", "created_at"])]

    def __str__(self) -> str:
        return self.text[:50]
