from django.urls import path

from proposals import actions, views

app_name = "proposals"

#: Actions with a page or a view of their own; every other action of the registry posts its form to
#: `ProposalActionView`. Each URL is `<pk>/<the action's segment>/`, named after the action.
OWN_VIEWS = (views.ProposalUpdateView, views.ProposalSubmitView, views.ProposalWithdrawView, views.ProposalDeleteView,
             views.ProposalTransferView, views.RetaliationReportCreateView)

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("new/", views.ProposalCreateView.as_view(), name="create"),
    path("new/all/", views.ProposalCreateView.as_view(guided=False), name="create_all"),
    path("record/", views.OfficialRecordView.as_view(), name="record"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("people/search/", views.people_search, name="people_search"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/<int:step>/", views.ProposalSectionView.as_view(), name="section"),
    path("<int:pk>/check/", views.ProposalCheckView.as_view(), name="check"),
    path("<int:pk>/sent/", views.ProposalSentView.as_view(), name="sent"),
    path("<int:pk>/protection/", views.ProtectionDetailView.as_view(), name="protection"),
    path("<int:pk>/protection/document/", views.ProtectionDocumentView.as_view(), name="protection_document"),
    path("retaliation/", views.RetaliationReportListView.as_view(), name="retaliation_list"),
    path("retaliation/<int:report_id>/", views.RetaliationReportDetailView.as_view(), name="retaliation_detail"),
    path("<int:pk>/documents/<slug:kind>/<int:document_id>/", views.DocumentDownloadView.as_view(),
         name="document"),
    path("<int:pk>/documents/<slug:kind>/<int:document_id>/signature/", views.DocumentSignatureView.as_view(),
         name="document_signature"),
    path("<int:pk>/versions/", views.VersionCompareView.as_view(), name="versions"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.AttachmentRemoveView.as_view(),
         name="attachment_remove"),
    *[path(f"<int:pk>/{actions.ACTIONS[view.action].segment}/", view.as_view(), name=view.action)
      for view in OWN_VIEWS],
    *[path(f"<int:pk>/{action.segment}/", views.ProposalActionView.as_view(action=name), name=name)
      for name, action in actions.FORM_ACTIONS.items()],
    *[path(f"<int:pk>/{action.segment}/form/", views.ProposalActionFormView.as_view(action=name), name=f"{name}_form")
      for name, action in actions.FORM_ACTIONS.items() if action.place == "panel"],
]
