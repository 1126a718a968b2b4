from django.urls import path

from civility.awards import history_views, views

app_name = "awards"

urlpatterns = [
    path("", views.movement_list, name="movement_list"),
    path("movements/new/", views.movement_create, name="movement_create"),
    path("movements/<int:pk>/", views.movement_detail, name="movement_detail"),
    path("movements/<int:pk>/register/", views.movement_register, name="movement_register"),
    path("titles/", views.title_list, name="title_list"),
    path("titles/seed/", views.title_seed, name="title_seed"),
    path("titles/new/", views.title_create, name="title_create"),
    path("titles/<int:pk>/", views.title_detail, name="title_detail"),
    path("titles/<int:pk>/edit/", views.title_edit, name="title_edit"),
    path("titles/<int:pk>/quotas/", views.quota_create, name="quota_create"),
    path("quotas/<int:pk>/delete/", views.quota_delete, name="quota_delete"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("eligibility/job/", views.eligibility_job, name="eligibility_job"),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("nominations/<int:pk>/vote/", views.nomination_vote, name="nomination_vote"),
    path("nominations/<int:pk>/close/", views.nomination_close, name="nomination_close"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/earlier/new/", history_views.past_decision_create, name="past_decision_create"),
    path(
        "decisions/earlier/import/", history_views.past_decision_import, name="past_decision_import"
    ),
    path(
        "decisions/earlier/template.xlsx",
        history_views.past_decision_template,
        name="past_decision_template",
    ),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/decision.docx", views.decision_docx, name="decision_docx"),
    path("decisions/<int:pk>/decision.xlsx", views.decision_xlsx, name="decision_xlsx"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("revocations/", views.revocation_list, name="revocation_list"),
    path("awards/<int:pk>/revocation/", views.revocation_open, name="revocation_open"),
    path("revocations/<int:pk>/decide/", views.revocation_decide, name="revocation_decide"),
    path("revocations/<int:pk>/recovery/", views.revocation_recovery, name="revocation_recovery"),
    path("base-salaries/", views.base_salary_list, name="base_salary_list"),
    path("base-salaries/<int:pk>/", views.base_salary_edit, name="base_salary_edit"),
    path("reviews/", views.hold_list, name="hold_list"),
    path("reviews/<int:pk>/end/", views.hold_end, name="hold_end"),
    path("mine/", views.my_awards, name="my_awards"),
    path("mine/honour-board/", views.honour_consent, name="honour_consent"),
    path("models/", views.model_list, name="model_list"),
    path("models/new/", views.model_create, name="model_create"),
    path("models/<int:pk>/", views.model_detail, name="model_detail"),
    path("models/<int:pk>/status/", views.model_status, name="model_status"),
    path("models/<int:pk>/replicate/", views.model_replicate, name="model_replicate"),
]
