from django.urls import path

from civility.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.home, name="home"),
]
