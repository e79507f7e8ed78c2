from django.urls import path

from proposals import views

app_name = "review"
urlpatterns = [path("", views.ReviewInboxView.as_view(), name="inbox")]
