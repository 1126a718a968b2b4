"""Public pages, no login: the published codes, readable on a phone."""

from django.urls import path

from civility.codes import views

app_name = "codes_public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>/", views.public_code, name="code"),
]
