import datetime
import functools
import logging
from urllib.parse import urlencode

import jwt
import requests

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.paginator import Paginator
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import backends, imports, permissions, selectors, services, tasks, two_factor
from accounts.errors import DomainError, PasswordResetThrottled
from accounts.forms import (
    DirectoryForm,
    MergeForm,
    MoveForm,
    OrganisationImportForm,
    PortalPasswordResetForm,
    SignInForm,
    SplitForm,
)
from accounts.models import OrganisationImport, OrganisationUnit, SingleSignOnAttempt
from portal.clients import client_address
from proposals import selectors as proposal_selectors
from proposals.files import private_download


def home(request):
    user = request.user
    memberships = list(selectors.memberships_current(user=user))
    context = {
        "post": selectors.post_current_principal(user=user),
        "memberships": memberships,
        "is_reviewer": bool(memberships),
        "can_monitor": permissions.can_monitor_city(user),
        "is_head": any(m.role == m.Role.HEAD for m in memberships),
        "waiting": proposal_selectors.home_waiting(user=user),
    }
    return render(request, "accounts/home.html", context)


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # any driver error means "not reachable"
        return False, exc.__class__.__name__


def _broker_ok() -> tuple[bool, str]:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:
        return False, exc.__class__.__name__


@login_not_required
@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    body = {
        "status": "ok" if db_ok and broker_ok else ("degraded" if db_ok else "down"),
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if db_ok else 503)


def signin_locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in while the account or the client is locked out (settings.AXES_LOCKOUT_CALLABLE)."""
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }, status=429)


logger = logging.getLogger(__name__)

#: What a person refused by single sign-on reads on the sign-in page, by SingleSignOnAttempt.Outcome.
SINGLE_SIGN_ON_REFUSALS = {
    SingleSignOnAttempt.Outcome.UNKNOWN: gettext_lazy(
        "Tài khoản Thành phố của bạn chưa gắn với cán bộ nào trên Cổng: không có mã cán bộ hay thư điện tử nào "
        "khớp. Hãy đề nghị bộ phận tổ chức cán bộ của đơn vị cập nhật dữ liệu nhân sự."),
    SingleSignOnAttempt.Outcome.AMBIGUOUS: gettext_lazy(
        "Thư điện tử của bạn thuộc về nhiều tài khoản trên Cổng, nên Cổng không biết bạn là ai. Hãy liên hệ quản "
        "trị viên để gắn mã cán bộ cho tài khoản của bạn."),
    SingleSignOnAttempt.Outcome.ENDED: gettext_lazy(
        "Theo dữ liệu tổ chức, hôm nay bạn không giữ chức vụ nào tại các đơn vị của Thành phố, nên không thể đăng "
        "nhập. Nếu đây là nhầm lẫn, hãy liên hệ bộ phận tổ chức cán bộ của đơn vị."),
    SingleSignOnAttempt.Outcome.DISABLED: gettext_lazy(
        "Tài khoản của bạn trên Cổng đã bị khóa. Hãy liên hệ quản trị viên."),
    SingleSignOnAttempt.Outcome.PROVIDER_ERROR: gettext_lazy(
        "Hệ thống định danh của Thành phố chưa xác nhận được bạn (việc đăng nhập bị hủy hoặc gặp lỗi). Hãy thử "
        "lại."),
}


class SignInView(auth_views.LoginView):
    """The sign-in page: the City's account first when single sign-on is on, then the password form (for
    everyone, or folded away for administrators: settings.PASSWORD_SIGNIN)."""

    form_class = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = self.request.session.pop(backends.REFUSAL_SESSION_KEY, None)
        context.update({
            "single_sign_on": settings.SINGLE_SIGN_ON,
            "provider_name": settings.SINGLE_SIGN_ON_NAME,
            "passwords_for_everyone": settings.PASSWORD_SIGNIN == "everyone",
            "refusal": SINGLE_SIGN_ON_REFUSALS.get(refusal),
        })
        return context


def _when_single_sign_on(view):
    """The provider's pages exist only when single sign-on is configured; a person may reach them signed out."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.SINGLE_SIGN_ON:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back. A refusal, an error at the provider, a provider that cannot be
    reached or a token that does not verify lands on the sign-in page with the reason, and is recorded; an address
    that no sign-in of this browser started is neither recorded nor an error page."""

    def get(self, request):
        if request.GET.get("state") not in request.session.get("oidc_states", {}):
            # Reloaded, bookmarked or forged: nothing was started here to finish.
            request.session[backends.REFUSAL_SESSION_KEY] = SingleSignOnAttempt.Outcome.PROVIDER_ERROR
            return redirect("login")
        try:
            return super().get(request)
        except requests.RequestException as error:
            return self._refused(detail=f"unreachable: {error.__class__.__name__}")
        except (jwt.PyJWTError, SuspiciousOperation, KeyError) as error:
            # A token the provider signed with an unknown key, too early (clocks apart) or too late, or none.
            logger.warning("Single sign-on: the provider's answer did not verify: %r", error)
            return self._refused(detail=f"invalid token: {error.__class__.__name__}")

    def login_failure(self):
        if backends.REFUSAL_SESSION_KEY in self.request.session:
            return redirect("login")
        return self._refused(detail=self.request.GET.get("error", "") or "refused")

    def _refused(self, *, detail: str):
        services.single_sign_on_record(outcome=SingleSignOnAttempt.Outcome.PROVIDER_ERROR, claims={}, user=None,
                                       client_address=client_address(self.request), detail=detail)
        self.request.session[backends.REFUSAL_SESSION_KEY] = SingleSignOnAttempt.Outcome.PROVIDER_ERROR
        return redirect("login")


single_sign_on_start = _when_single_sign_on(OIDCAuthenticationRequestView.as_view())
single_sign_on_callback = _when_single_sign_on(SingleSignOnCallbackView.as_view())


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; after a single sign-on, it goes on to the provider's end-session endpoint when one is
    configured, which comes back to the sign-in page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not (id_token and settings.SINGLE_SIGN_ON and settings.OIDC_OP_LOGOUT_ENDPOINT):
            return response
        return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?" + urlencode({
            "id_token_hint": id_token, "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }))


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per e-mail address and per client (services.password_reset_request_record):
    a refused request sends nothing and says when to try again, next to the address. When passwords are for
    administrators only, it mails no one else."""

    form_class = PortalPasswordResetForm

    def form_valid(self, form):
        try:
            services.password_reset_request_record(email=form.cleaned_data["email"],
                                                   client_address=client_address(self.request))
        except PasswordResetThrottled as refusal:
            form.add_error("email", refusal.message)
            return self.form_invalid(form)
        return super().form_valid(form)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.isprintable() and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


class TwoFactorSetupView(View):
    """Set up (or replace) the authenticator app: scan the QR code, type the first code; the backup codes are
    shown once, right after."""

    def _render(self, request, device, error="", status=200):
        return render(request, "registration/two_factor_setup.html", {
            "qr": mark_safe(two_factor.qr_svg(device)), "secret": two_factor.secret_text(device), "error": error,
            "next": _next_url(request), "required": two_factor.required_for(request.user),
            "enrolled": two_factor.enrolled(request.user)}, status=status)

    def get(self, request):
        return self._render(request, two_factor.pending_app(request.user))

    def post(self, request):
        device = two_factor.pending_app(request.user)
        codes = two_factor.app_confirm(user=request.user, device=device, token=request.POST.get("token", "")[:16])
        if codes is None:
            return self._render(request, device, error=_("Mã không đúng hoặc đã hết hạn: hãy nhập mã đang hiện "
                                                         "trên ứng dụng."), status=400)
        otp_login(request, device)
        request.session.pop(two_factor.SESSION_KEY, None)
        return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})


class TwoFactorVerifyView(View):
    """The second step of signing in: a code from the app, or one of the backup codes (each works once)."""

    def get(self, request):
        return render(request, "registration/two_factor_verify.html", {"next": _next_url(request)})

    def post(self, request):
        device = match_token(request.user, request.POST.get("token", "").replace(" ", "")[:16])
        if device is None:
            return render(request, "registration/two_factor_verify.html", {
                "next": _next_url(request),
                "error": _("Mã không đúng. Hãy nhập mã đang hiện trên ứng dụng xác thực, hoặc một mã dự phòng.")},
                status=400)
        otp_login(request, device)
        request.session.pop(two_factor.SESSION_KEY, None)
        return HttpResponseRedirect(_next_url(request))


# — the directory ——————————————————————————————————————————————————————————————————————————————————————

DIRECTORY_PAGE_SIZE = 50


def _directory_form(request) -> tuple[DirectoryForm, datetime.date, str]:
    """The directory's filters as given, the date they name (today when none or a wrong one) and the words."""
    form = DirectoryForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # a wrong date is said beside its field; the words are still searched
    data = getattr(form, "cleaned_data", {})
    return form, data.get("on") or timezone.localdate(), data.get("q") or ""


@require_GET
def organisation(request):
    """The directory: the top of the unit tree as of a date, or what a search finds among units and officials."""
    form, on, query = _directory_form(request)
    units, officials = selectors.directory_search(query=query, on=on) if query else ([], [])
    return render(request, "accounts/organisation.html", {
        "form": form, "on": on, "query": query, "units": units, "officials": officials,
        "roots": [] if query else selectors.directory_roots(on=on),
        "shows_contacts": settings.DIRECTORY_SHOWS_CONTACTS,
        "can_import": permissions.can_import_organisation(request.user),
    })


@require_GET
def organisation_unit(request, code):
    """One unit of the directory as of a date: where it sits, the units below it, who decides for it and its
    officials, page by page. A unit that did not exist on that date answers 404."""
    form, on, _query = _directory_form(request)
    unit = get_object_or_404(OrganisationUnit.objects.current(on), code=code)
    officials = Paginator(selectors.unit_officials(unit=unit, on=on), DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "accounts/organisation_unit.html", {
        "form": form, "on": on, "directory": selectors.unit_directory(unit=unit, on=on), "officials": officials,
        "shows_contacts": settings.DIRECTORY_SHOWS_CONTACTS,
        "date_query": f"on={on.strftime('%d/%m/%Y')}" if request.GET.get("on") and on != timezone.localdate() else "",
    })


# — importing the organisation (accounts.imports) ———————————————————————————————————————————————————————


def _importer(request):
    if not permissions.can_import_organisation(request.user):
        raise Http404
    return request.user


def _import_or_404(request, pk) -> OrganisationImport:
    _importer(request)
    return get_object_or_404(OrganisationImport.objects.select_related("uploaded_by", "applied_by"), pk=pk)


class OrganisationImportsView(View):
    """The imports so far, newest first, and the form that starts one (its check runs in the background)."""

    def get(self, request, form=None):
        _importer(request)
        imports = Paginator(OrganisationImport.objects.select_related("uploaded_by", "applied_by")
                            .defer("problems", "changes"), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        form = form or OrganisationImportForm(initial={"as_of": timezone.localdate()})
        return render(request, "accounts/imports.html", {"form": form, "imports": imports},
                      status=400 if form.is_bound else 200)

    def post(self, request):
        actor = _importer(request)
        form = OrganisationImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.get(request, form=form)
        organisation_import = services.organisation_import_upload(
            actor=actor, files=form.cleaned_data["files"], mode=form.cleaned_data["mode"],
            as_of=form.cleaned_data["as_of"])
        tasks.enqueue(tasks.organisation_import_check, organisation_import.pk)
        return redirect("organisation_import", pk=organisation_import.pk)


class OrganisationImportView(View):
    """One import: its progress while it is checked or applied, then what it would do or did, and the rows in
    error; "apply" once it has none."""

    def get(self, request, pk):
        organisation_import = _import_or_404(request, pk)
        template = ("accounts/includes/import_status.html" if request.headers.get("HX-Request") == "true"
                    else "accounts/import.html")
        return render(request, template, {"item": organisation_import, "sheets": imports.SHEETS,
                                          "polled": template != "accounts/import.html"})

    def post(self, request, pk):
        organisation_import = _import_or_404(request, pk)
        try:
            organisation_import, asked = services.organisation_import_request_apply(
                actor=request.user, organisation_import=organisation_import)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if asked:  # a second click while it is being applied asks nothing more
                tasks.enqueue(tasks.organisation_import_apply, organisation_import.pk)
        return redirect("organisation_import", pk=organisation_import.pk)


@require_GET
def organisation_import_file(request, pk):
    """The file an import was made from, to those who import."""
    organisation_import = _import_or_404(request, pk)
    return private_download(organisation_import.file, filename=organisation_import.original_name)


@require_GET
def organisation_import_template(request):
    """The import's template, with Vietnamese headers (or English ones: ?lang=en) and an example row."""
    _importer(request)
    english = request.GET.get("lang") == "en"
    response = HttpResponse(imports.template_workbook(english=english), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    name = "organisation-import-template.xlsx" if english else "mau-nhap-to-chuc.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReorganisationView(View):
    """A reorganisation (proposals.services.reorganisation): the form, then the plan — what moves, what ends and
    every open proposal with where it goes — and, confirmed, its application."""

    template_name: str
    form_class: type

    def plan(self, actor, form):
        raise NotImplementedError

    def apply(self, actor, plan):
        raise NotImplementedError

    def landing(self, plan) -> OrganisationUnit:
        """The unit whose directory page follows the application."""
        raise NotImplementedError

    def get(self, request):
        _importer(request)
        return render(request, self.template_name, {
            "form": self.form_class(initial={"on": timezone.localdate(), "move_people": True})})

    def post(self, request):
        actor = _importer(request)
        form = self.form_class(request.POST)
        plan = None
        if form.is_valid():
            try:
                plan = self.plan(actor, form)
                if request.POST.get("action") == "apply":
                    plan = self.apply(actor, plan)
                    messages.success(request, _("Đã tổ chức lại: %(reason)s") % {"reason": plan.reason})
                    return redirect("organisation_unit", code=self.landing(plan).code)
            except DomainError as error:
                form.add_error(None, error.message)
                plan = None
        return render(request, self.template_name, {"form": form, "plan": plan},
                      status=200 if form.is_valid() else 400)


class UnitMergeView(ReorganisationView):
    """Units merged into a successor, existing or new (a rename)."""

    template_name = "accounts/reorganisation.html"
    form_class = MergeForm

    def plan(self, actor, form):
        from proposals.services.reorganisation import unit_merge_plan  # proposals builds on accounts

        data = form.cleaned_data
        return unit_merge_plan(actor=actor, sources=list(data["sources"]), successor=form.successor_unit(),
                               on=data["on"], move_people=data["move_people"])

    def apply(self, actor, plan):
        from proposals.services.reorganisation import unit_merge

        return unit_merge(actor=actor, plan=plan)

    def landing(self, plan):
        return plan.successor


def _assignments(post) -> dict[int, int]:
    """A split's choices of successor for each unit below the source: `assign-<child id>` = successor id."""
    pairs = ((name.removeprefix("assign-"), value) for name, value in post.items() if name.startswith("assign-"))
    return {int(child): int(to) for child, to in pairs if child.isdecimal() and to.isdecimal()}


class UnitSplitView(ReorganisationView):
    """One unit's parts going to two or more successors."""

    template_name = "accounts/reorganisation_split.html"
    form_class = SplitForm

    def plan(self, actor, form):
        from proposals.services.reorganisation import unit_split_plan

        data = form.cleaned_data
        return unit_split_plan(actor=actor, source=data["source"], successors=form.successors(), on=data["on"],
                               assignments=_assignments(self.request.POST), move_people=data["move_people"])

    def apply(self, actor, plan):
        from proposals.services.reorganisation import unit_split

        return unit_split(actor=actor, plan=plan)

    def landing(self, plan):
        return plan.principal


class UnitMoveView(ReorganisationView):
    """A unit going under another parent."""

    template_name = "accounts/reorganisation_move.html"
    form_class = MoveForm

    def plan(self, actor, form):
        from proposals.services.reorganisation import unit_move_plan

        data = form.cleaned_data
        return unit_move_plan(actor=actor, unit=data["unit"], parent=data["parent"], on=data["on"])

    def apply(self, actor, plan):
        from proposals.services.reorganisation import unit_move

        return unit_move(actor=actor, plan=plan)

    def landing(self, plan):
        return plan.unit
