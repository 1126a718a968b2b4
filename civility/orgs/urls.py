from django.urls import path

from civility.orgs import pickers, views

app_name = "orgs"

urlpatterns = [
    path("", views.home, name="home"),
    path("unit/select/", views.unit_select, name="unit_select"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/settings/", views.unit_policies, name="unit_policies"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/new/", views.official_create, name="official_create"),
    path("officials/<int:pk>/", views.official_detail, name="official_detail"),
    path("officials/<int:pk>/edit/", views.official_edit, name="official_edit"),
    path("places/", views.place_list, name="place_list"),
    path("pickers/units/", pickers.unit_search, name="unit_search"),
    path("pickers/people/", pickers.person_search, name="person_search"),
]
