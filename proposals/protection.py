"""The protection table of Decree 73, Art. 11 (DOMAIN.md "Protection")."""

from __future__ import annotations

from proposals.models_aftercare import Outcome, ProtectionTier


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
