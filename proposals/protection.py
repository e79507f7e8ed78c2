"""The protection table of Decree 73, Art. 11 (DOMAIN.md "Protection").

Its vocabulary (the evaluation's outcome and the protection tiers) is declared here, as the proposal's states are
in `proposals.workflow`; the models import it, and `proposals.models` re-exports both.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Hoàn thành")
    PARTLY = "partly", _("Hoàn thành một phần")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành")


class ProtectionTier(models.TextChoices):
    NOT_LIABLE = "not_liable", _("Không bị xử lý trách nhiệm")
    EXCLUDED = "excluded", _("Loại trừ trách nhiệm")
    CONSIDERED = "considered", _("Xem xét loại trừ, miễn hoặc giảm nhẹ trách nhiệm")
    NOT_PROTECTED = "not_protected", _("Không được bảo vệ")


def proposed_tier(evaluation) -> str:
    """The tier the evaluation's findings lead to.

    | evaluation              | finding                                        | protection                     |
    | completed               | —                                              | not held liable                |
    | partly / not completed  | followed the plan, pure motives, common good   | liability excluded             |
    | same, damage caused     | same                                           | considered for exclusion, ...  |
    | any                     | self-interest, corruption, outside the plan    | not protected                  |
    """
    if not (evaluation.followed_plan and evaluation.pure_motives and evaluation.common_good):
        return ProtectionTier.NOT_PROTECTED
    if evaluation.outcome == Outcome.COMPLETED:
        return ProtectionTier.NOT_LIABLE
    if evaluation.damage_caused:
        return ProtectionTier.CONSIDERED
    return ProtectionTier.EXCLUDED
