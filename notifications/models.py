"""In-app notifications and each person's choice of which kinds also arrive by e-mail.

A notification is the delivered form of one outbox message (proposals.OutboxMessage). A message about
no proposal (the annual review, a plan reminder) also passes its `key` on, which keeps it once per person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.choices import ChoiceLabels


class Category(models.TextChoices):
    """Kinds of notification a person can choose e-mail for; each proposal event kind belongs to one."""

    ASSIGNED = "assigned", _("Đề xuất chuyển đến cơ quan tôi xem xét, quyết định")
    RECEIPT = "receipt", _("Xác nhận đề xuất của tôi đã được gửi tới cơ quan có thẩm quyền")
    DECISION = "decision", _("Kết quả xem xét đề xuất của tôi")
    IMPLEMENTATION = "implementation", _("Chỉ đạo triển khai (tạm dừng, tiếp tục, chấm dứt)")
    EVALUATION = "evaluation", _("Báo cáo kết quả, đánh giá, kết luận và bảo vệ")
    COMMENT = "comment", _("Trao đổi về đề xuất")
    DEADLINE = "deadline", _("Nhắc hạn và báo cáo quá hạn")
    RETALIATION = "retaliation", _("Phản ánh bị cản trở, trù dập")
    ANNUAL_REVIEW = "annual_review", _("Kế hoạch thực hiện và tổng kết hằng năm")
    OTHER = "other", _("Thông báo khác")


class Notification(ChoiceLabels, models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    category = models.CharField(_("loại"), max_length=32, choices=Category.choices)
    outbox_message = models.OneToOneField(
        "proposals.OutboxMessage", verbose_name=_("thư đi"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="notification",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", verbose_name=_("đề xuất"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    #: The key of a message about no proposal (e.g. "annual-review:2025"): one notification per recipient and
    #: key, also for those delivered before such messages went through the outbox.
    key = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("liên kết"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    #: The e-mail's hand-off to the mail server, recorded on both sides (notifications.services.delivery):
    #: committed before the SMTP exchange, and when the server accepted the message.
    email_handed_off_at = models.DateTimeField(_("chuyển thư cho máy chủ thư lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_recent"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(ChoiceLabels, models.Model):
    """Whether a person also wants e-mail for one category; without a row, e-mail is on. In-app is always on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("loại"), max_length=32, choices=Category.choices)
    email = models.BooleanField(_("nhận thư điện tử"), default=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="preference_once_per_category"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="preference_category_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_category_display()}"
