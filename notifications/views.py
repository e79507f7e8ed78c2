from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from notifications import messages as wording
from notifications import selectors, services
from notifications.forms import PreferencesForm

PAGE_SIZE = 20


class NotificationListView(View):
    def get(self, request):
        page = Paginator(selectors.notification_list_for(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page"))
        return render(request, "notifications/list.html", {
            "page": page,
            "worded": [(notification, wording.in_reader_language(notification)) for notification in page.object_list]})


class NotificationOpenView(View):
    """Marks the notification read and opens its proposal, if the reader may still see it."""

    def get(self, request, pk):
        notification = get_object_or_404(selectors.notification_list_for(user=request.user), pk=pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        if not notification.link:
            return redirect("notifications:list")
        if not notification.can_open:
            raise Http404(_("Bạn không còn quyền xem đề xuất này."))
        return redirect(notification.link)


class NotificationMarkReadView(View):
    def post(self, request, pk):
        notification = get_object_or_404(selectors.notification_list_for(user=request.user), pk=pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        return _back(request)


class NotificationMarkAllReadView(View):
    def post(self, request):
        count = services.notifications_mark_all_read(actor=request.user)
        if count:
            messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
        return _back(request)


class PreferencesView(View):
    def get(self, request):
        chosen = [c for c, email in selectors.email_choices_for(user=request.user).items() if email]
        return self._render(request, PreferencesForm(initial={"email_categories": chosen}))

    def post(self, request):
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        services.preferences_update(actor=request.user, email_categories=form.cleaned_data["email_categories"])
        messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
        return redirect("notifications:preferences")

    def _render(self, request, form, status=200):
        return render(request, "notifications/preferences.html", {
            "form": form, "has_email": bool(request.user.email)}, status=status)


def _back(request):
    target = request.POST.get("next", "")
    # A control character (a NUL) passes Django's check but cannot go into a Location header.
    if target and target.isprintable() and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        # A URL, never a view name: redirect() would try to reverse a bare word such as "-1".
        return HttpResponseRedirect(target)
    return redirect("notifications:list")
