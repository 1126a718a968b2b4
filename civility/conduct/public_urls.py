"""Public pages, no login: report an official's conduct anonymously and follow the report."""

from django.urls import path

from civility.conduct import views

app_name = "conduct_public"

urlpatterns = [
    path("", views.public_start, name="start"),
    path("unit/<int:unit_id>/", views.public_report, name="report"),
    path("status/", views.public_status, name="status"),
]
