from django.urls import path

from civility.awards.views import decisions as decision_views

app_name = "awards_public"

urlpatterns = [
    path("", decision_views.honour_board, name="honour_board"),
]
