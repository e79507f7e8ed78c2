from django.urls import path

from proposals import views

app_name = "proposals"
# Actions posted from the proposal page, one URL each; views.ACTIONS says what each does.
ACTION_PATHS = {
    "return": "return", "party_opinion": "party-opinion", "meeting": "meeting", "approve": "approve",
    "approve_by_head": "approve-by-head", "reject": "reject", "implementer": "implementers", "start": "start",
    "progress": "progress", "suspend": "suspend", "resume": "resume", "terminate": "terminate",
    "complete": "complete", "results_report": "results-report", "evaluation_opinion": "evaluation-opinion",
    "evaluation": "evaluation", "conclude": "conclude", "reward": "rewards", "reward_settle": "rewards/settle",
    "close": "close", "internal_note": "notes", "comment": "comments",
}

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("new/", views.ProposalCreateView.as_view(), name="create"),
    path("record/", views.OfficialRecordView.as_view(), name="record"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProposalUpdateView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.ProposalSubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", views.ProposalWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/transfer/", views.ProposalTransferView.as_view(), name="transfer"),
    path("<int:pk>/protection/", views.ProtectionDetailView.as_view(), name="protection"),
    path("<int:pk>/protection/document/", views.ProtectionDocumentView.as_view(), name="protection_document"),
    path("<int:pk>/retaliation/new/", views.RetaliationReportCreateView.as_view(), name="retaliation_new"),
    path("retaliation/", views.RetaliationReportListView.as_view(), name="retaliation_list"),
    path("retaliation/<int:report_id>/", views.RetaliationReportDetailView.as_view(), name="retaliation_detail"),
    path("<int:pk>/documents/<slug:kind>/<int:document_id>/", views.DocumentDownloadView.as_view(),
         name="document"),
    path("<int:pk>/versions/", views.VersionCompareView.as_view(), name="versions"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.AttachmentRemoveView.as_view(),
         name="attachment_remove"),
    *[path(f"<int:pk>/{segment}/", views.ProposalActionView.as_view(action=name), name=name)
      for name, segment in ACTION_PATHS.items()],
]
