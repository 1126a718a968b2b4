from django.urls import path

from civility.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.table_export, name="table_export"),
    path("compute/", views.compute_period, name="compute_period"),
    path("weights/", views.weights_edit, name="weights_edit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/<str:kind>/", views.report_download, name="report_download"),
    path("subscriptions/", views.subscription_list, name="subscription_list"),
    path("subscriptions/<int:pk>/stop/", views.subscription_stop, name="subscription_stop"),
    path("reports/link/<str:token>/", views.report_link, name="report_link"),
]
