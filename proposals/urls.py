from django.urls import path

from proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("new/", views.ProposalCreateView.as_view(), name="create"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProposalUpdateView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.ProposalSubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", views.ProposalWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/transfer/", views.ProposalTransferView.as_view(), name="transfer"),
    path("<int:pk>/return/", views.ProposalReturnView.as_view(), name="return"),
    path("<int:pk>/party-opinion/", views.PartyOpinionRecordView.as_view(), name="party_opinion"),
    path("<int:pk>/meeting/", views.MeetingRecordView.as_view(), name="meeting"),
    path("<int:pk>/approve/", views.ProposalApproveView.as_view(), name="approve"),
    path("<int:pk>/approve-by-head/", views.ProposalApproveByHeadView.as_view(), name="approve_by_head"),
    path("<int:pk>/reject/", views.ProposalRejectView.as_view(), name="reject"),
    path("<int:pk>/notes/", views.InternalNoteAddView.as_view(), name="internal_note"),
    path("<int:pk>/comments/", views.CommentAddView.as_view(), name="comment"),
    path("<int:pk>/documents/<slug:kind>/<int:document_id>/", views.DocumentDownloadView.as_view(),
         name="document"),
    path("<int:pk>/versions/", views.VersionCompareView.as_view(), name="versions"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.AttachmentRemoveView.as_view(),
         name="attachment_remove"),
]
