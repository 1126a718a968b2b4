from django.urls import path

from civility.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.table_export, name="table_export"),
    path("weights/", views.weights_edit, name="weights_edit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/<str:kind>/", views.report_download, name="report_download"),
]
