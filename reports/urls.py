from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("parts/<str:part>/", views.DashboardPartView.as_view(), name="dashboard_part"),
    path("proposals/", views.ProposalListView.as_view(), name="proposals"),
    path("proposals/export.<str:fmt>", views.ProposalExportView.as_view(), name="export"),
    path("exports/", views.ExportJobListView.as_view(), name="exports"),
    path("exports/start/", views.ExportJobStartView.as_view(), name="export_start"),
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/progress/", views.ExportJobProgressView.as_view(), name="export_progress"),
    path("exports/<int:pk>/retry/", views.ExportJobRetryView.as_view(), name="export_retry"),
    path("exports/<int:pk>/download/", views.ExportJobDownloadView.as_view(), name="export_download"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/remind/", views.PlanRemindView.as_view(), name="plan_remind"),
    path("plans/<int:pk>/document/", views.PlanDocumentView.as_view(), name="plan_document"),
    path("annual/", views.AnnualReviewRedirectView.as_view(), name="annual_current"),
    path("annual/<int:year>/", views.AnnualReviewView.as_view(), name="annual"),
    path("annual/<int:year>/generate/", views.AnnualReportGenerateView.as_view(), name="annual_generate"),
    path("annual/reports/<int:pk>/progress/", views.AnnualReportProgressView.as_view(), name="annual_progress"),
    path("annual/reports/<int:pk>/<str:fmt>/", views.AnnualReportDownloadView.as_view(), name="annual_download"),
]
