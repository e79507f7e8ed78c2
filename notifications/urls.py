from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("<int:pk>/read/", views.NotificationMarkReadView.as_view(), name="mark_read"),
    path("read-all/", views.NotificationMarkAllReadView.as_view(), name="mark_all_read"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
]
