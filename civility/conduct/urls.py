from django.urls import path

from civility.conduct import views

app_name = "conduct"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("new/", views.record_create, name="record_create"),
    path("mine/", views.my_records, name="my_records"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/verify/", views.record_verify, name="record_verify"),
    path("<int:pk>/details/", views.record_details, name="record_details"),
    path("<int:pk>/confirm/", views.record_confirm, name="record_confirm"),
    path("<int:pk>/dismiss/", views.record_dismiss, name="record_dismiss"),
    path("<int:pk>/close/", views.record_close, name="record_close"),
    path("<int:pk>/evidence/", views.record_evidence, name="record_evidence"),
    path("<int:pk>/ask/", views.record_ask, name="record_ask"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/seed/", views.catalogue_seed, name="catalogue_seed"),
    path("catalogue/new/", views.type_create, name="type_create"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path("catalogue/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("catalogue/<int:pk>/retire/", views.type_retire, name="type_retire"),
    path("figures/", views.figures, name="figures"),
]
