from django.urls import path

from civility.codes import views

app_name = "codes"

urlpatterns = [
    path("", views.code_list, name="code_list"),
    path("seed/", views.code_seed, name="code_seed"),
    path("<int:pk>/", views.code_detail, name="code_detail"),
    path("<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/import/", views.version_import, name="version_import"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/diff/", views.version_diff, name="version_diff"),
    path("versions/<int:pk>/markdown/", views.version_markdown, name="version_markdown"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/paper/", views.campaign_paper, name="campaign_paper"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/sign/", views.commitment_sign, name="commitment_sign"),
    path("commitments/<int:pk>/verify/", views.commitment_verify, name="commitment_verify"),
    path("commitments/<int:pk>/scan/", views.commitment_scan, name="commitment_scan"),
    path("commitments/", views.my_commitments, name="my_commitments"),
    path("dissemination/", views.activity_list, name="activity_list"),
    path("dissemination/new/", views.activity_create, name="activity_create"),
    path("dissemination/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("dissemination/<int:pk>/verify/", views.activity_verify, name="activity_verify"),
    path("dissemination/files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("dissemination/summary/", views.dissemination_summary, name="dissemination_summary"),
    path("boards/", views.board_index, name="board_index"),
    path("boards/counter/<int:pk>.pdf", views.board_counter, name="board_counter"),
    path("boards/place/<int:pk>.pdf", views.board_place, name="board_place"),
]
