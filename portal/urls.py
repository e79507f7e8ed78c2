from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from accounts import views as account_views

admin.site.site_header = _("Cổng đề xuất đổi mới, sáng tạo — Quản trị")
admin.site.site_title = _("Quản trị cổng đề xuất")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    # Single sign-on with the City's identity provider (accounts.backends), when configured.
    path("oidc/authenticate/", account_views.single_sign_on_start, name="oidc_authentication_init"),
    path("oidc/callback/", account_views.single_sign_on_callback, name="oidc_authentication_callback"),
    # Before Django's own views of the same addresses, which they replace.
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", account_views.SignOutView.as_view(), name="logout"),
    path("accounts/password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/two-factor/", account_views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("accounts/two-factor/verify/", account_views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("organisation/", account_views.organisation, name="organisation"),
    path("organisation/imports/", account_views.OrganisationImportsView.as_view(), name="organisation_imports"),
    path("organisation/imports/merge/", account_views.UnitMergeView.as_view(), name="organisation_merge"),
    path("organisation/imports/split/", account_views.UnitSplitView.as_view(), name="organisation_split"),
    path("organisation/imports/move/", account_views.UnitMoveView.as_view(), name="organisation_move"),
    path("organisation/imports/template.xlsx", account_views.organisation_import_template,
         name="organisation_import_template"),
    path("organisation/imports/<int:pk>/", account_views.OrganisationImportView.as_view(), name="organisation_import"),
    path("organisation/imports/<int:pk>/file/", account_views.organisation_import_file,
         name="organisation_import_file"),
    path("organisation/<slug:code>/", account_views.organisation_unit, name="organisation_unit"),
    path("proposals/", include("proposals.urls")),
    path("review/", include("proposals.review_urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("calendar/", include("routing.urls")),
    path("admin/", admin.site.urls),
]
