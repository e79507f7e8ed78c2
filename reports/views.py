"""Home Affairs' workplace. Each view parses input, calls one selector or service, and renders; a person without
a reason to see a page gets 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View

from accounts import permissions as roles
from accounts.models import OrganisationUnit
from proposals.files import private_download
from reports import exports, selectors, services
from reports import permissions as reports_permissions
from reports.errors import DomainError
from reports.forms import AnnualReviewForm, ImplementationPlanForm, ReportFilterForm
from reports.models import PLAN_UNIT_KINDS, AnnualReview, AnnualReviewReport, ExportJob

PAGE_SIZE = 25
PLAN_PAGE_SIZE = 50


def _scope_or_404(request) -> selectors.Scope:
    scope = selectors.report_scope_for(user=request.user)
    if scope is None:
        raise Http404
    return scope


def _require_monitor(request) -> None:
    if not roles.can_monitor_city(request.user):
        raise Http404


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2023 <= year <= 2100 else default


def _filters(request, scope):
    choices = selectors.filter_choices(scope=scope)
    form = ReportFilterForm(request.GET or None, scope=scope, authorities=choices["authorities"],
                            topics=choices["topics"])
    return form, form.filters(timezone.localdate())


def _list_url(filters: selectors.ReportFilters, **overrides) -> str:
    return f"{reverse('reports:proposals')}?{urlencode(filters.params(**overrides))}"


#: Rows of the long tables the dashboard shows at once; the rest come page by page (htmx).
AUTHORITY_PAGE_SIZE = 20
MONTH_PAGE_SIZE = 12
UNIT_PAGE_SIZE = 60


def _page(rows, size: int, number=None):
    return Paginator(rows, size).get_page(number)


class DashboardView(View):
    def get(self, request):
        scope = _scope_or_404(request)
        form, filters = _filters(request, scope)
        today = timezone.localdate()
        data = selectors.dashboard_data(scope=scope, filters=filters, today=today)
        query = urlencode(filters.params())
        pages = {
            "authority": _page(data["by_authority"], AUTHORITY_PAGE_SIZE),
            "month": _page(data["by_period"]["months"], MONTH_PAGE_SIZE),
            "units": _page(data["units_without_proposals"], UNIT_PAGE_SIZE),
        }
        links = _dashboard_links(filters, data, authority_rows=pages["authority"].object_list,
                                 month_rows=pages["month"].object_list)
        return render(request, "reports/dashboard.html", {
            **data, "form": form, "filters": filters, "scope": scope, "today": today, "query": query,
            "pages": pages, "links": links, "chart_data": _chart_data(data),
            "compliance_choices": selectors.Compliance.choices,
        })


class DashboardPartView(View):
    """A further page of one of the dashboard's long tables: authorities, months, units without proposals."""

    def get(self, request, part):
        scope = _scope_or_404(request)
        if part not in {"authority", "month", "units"}:
            raise Http404
        _form, filters = _filters(request, scope)
        today = timezone.localdate()
        number = request.GET.get("page")
        context = {"part": part, "query": urlencode(filters.params()), "filters": filters}
        if part == "units":
            rows = selectors.units_without_proposals(scope=scope, year=filters.date_to.year, today=today)
            context["page"] = _page(rows, UNIT_PAGE_SIZE, number)
            return render(request, "reports/includes/units_page.html", context)
        rows = selectors.dashboard_breakdown(scope=scope, filters=filters, dimension=part, today=today)
        page = _page(rows, AUTHORITY_PAGE_SIZE if part == "authority" else MONTH_PAGE_SIZE, number)
        _row_links(filters, part, page.object_list)
        context["page"] = page
        return render(request, "reports/includes/breakdown_page.html", context)


def _base(filters: selectors.ReportFilters) -> selectors.ReportFilters:
    return selectors.ReportFilters(date_from=filters.date_from, date_to=filters.date_to,
                                   authority=filters.authority, kind=filters.kind, topic=filters.topic)


def _row_links(filters: selectors.ReportFilters, part: str, rows) -> None:
    base = _base(filters)
    for row in rows:
        if part == "authority":
            row["links"] = _breakdown_links(base, authority=row["key"])
        else:
            row["links"] = _breakdown_links(base, date_from=max(row["start"], filters.date_from),
                                            date_to=min(row["end"], filters.date_to))


def _dashboard_links(filters: selectors.ReportFilters, data: dict, *, authority_rows, month_rows) -> dict:
    """Every shown figure's drill-down URL, keyed the way the template looks them up."""
    base = _base(filters)
    links = {
        "all": _list_url(base),
        "decided": {key: _list_url(base, decided=key) for key, _label in selectors.Decided.choices},
        "status": {row["status"]: _list_url(base, status=row["status"]) for row in data["by_status"]},
        "clock": {
            clock["key"]: {compliance: _list_url(base, clock=clock["key"], compliance=compliance)
                           for compliance, _label in selectors.Compliance.choices}
            for clock in data["summary"]["clocks"]
        },
        "overdue": _list_url(base, compliance=selectors.Compliance.OVERDUE),
    }
    aftercare = data["aftercare"]
    for row in aftercare["outcomes"]:
        row["link"] = _list_url(base, outcome=row["key"])
    aftercare["damage_link"] = _list_url(base, damage=selectors.Damage.YES)
    for row in aftercare["tiers"]:
        row["link"] = _list_url(base, tier=row["key"])
    rewards = data["rewards"]
    for row in rewards["rows"]:
        for cell in row["cells"]:
            cell["url"] = _list_url(base, reward_kind=row["key"], reward_result=cell["key"])
        row["link"] = _list_url(base, reward_kind=row["key"])
    for cell in rewards["total_cells"]:
        cell["url"] = _list_url(base, reward_result=cell["key"])
    if data["retaliation"] is not None:
        for row in data["retaliation"]["rows"]:
            row["link"] = _list_url(base, retaliation=row["key"])
    _row_links(filters, "authority", authority_rows)
    _row_links(filters, "month", month_rows)
    for row in data["by_kind"]:
        row["links"] = _breakdown_links(base, kind=row["key"])
    for row in data["by_topic"]:
        row["links"] = _breakdown_links(base, topic=row["key"]) if row["key"] else None
    for group in ("quarters", "years"):
        for row in data["by_period"][group]:
            row["links"] = _breakdown_links(base, date_from=max(row["start"], filters.date_from),
                                            date_to=min(row["end"], filters.date_to))
    return links


def _breakdown_links(base: selectors.ReportFilters, **narrowed) -> dict:
    return {
        "total": _list_url(base, **narrowed),
        **{key: _list_url(base, decided=key, **narrowed) for key, _label in selectors.Decided.choices},
        "review_late": _list_url(base, clock="review", compliance=selectors.Compliance.LATE, **narrowed),
        "overdue": _list_url(base, compliance=selectors.Compliance.OVERDUE, **narrowed),
    }


def _chart_data(data: dict) -> dict:
    return {
        "status": {"labels": [str(row["label"]) for row in data["by_status"]],
                   "values": [row["count"] for row in data["by_status"]]},
        "months": {"labels": [row["label"] for row in data["by_period"]["months"]],
                   "series": [{"label": label, "values": [row[key] for row in data["by_period"]["months"]]}
                              for key, label in (("total", _("Đăng ký")), ("approved", _("Phê duyệt")),
                                                 ("rejected", _("Không phê duyệt")))]},
        "authority": {"labels": [row["label"] for row in data["by_authority"][:15]],
                      "values": [row["total"] for row in data["by_authority"][:15]]},
        "outcomes": {"labels": [str(row["label"]) for row in data["aftercare"]["outcomes"]],
                     "values": [row["count"] for row in data["aftercare"]["outcomes"]]},
        "tiers": {"labels": [str(row["label"]) for row in data["aftercare"]["tiers"]],
                  "values": [row["count"] for row in data["aftercare"]["tiers"]]},
        "rewards": {"labels": [str(row["label"]) for row in data["rewards"]["rows"]],
                    "series": [{"label": str(label), "key": result,
                                "values": [row[result] for row in data["rewards"]["rows"]]}
                               for result, label in data["rewards"]["results"]]},
        "retaliation": None if data["retaliation"] is None else {
            "labels": [str(row["label"]) for row in data["retaliation"]["rows"]],
            "values": [row["count"] for row in data["retaliation"]["rows"]]},
        "clocks": {"labels": [str(clock["label"]) for clock in data["summary"]["clocks"]],
                   "series": [{"label": str(label), "key": key,
                               "values": [clock[key] for clock in data["summary"]["clocks"]]}
                              for key, label in selectors.Compliance.choices]},
    }


class ProposalListView(View):
    """The proposals behind a figure of the dashboard, with the same filters, paginated and exportable."""

    def get(self, request):
        scope = _scope_or_404(request)
        form, filters = _filters(request, scope)
        queryset = selectors.proposal_list_for_report(scope=scope, filters=filters)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        query = urlencode(filters.params())
        return render(request, "reports/proposal_list.html", {
            "form": form, "filters": filters, "page": page, "query": query, "scope": scope,
            "rows": selectors.with_running_clocks(page.object_list),
            "export_start": f"{reverse('reports:export_start')}?{query}",
            "export_csv": f"{reverse('reports:export', args=['csv'])}?{query}",
            "dashboard_url": f"{reverse('reports:dashboard')}?"
                             f"{urlencode(filters.params(**dict.fromkeys(selectors.DRILL_DOWNS)))}",
        })


def _export_refused(request):
    """An export asked with filters the list would ignore (shown there next to each): nothing is written, since a
    file of another period or scope than the one asked for would mislead whoever reads it."""
    messages.error(request, _("Chưa xuất tệp: bộ lọc có giá trị không hợp lệ, xem thông báo bên cạnh từng ô."))
    return redirect(f"{reverse('reports:proposals')}?{request.GET.urlencode()}")


class ProposalExportView(View):
    """CSV streams the filtered list row by row, so it starts at once whatever its size; only what the person's
    scope covers is ever read. An Excel file is written in the background (ExportJobStartView): a link to the
    old address leads back to the list, whose button starts it."""

    def get(self, request, fmt):
        scope = _scope_or_404(request)
        form, filters = _filters(request, scope)
        if form.errors:
            return _export_refused(request)
        if fmt == "csv":
            return private_download(exports.proposals_csv(scope=scope, filters=filters),
                                    filename=f"{exports.file_stem(filters)}.csv", content_type="text/csv; charset=utf-8")
        if fmt == "xlsx":
            messages.info(request, _("Tệp Excel được tạo trong nền: bấm “Xuất Excel” và tải tệp về khi xong."))
            return redirect(_list_url(filters))
        raise Http404


# — background exports (reports/services/exports.py) —

def _export_job_or_404(request, pk: int) -> ExportJob:
    job = selectors.export_job_for(user=request.user, pk=pk)
    if job is None or not reports_permissions.can_see_export(request.user, job):
        raise Http404
    return job


class ExportJobStartView(View):
    """POST with the list's filters in the query string, as the list page has them; one job per person and list
    while it is being made, so a double click opens the same job."""

    def post(self, request):
        scope = _scope_or_404(request)
        form, filters = _filters(request, scope)
        if form.errors:
            return _export_refused(request)
        fmt = request.POST.get("format", "")
        if fmt not in ExportJob.Format.values:
            raise Http404
        job = services.export_job_start(actor=request.user, fmt=fmt, filters=filters,
                                        language=translation.get_language())
        return redirect("reports:export_job", pk=job.pk)


class ExportJobListView(View):
    def get(self, request):
        _scope_or_404(request)
        return render(request, "reports/export_jobs.html", {"jobs": selectors.export_jobs_of(user=request.user)})


class ExportJobView(View):
    def get(self, request, pk):
        scope = _scope_or_404(request)
        job = _export_job_or_404(request, pk)
        return render(request, "reports/export_job.html", {
            "job": job, "list_url": f"{reverse('reports:proposals')}?{urlencode(job.params)}",
            "can_download": reports_permissions.can_download_export(request.user, job, scope),
        })


class ExportJobProgressView(View):
    """The fragment the job page polls with htmx; it stops polling once the job is finished."""

    def get(self, request, pk):
        scope = _scope_or_404(request)
        job = _export_job_or_404(request, pk)
        return render(request, "reports/includes/export_job_status.html", {
            "job": job, "can_download": reports_permissions.can_download_export(request.user, job, scope),
            "polled": True})


class ExportJobRetryView(View):
    def post(self, request, pk):
        _scope_or_404(request)
        job = _export_job_or_404(request, pk)
        try:
            job = services.export_job_retry(actor=request.user, job=job)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("reports:export_job", pk=job.pk)


class ExportJobDownloadView(View):
    def get(self, request, pk):
        scope = _scope_or_404(request)
        job = _export_job_or_404(request, pk)
        if not reports_permissions.can_download_export(request.user, job, scope):
            raise Http404
        content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        if job.format == ExportJob.Format.XLSX else "text/csv; charset=utf-8")
        return private_download(job.file, filename=job.filename, content_type=content_type)


# — implementation plans —

class PlanListView(View):
    """Home Affairs sees every unit's filing for a year; heads and secretariats file their own unit's plan."""

    def _context(self, request, year: int, form=None) -> dict:
        today = timezone.localdate()
        monitor = roles.can_monitor_city(request.user)
        own_units = selectors.plan_units_for(user=request.user)
        if not monitor and not own_units:
            raise Http404
        context = {"year": year, "years": range(today.year + 1, 2022, -1), "monitor": monitor, "own_units": own_units}
        if own_units:
            context["plan_form"] = form or ImplementationPlanForm(units=own_units, today=today,
                                                                  initial={"year": year})
            context["own_plans"] = list(selectors.plans_of_units(units=own_units))
        if monitor:
            filed = request.GET.get("filed", "")
            filed = filed if filed in {"yes", "no"} else ""
            units = selectors.plan_overview(year=year, filed=filed, today=today)
            context.update({
                "filed": filed, "counts": selectors.plan_counts(year=year, today=today),
                "page": Paginator(units, PLAN_PAGE_SIZE).get_page(request.GET.get("page")),
                "query": urlencode({"year": year, **({"filed": filed} if filed else {})}),
            })
        return context

    def get(self, request):
        year = _year(request.GET.get("year"), timezone.localdate().year)
        return render(request, "reports/plans.html", self._context(request, year))

    def post(self, request):
        own_units = selectors.plan_units_for(user=request.user)
        if not own_units:
            raise Http404
        form = ImplementationPlanForm(request.POST, request.FILES, units=own_units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.implementation_plan_file(
                    actor=request.user, unit=data["unit"], year=data["year"], document=data["document"],
                    document_date=data["document_date"], measures=data["measures"])
            except DomainError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error("document" if getattr(error, "code", "") in {"too_large", "empty", "bad_type"}
                               else None, error)
            else:
                messages.success(request, _("Đã nộp kế hoạch thực hiện năm %(year)s của %(unit)s.")
                                 % {"year": data["year"], "unit": data["unit"]})
                return redirect(f"{reverse('reports:plans')}?year={data['year']}")
        year = _year(request.POST.get("year"), timezone.localdate().year)
        return render(request, "reports/plans.html", self._context(request, year, form=form), status=200)


class PlanRemindView(View):
    def post(self, request):
        _require_monitor(request)
        year = _year(request.POST.get("year"), timezone.localdate().year)
        ids = [int(pk) for pk in request.POST.getlist("unit") if pk.isdigit()]
        units = OrganisationUnit.objects.filter(kind__in=PLAN_UNIT_KINDS)
        if request.POST.get("all") == "1":
            units = selectors.plan_overview(year=year, filed="no")
        else:
            units = units.filter(pk__in=ids)
        reminders = services.plan_reminders_send(actor=request.user, year=year, units=list(units))
        if reminders:
            messages.success(request, _("Đã gửi nhắc nhở tới %(n)s đơn vị.") % {"n": len(reminders)})
        else:
            messages.info(request, _("Không có đơn vị nào cần nhắc."))
        return redirect(f"{reverse('reports:plans')}?year={year}&filed=no")


class PlanDocumentView(View):
    def get(self, request, pk):
        plan = selectors.plan_get_visible(user=request.user, pk=pk)
        if plan is None:
            raise Http404
        return private_download(plan.document, filename=plan.document_name)


# — the annual review —

class AnnualReviewRedirectView(View):
    def get(self, request):
        _require_monitor(request)
        return redirect("reports:annual", year=timezone.localdate().year)


class AnnualReviewView(View):
    def _render(self, request, year: int, form=None, status: int = 200):
        review = selectors.annual_review_for(year=year)
        return render(request, "reports/annual.html", {
            "year": year, "review": review,
            "form": form or AnnualReviewForm(instance=review or AnnualReview(year=year)),
            "reports": list(selectors.annual_reports(year=year)),
            "years": sorted({*selectors.annual_review_years(), timezone.localdate().year}, reverse=True),
        }, status=status)

    def get(self, request, year):
        _require_monitor(request)
        if not 2023 <= year <= 2100:
            raise Http404
        return self._render(request, year)

    def post(self, request, year):
        _require_monitor(request)
        if not 2023 <= year <= 2100:
            raise Http404
        form = AnnualReviewForm(request.POST)
        if not form.is_valid():
            return self._render(request, year, form=form)
        services.annual_review_save(actor=request.user, year=year, data=form.cleaned_data)
        messages.success(request, _("Đã lưu đánh giá năm %(year)s.") % {"year": year})
        return redirect("reports:annual", year=year)


class AnnualReportGenerateView(View):
    def post(self, request, year):
        _require_monitor(request)
        if not 2023 <= year <= 2100:
            raise Http404
        services.annual_review_report_request(actor=request.user, year=year)
        messages.info(request, _("Đang tạo báo cáo tổng kết năm %(year)s; trang sẽ cập nhật tiến độ.") % {"year": year},
                      extra_tags="background-work")
        return redirect("reports:annual", year=year)


class AnnualReportProgressView(View):
    """The htmx fragment the page polls while a report is produced; it stops polling once the report is done."""

    def get(self, request, pk):
        _require_monitor(request)
        report = get_object_or_404(AnnualReviewReport.objects.select_related("review", "created_by"), pk=pk)
        return render(request, "reports/includes/annual_report_row.html", {"report": report, "polled": True})


class AnnualReportDownloadView(View):
    def get(self, request, pk, fmt):
        _require_monitor(request)
        report = get_object_or_404(AnnualReviewReport.objects.select_related("review"), pk=pk,
                                   status=AnnualReviewReport.Status.DONE)
        if fmt not in {"pdf", "xlsx"}:
            raise Http404
        file = report.pdf if fmt == "pdf" else report.xlsx
        content_type = "application/pdf" if fmt == "pdf" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return private_download(file, content_type=content_type,
                                filename=f"bao-cao-tong-ket-{report.review.year}-{report.pk}.{fmt}")


