from django.urls import path

from civility.evaluations import rule_views, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_home, name="evaluation_home"),
    path("list/", views.evaluation_list, name="evaluation_list"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/self/", views.evaluation_self, name="evaluation_self"),
    path("<int:pk>/rate/", views.evaluation_rate, name="evaluation_rate"),
    path("<int:pk>/approve/", views.evaluation_approve, name="evaluation_approve"),
    path("<int:pk>/return/", views.evaluation_return, name="evaluation_return"),
    path("<int:pk>/supervisor/", views.evaluation_supervisor, name="evaluation_supervisor"),
    path("classifications/", views.classification_list, name="classification_list"),
    path("classifications/propose/", views.classification_propose, name="classification_propose"),
    path("classifications/<int:pk>/", views.classification_detail, name="classification_detail"),
    path(
        "classifications/<int:pk>/confirm/",
        views.classification_confirm,
        name="classification_confirm",
    ),
    path(
        "classifications/<int:pk>/inputs/",
        views.classification_inputs,
        name="classification_inputs",
    ),
    path("follow-up/", views.follow_up_list, name="follow_up"),
    path("rotation/", views.rotation_list, name="rotation_list"),
    path("rotation/plan/<int:official_pk>/", views.rotation_plan, name="rotation_plan"),
    path(
        "rotation/exception/<int:official_pk>/",
        views.rotation_exception,
        name="rotation_exception",
    ),
    path("rotation/<int:pk>/complete/", views.rotation_complete, name="rotation_complete"),
    path("rotation/<int:pk>/cancel/", views.rotation_cancel, name="rotation_cancel"),
    path("figures/", views.figures_page, name="figures"),
    path("self-assessment/", views.self_assessment_gaps, name="self_assessment_gaps"),
    path("rules/", rule_views.rule_set_list, name="rule_set_list"),
]
