"""The numbers of issued documents: one sequence per issuing body and calendar year (Decree 30/2020/NĐ-CP)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentCounter(models.Model):
    """The last number a body gave a document in a year; `proposals.numbering` takes the next one."""

    issuer = models.ForeignKey("accounts.OrganisationUnit", verbose_name=_("cơ quan ban hành"),
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    last = models.PositiveIntegerField(_("số đã cấp gần nhất"))

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = _("sổ đăng ký số văn bản")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="document_counter_once_per_year")]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.year}: {self.last}"
