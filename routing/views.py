from __future__ import annotations

import datetime

import holidays
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.permissions import can_monitor_city
from routing import services
from routing.calendar import _public_holidays
from routing.forms import CalendarDayForm
from routing.models import CalendarDay


#: The years the calendar page shows: since before the portal's first proposals, up to some years ahead.
CALENDAR_FIRST_YEAR = 2000
CALENDAR_YEARS_AHEAD = 10


class CalendarView(View):
    """Home Affairs keeps the calendar that every working-day deadline is computed from."""

    def dispatch(self, request, *args, **kwargs):
        if not can_monitor_city(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, year, form, status=200, year_error=""):
        names = holidays.country_holidays("VN", years=year, language="vi" if get_language() == "vi" else "en_US")
        public = sorted((day, names.get(day)) for day in _public_holidays(year))
        overrides = CalendarDay.objects.filter(date__year=year).order_by("date")
        return render(request, "routing/calendar.html", {
            "year": year, "public": public, "overrides": overrides, "form": form,
            "years": range(year - 1, year + 2), "clock_days": settings.CLOCK_WORKING_DAYS, "year_error": year_error,
        }, status=status)

    def get(self, request):
        this_year = timezone.localdate().year
        asked = request.GET.get("year", str(this_year))
        first, last = CALENDAR_FIRST_YEAR, this_year + CALENDAR_YEARS_AHEAD
        if not (asked.isascii() and asked.isdigit() and first <= int(asked) <= last):
            return self._render(request, this_year, CalendarDayForm(), status=400, year_error=_(
                "Không có lịch cho năm “%(year)s”: hãy chọn một năm từ %(first)s đến %(last)s."
            ) % {"year": asked[:12], "first": first, "last": last})
        return self._render(request, int(asked), CalendarDayForm())

    def post(self, request):
        if "remove" in request.POST:
            if not request.POST["remove"].isdigit():
                raise Http404
            day = get_object_or_404(CalendarDay, pk=int(request.POST["remove"]))
            services.calendar_day_remove(actor=request.user, day=day)
            messages.success(request, _("Đã xóa ngày %(date)s khỏi lịch.") % {"date": day.date.strftime("%d/%m/%Y")})
            return redirect(f"{request.path}?year={day.date.year}")
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                day = services.calendar_day_set(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã cập nhật lịch ngày %(date)s.") % {"date": day.date.strftime("%d/%m/%Y")})
                return redirect(f"{request.path}?year={day.date.year}")
        year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else datetime.date.today().year
        return self._render(request, year, form)
