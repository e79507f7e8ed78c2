"""The portal's URLs plus the bench-only baseline view (portal.settings.bench)."""

from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("__bench__/bare/<str:key>/", views.bare, name="bench_bare"),
    *portal_urlpatterns,
]
