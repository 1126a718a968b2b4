from django.urls import path

from civility.feedback import kiosk_views, trust_views, views

app_name = "feedback"

urlpatterns = [
    # Public, no login.
    path("counter/<int:pk>/", views.counter_feedback, name="counter_feedback"),
    path("counter/<int:pk>/help/", views.counter_assist, name="counter_assist"),
    path("rate/", views.dossier_rating, name="dossier_rating"),
    path("place/<int:pk>/", views.place_feedback, name="place_feedback"),
    path("report/", views.report_create, name="report_create"),
    path("r/", views.receipt_lookup, name="receipt_lookup"),
    path("r/<str:code>/", views.receipt, name="receipt"),
    path("r/<str:code>/photo/", views.receipt_photo, name="receipt_photo"),
    path("c/<str:code>/", trust_views.case_public, name="case_public"),
    path(
        "c/<str:code>/files/<int:pk>/",
        trust_views.case_public_evidence,
        name="case_public_evidence",
    ),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("stream/", views.stream_view, name="stream"),
    # Staff.
    path("", views.overview, name="overview"),
    path("counters/<int:pk>/", views.counter_detail, name="counter_detail"),
    path("counters/", kiosk_views.counter_list, name="counter_list"),
    path("counters/<int:pk>/kiosks/", kiosk_views.device_create, name="device_create"),
    path("kiosks/<int:pk>/link/", kiosk_views.device_link, name="device_link"),
    path("kiosks/<int:pk>/revoke/", kiosk_views.device_revoke, name="device_revoke"),
    path("kiosks/<int:pk>/reissue/", kiosk_views.device_reissue, name="device_reissue"),
    path("desk/", views.desk, name="desk"),
    path("calls/<int:pk>/<str:verb>/", views.call_update, name="call_update"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/photo/", views.report_photo, name="report_photo"),
    path("reports/<int:pk>/<str:verb>/", views.report_action, name="report_action"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("dossiers/", views.dossier_stats, name="dossier_stats"),
    path("counters/<int:pk>/sessions/", trust_views.session_open, name="session_open"),
    path("counters/<int:pk>/sessions/stop/", trust_views.sessions_stop, name="sessions_stop"),
    path("sessions/<int:pk>/close/", trust_views.session_close, name="session_close"),
    path("flags/", trust_views.flag_list, name="flag_list"),
    path("flags/<int:pk>/review/", trust_views.flag_review, name="flag_review"),
    path("cases/", trust_views.case_list, name="case_list"),
    path("cases/<int:pk>/", trust_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/close/", trust_views.case_close, name="case_close"),
    path("cases/files/<int:pk>/", trust_views.case_evidence, name="case_evidence"),
]
