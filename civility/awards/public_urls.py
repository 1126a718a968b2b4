from django.urls import path

from civility.awards import views

app_name = "awards_public"

urlpatterns = [
    path("", views.honour_board, name="honour_board"),
]
