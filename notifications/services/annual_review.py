"""The January reminder of the annual review (DOMAIN.md "Monitoring and the annual review").

Opening the review creates the year's AnnualReview (where Home Affairs writes its assessment and produces
the report, see reports) and tells every current head of a city agency and of a local committee, once,
in-app (and by e-mail if they want it) to file the unit's implementation plan for the year. Each head is
told once per year (the notification's key), so the task can run again safely.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuthorityMembership, OrganisationUnit, Post, User
from notifications.models import Category, Notification
from notifications.services.delivery import email_once

logger = logging.getLogger(__name__)

Kind = OrganisationUnit.Kind
#: The units that file an implementation plan and report on it every year.
PLAN_UNIT_KINDS = (Kind.CITY_AGENCY, Kind.LOCAL_COMMITTEE)


def unit_heads(*, on: datetime.date) -> dict[int, tuple[User, OrganisationUnit]]:
    """Each current head of a plan-filing unit, with the unit: the authority's head member, else the
    holder of the unit's head post."""
    units = OrganisationUnit.objects.current(on).filter(kind__in=PLAN_UNIT_KINDS)
    heads: dict[int, tuple[User, OrganisationUnit]] = {}
    memberships = (AuthorityMembership.objects.current(on)
                   .filter(role=AuthorityMembership.Role.HEAD, authority__in=units, user__is_active=True)
                   .select_related("user", "authority").order_by("authority__path"))
    for membership in memberships:
        heads.setdefault(membership.user_id, (membership.user, membership.authority))
    headed = {unit.pk for _user, unit in heads.values()}
    posts = (Post.objects.current(on).filter(is_head=True, unit__in=units, user__is_active=True)
             .exclude(unit__in=headed).select_related("user", "unit").order_by("unit__path"))
    for post in posts:
        heads.setdefault(post.user_id, (post.user, post.unit))
    return heads


def annual_review_open(*, year: int, today: datetime.date | None = None) -> list[Notification]:
    """Remind every agency and local committee head to file the implementation plan for `year`.

    Returns the notifications created by this run (none when everyone was told already)."""
    from reports.models import AnnualReview

    today = today or timezone.localdate()
    AnnualReview.objects.get_or_create(year=year)
    key = f"annual-review:{year}"
    created_now, failures = [], 0
    for user, unit in unit_heads(on=today).values():
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Tổng kết năm %(year)s: nộp kế hoạch thực hiện đề xuất đổi mới, sáng tạo") % {"year": year}
            body = _("Cổng đã mở đợt tổng kết việc thực hiện đề xuất đổi mới, sáng tạo năm %(year)s. Đề nghị "
                     "%(unit)s rà soát, nộp kế hoạch thực hiện và báo cáo kết quả năm %(year)s cho Sở Nội vụ.") % {
                "year": year, "unit": unit.name}
        with transaction.atomic():
            notification, created = Notification.objects.select_for_update().get_or_create(
                recipient=user, key=key, defaults={"category": Category.ANNUAL_REVIEW, "title": title, "body": body},
            )
            try:
                with transaction.atomic():
                    email_once(notification)
            except Exception:
                # One broken mailbox must not stop the others; the in-app notice stays, a re-run sends the e-mail.
                failures += 1
                logger.exception("Annual review %s: the e-mail to %s failed", year, user)
        if created:
            created_now.append(notification)
    if failures:
        raise RuntimeError(f"annual review {year}: {failures} reminder(s) failed; run the task again to send them")
    return created_now
