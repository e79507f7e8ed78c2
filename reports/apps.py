from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Giám sát và báo cáo")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from django.db.models.signals import post_delete

        from reports.models import ExportJob
        from reports.signals import export_job_deleted

        post_delete.connect(export_job_deleted, sender=ExportJob, dispatch_uid="reports.export_job_deleted")
