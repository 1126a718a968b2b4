from django.urls import path

from civility.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("new/", views.programme_create, name="programme_create"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("updates/<int:pk>/evidence/", views.update_evidence, name="update_evidence"),
    path("tasks/<int:pk>/delegate/", views.task_delegate, name="task_delegate"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path(
        "tasks/<int:pk>/updates/<int:update_pk>/verify/",
        views.task_update_verify,
        name="task_update_verify",
    ),
    path("tasks/<int:pk>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<int:pk>/extend/", views.task_extend, name="task_extend"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/target/", views.target_set, name="target_set"),
    path("indicators/<int:pk>/allocate/", views.target_allocate, name="target_allocate"),
    path("indicators/<int:pk>/actual/", views.actual_create, name="actual_create"),
    path("actuals/import/", views.actuals_import, name="actuals_import"),
    path("templates/<slug:kind>.xlsx", views.import_template, name="import_template"),
    path("titles/", views.title_overview, name="title_overview"),
    path("titles/load/", views.title_rules_load, name="title_rules_load"),
    path("titles/counts/", views.title_count, name="title_count"),
    path("titles/import/", views.recognitions_import, name="recognitions_import"),
    path("titles/rules/<int:pk>/", views.title_rule_detail, name="title_rule_detail"),
    path(
        "titles/rules/<int:pk>/criteria/<int:criterion_pk>/delete/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("titles/rules/<int:pk>/cycles/", views.cycle_open, name="cycle_open"),
    path("titles/cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
]
