"""After approval: implementers, progress, orders, the results report, the evaluation, the conclusion and
the protection decision, and rewards (DOMAIN.md "Protection", "Encouragement")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit
from portal.choices import ChoiceLabels
from proposals.models.decisions import Meeting
from proposals.models.proposal import Proposal
from proposals.models.storage import document_path, private_storage
from proposals.protection import Outcome, ProtectionTier, proposed_tier


class Implementer(models.Model):
    """An official named to carry out an approved proposal besides its author."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="implementer_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT,
                             related_name="implementing")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người thực hiện")
        verbose_name_plural = _("người thực hiện")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="implementer_once")]

    def __str__(self) -> str:
        return str(self.user)


class ProgressUpdate(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="progress_updates")
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    milestones = models.TextField(_("mốc đã đạt được"), blank=True)
    resources_used = models.TextField(_("nguồn lực đã sử dụng so với được giao"), blank=True)
    budget_spent = models.DecimalField(_("kinh phí đã sử dụng (đồng)"), max_digits=18, decimal_places=0,
                                       null=True, blank=True, validators=[MinValueValidator(0)])
    problems = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    during_suspension = models.BooleanField(_("báo cáo trong thời gian tạm dừng"), default=False)
    document = models.FileField(_("tệp"), storage=private_storage, upload_to=document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["posted_at"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_at_most_100")]

    def __str__(self) -> str:
        return f"{self.percent}%"


class ImplementationOrder(ChoiceLabels, models.Model):
    """An order of the deciding authority to suspend, resume or terminate implementation."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("Tạm dừng")
        RESUME = "resume", _("Tiếp tục")
        TERMINATE = "terminate", _("Chấm dứt")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(_("lệnh"), max_length=16, choices=Kind.choices)
    reasons = models.TextField(_("lý do"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lệnh triển khai")
        verbose_name_plural = _("lệnh triển khai")
        ordering = ["issued_at"]
        constraints = [models.CheckConstraint(condition=~Q(reasons=""), name="order_has_reasons")]

    def __str__(self) -> str:
        return self.get_kind_display()


class ResultsReport(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="results_report")
    summary = models.TextField(_("tóm tắt kết quả thực hiện"))
    results_against_plan = models.TextField(_("kết quả so với mục tiêu, kết quả dự kiến"))
    resources_used = models.TextField(_("nguồn lực, kinh phí đã sử dụng"), blank=True)
    document = models.FileField(_("báo cáo (tệp)"), storage=private_storage, upload_to=document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo kết quả")
        verbose_name_plural = _("báo cáo kết quả")

    def __str__(self) -> str:
        return str(self.proposal)


class Evaluation(ChoiceLabels, models.Model):
    """The findings of the evaluation meeting (Decree 73, Art. 11)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="evaluation")
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="evaluation")
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices)
    damage_caused = models.BooleanField(_("gây thiệt hại"))
    damage_description = models.TextField(_("mô tả thiệt hại"), blank=True)
    damage_amount = models.DecimalField(_("giá trị thiệt hại ước tính (đồng)"), max_digits=18, decimal_places=0,
                                        null=True, blank=True, validators=[MinValueValidator(0)])
    objective_causes = models.TextField(_("nguyên nhân khách quan"))
    subjective_causes = models.TextField(_("nguyên nhân chủ quan"))
    followed_plan = models.BooleanField(_("thực hiện đúng phương án được phê duyệt"))
    pure_motives = models.BooleanField(_("động cơ trong sáng, không vụ lợi"))
    common_good = models.BooleanField(_("vì lợi ích chung"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá kết quả")
        verbose_name_plural = _("đánh giá kết quả")
        constraints = [
            models.CheckConstraint(condition=~Q(damage_caused=True) | ~Q(damage_description=""),
                                   name="evaluation_damage_described"),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def proposed_tier(self) -> str:
        return proposed_tier(self)

    def get_proposed_tier_display(self) -> str:
        return ProtectionTier(self.proposed_tier).label


class Conclusion(models.Model):
    """The written conclusion of the evaluation and the protection decision, issued together by the head."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="conclusion")
    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="conclusion")
    number = models.CharField(_("số kết luận"), max_length=64)
    conclusion_date = models.DateField(_("ngày kết luận"))
    text = models.TextField(_("nội dung kết luận"))
    document = models.FileField(storage=private_storage, upload_to=document_path, blank=True)
    authority = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết luận đánh giá")
        verbose_name_plural = _("kết luận đánh giá")

    def __str__(self) -> str:
        return self.number


class ProtectionDecision(ChoiceLabels, models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="protection")
    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="protection")
    proposed_tier = models.CharField(_("mức bảo vệ theo đánh giá"), max_length=16, choices=ProtectionTier.choices)
    tier = models.CharField(_("mức bảo vệ quyết định"), max_length=16, choices=ProtectionTier.choices)
    reasons = models.TextField(_("lý do (bắt buộc khi khác mức theo đánh giá)"), blank=True)
    number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    document = models.FileField(storage=private_storage, upload_to=document_path, blank=True)
    authority = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định bảo vệ")
        verbose_name_plural = _("quyết định bảo vệ")
        constraints = [
            models.CheckConstraint(condition=Q(tier=models.F("proposed_tier")) | ~Q(reasons=""),
                                   name="protection_other_tier_has_reasons"),
            models.UniqueConstraint("authority", "number", ExtractYear("decision_date"),
                                    name="protection_number_unique_per_authority_year"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.get_tier_display()}"


class Reward(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("Khen thưởng theo pháp luật thi đua, khen thưởng")
        SALARY_STEP = "salary_step", _("Nâng bậc lương trước thời hạn 12 tháng")
        PRIORITY = "priority", _("Ưu tiên trong đánh giá, bổ nhiệm, quy hoạch, luân chuyển")
        OTHER = "other", _("Hình thức khác")

    class Result(models.TextChoices):
        PENDING = "pending", _("Đang xem xét")
        GRANTED = "granted", _("Được chấp thuận")
        REFUSED = "refused", _("Không được chấp thuận")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="rewards")
    beneficiary = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người được đề nghị"),
                                    on_delete=models.PROTECT, related_name="rewards")
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("nội dung đề nghị"))
    result = models.CharField(_("kết quả"), max_length=16, choices=Result.choices, default=Result.PENDING)
    result_note = models.TextField(_("ghi chú kết quả"), blank=True)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["recommended_at"]
        indexes = [models.Index(fields=["beneficiary", "result"])]

    def __str__(self) -> str:
        return self.get_kind_display()
