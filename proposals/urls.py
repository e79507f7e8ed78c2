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
    path("<int:pk>/versions/", views.VersionCompareView.as_view(), name="versions"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.AttachmentRemoveView.as_view(),
         name="attachment_remove"),
]
