from django.urls import path

from routing import views

app_name = "routing"
urlpatterns = [path("", views.CalendarView.as_view(), name="calendar")]
