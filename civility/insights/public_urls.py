"""Public pages, no login: each commune's, ward's, service point's and counter's scorecard,
and its figures as open data."""

from django.urls import path

from civility.insights import public_views

app_name = "scorecards"

urlpatterns = [
    path("", public_views.scorecard_list, name="list"),
    path("<int:unit_id>/", public_views.scorecard_detail, name="scorecard"),
    path("<int:unit_id>/scorecard.csv", public_views.scorecard_csv, name="csv"),
    path("<int:unit_id>/scorecard.json", public_views.scorecard_json, name="json"),
]
