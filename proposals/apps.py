from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Đề xuất đổi mới, sáng tạo")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        from accounts.models import AuthorityMembership
        from proposals.signals import membership_changed

        post_save.connect(membership_changed, sender=AuthorityMembership, dispatch_uid="proposals-membership-saved")
        post_delete.connect(membership_changed, sender=AuthorityMembership,
                            dispatch_uid="proposals-membership-deleted")
