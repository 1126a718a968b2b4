from django.urls import path

from civility.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("start/", views.inspection_start, name="inspection_start"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/run/", views.inspection_run, name="inspection_run"),
    path(
        "<int:pk>/answers/<int:criterion_id>/",
        views.inspection_answer,
        name="inspection_answer",
    ),
    path("<int:pk>/photos/", views.inspection_photo, name="inspection_photo"),
    path("photos/<int:pk>/", views.photo_file, name="photo_file"),
    path("<int:pk>/submit/", views.inspection_submit, name="inspection_submit"),
    path("<int:pk>/amend/", views.inspection_amend, name="inspection_amend"),
    path("<int:pk>/findings/", views.finding_create, name="finding_create"),
    path(
        "<int:pk>/revisit/<int:action_id>/",
        views.inspection_check_action,
        name="inspection_check_action",
    ),
    path("<int:pk>/report.docx", views.inspection_report_docx, name="inspection_report_docx"),
    path("<int:pk>/report.pdf", views.inspection_report_pdf, name="inspection_report_pdf"),
    path("units/<int:pk>/", views.unit_trend, name="unit_trend"),
    path("checklists/", views.template_list, name="template_list"),
    path("checklists/seed/", views.template_seed, name="template_seed"),
    path("checklists/<int:pk>/", views.template_detail, name="template_detail"),
    path("checklists/<int:pk>/export.xlsx", views.template_export, name="template_export"),
    path("checklists/<int:pk>/import/", views.template_import, name="template_import"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/add/", views.plan_add, name="plan_add"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/steps/<int:pk>/photo/", views.step_photo, name="step_photo"),
    path("actions/evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
]
