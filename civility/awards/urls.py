from django.urls import path

from civility.awards import history_views
from civility.awards.views import catalogue, decisions, good_models, movements, nominations

app_name = "awards"

urlpatterns = [
    path("", movements.movement_list, name="movement_list"),
    path("movements/new/", movements.movement_create, name="movement_create"),
    path("movements/<int:pk>/", movements.movement_detail, name="movement_detail"),
    path("movements/<int:pk>/register/", movements.movement_register, name="movement_register"),
    path("titles/", catalogue.title_list, name="title_list"),
    path("titles/seed/", catalogue.title_seed, name="title_seed"),
    path("titles/new/", catalogue.title_create, name="title_create"),
    path("titles/<int:pk>/", catalogue.title_detail, name="title_detail"),
    path("titles/<int:pk>/edit/", catalogue.title_edit, name="title_edit"),
    path("titles/<int:pk>/quotas/", catalogue.quota_create, name="quota_create"),
    path("quotas/<int:pk>/delete/", catalogue.quota_delete, name="quota_delete"),
    path("eligibility/", nominations.eligibility, name="eligibility"),
    path("eligibility/job/", nominations.eligibility_job, name="eligibility_job"),
    path("nominations/", nominations.nomination_list, name="nomination_list"),
    path("nominations/new/", nominations.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("evidence/<int:pk>/", nominations.evidence_file, name="evidence_file"),
    path("nominations/<int:pk>/vote/", nominations.nomination_vote, name="nomination_vote"),
    path("nominations/<int:pk>/close/", nominations.nomination_close, name="nomination_close"),
    path(
        "nominations/<int:pk>/withdraw/",
        nominations.nomination_withdraw,
        name="nomination_withdraw",
    ),
    path("decisions/", decisions.decision_list, name="decision_list"),
    path("decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/earlier/new/", history_views.past_decision_create, name="past_decision_create"),
    path(
        "decisions/earlier/import/", history_views.past_decision_import, name="past_decision_import"
    ),
    path(
        "decisions/earlier/template.xlsx",
        history_views.past_decision_template,
        name="past_decision_template",
    ),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/decision.docx", decisions.decision_docx, name="decision_docx"),
    path("decisions/<int:pk>/decision.xlsx", decisions.decision_xlsx, name="decision_xlsx"),
    path("awards/<int:pk>/", decisions.award_detail, name="award_detail"),
    path("revocations/", decisions.revocation_list, name="revocation_list"),
    path("awards/<int:pk>/revocation/", decisions.revocation_open, name="revocation_open"),
    path("revocations/<int:pk>/decide/", decisions.revocation_decide, name="revocation_decide"),
    path(
        "revocations/<int:pk>/recovery/",
        decisions.revocation_recovery,
        name="revocation_recovery",
    ),
    path("base-salaries/", catalogue.base_salary_list, name="base_salary_list"),
    path("base-salaries/<int:pk>/", catalogue.base_salary_edit, name="base_salary_edit"),
    path("reviews/", catalogue.hold_list, name="hold_list"),
    path("reviews/<int:pk>/end/", catalogue.hold_end, name="hold_end"),
    path("mine/", decisions.my_awards, name="my_awards"),
    path("mine/honour-board/", decisions.honour_consent, name="honour_consent"),
    path("models/", good_models.model_list, name="model_list"),
    path("models/new/", good_models.model_create, name="model_create"),
    path("models/import/", history_views.import_models, name="model_import"),
    path(
        "models/template.<slug:extension>",
        history_views.template_download,
        name="model_template",
    ),
    path("models/counts-only/", history_views.tally_list, name="tally_list"),
    path("models/<int:pk>/", good_models.model_detail, name="model_detail"),
    path("models/<int:pk>/status/", good_models.model_status, name="model_status"),
    path("models/<int:pk>/replicate/", good_models.model_replicate, name="model_replicate"),
]
