from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # apps.py also holds the sign-in protection's config
    name = "accounts"
    verbose_name = _("Tổ chức và tài khoản")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        # The Home Affairs group needs proposals' permissions, which exist once proposals has migrated.
        post_migrate.connect(_ensure_roles, sender=apps.get_app_config("proposals"))
        from django.contrib.auth.signals import user_logged_in

        from accounts.two_factor import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="accounts.two_factor")


def _ensure_roles(sender, **kwargs):
    from accounts.services import roles_ensure

    roles_ensure()


class SignInProtectionConfig(AxesConfig):
    """django-axes (sign-in lockout) under a Vietnamese name in the admin; its labels are in locale/vi."""

    verbose_name = _("Bảo vệ đăng nhập")
