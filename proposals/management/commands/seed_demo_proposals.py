"""`python manage.py seed_demo_proposals`: demo proposals over the last three years, in every state.

Run by `seed_demo` after the organisation and the demo accounts exist; safe to repeat (see proposals.demo).
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from proposals import demo


class Command(BaseCommand):
    help = _("Tạo các đề xuất mẫu trong ba năm gần nhất, ở mọi trạng thái, qua các nghiệp vụ thật (chạy lại an toàn).")

    def handle(self, *args, **options):
        started = time.monotonic()
        # WeasyPrint logs every step of every PDF (decisions, conclusions, protection decisions) at INFO.
        weasyprint = logging.getLogger("weasyprint")
        level = weasyprint.level
        weasyprint.setLevel(logging.WARNING)
        try:
            result = demo.seed(log=self.stdout.write)
        finally:
            weasyprint.setLevel(level)
        self.stdout.write(self.style.SUCCESS(
            _("Đề xuất mẫu: tạo mới %(created)d, đã có %(skipped)d (%(seconds).1f giây).") % {
                "created": result["created"], "skipped": result["skipped"],
                "seconds": time.monotonic() - started}))
