"""The periodic tasks, defined here and written to django-celery-beat's tables by
`manage.py setup_periodic_tasks` (run by scripts/run.sh after migrate; run it on every deploy).

Times are in the portal's time zone (CELERY_TIMEZONE = Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

#: name → (task, schedule). A schedule is {"every_minutes": n} or crontab fields.
SCHEDULE = {
    "Chuyển thông báo còn tồn trong hộp thư đi": ("notifications.relay_outbox", {"every_minutes": 1}),
    "Quét thời hạn hằng ngày (nhắc hạn, báo cáo quá hạn)": (
        "notifications.scan_deadlines", {"minute": "0", "hour": "7"}),
    "Đồng bộ quyền quyết định theo thành viên cơ quan (hằng đêm)": (
        # Just after midnight: memberships that start or end by date take effect in the grants within minutes.
        "proposals.sync_authority_grants", {"minute": "5", "hour": "0"}),
    "Xóa các tệp xuất dữ liệu đã hết hạn (hằng đêm)": ("reports.export_jobs_expire", {"minute": "45", "hour": "2"}),
    "Niêm phong và kiểm tra nhật ký (hằng đêm)": ("proposals.audit_seal_and_verify", {"minute": "30", "hour": "3"}),
    "Mở tổng kết năm và nhắc nộp kế hoạch thực hiện (tháng Giêng)": (
        "reports.annual_review_open", {"minute": "0", "hour": "8", "day_of_month": "2", "month_of_year": "1"}),
}


@transaction.atomic
def setup_periodic_tasks() -> list[str]:
    """Create or update every task of SCHEDULE; returns their names. Tasks added by hand are left alone."""
    for name, (task, when) in SCHEDULE.items():
        fields = {"task": task, "enabled": True, "interval": None, "crontab": None}
        if "every_minutes" in when:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=when["every_minutes"], period=IntervalSchedule.MINUTES)
        else:
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=when.get("minute", "*"), hour=when.get("hour", "*"),
                day_of_month=when.get("day_of_month", "*"), month_of_year=when.get("month_of_year", "*"),
                day_of_week=when.get("day_of_week", "*"), timezone=settings.CELERY_TIMEZONE)
        PeriodicTask.objects.update_or_create(name=name, defaults=fields)
    return list(SCHEDULE)
