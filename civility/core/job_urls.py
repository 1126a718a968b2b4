from django.urls import path

from civility.core import job_views

app_name = "jobs"

urlpatterns = [
    path("", job_views.job_list, name="job_list"),
    path("<int:pk>/", job_views.job_detail, name="job_detail"),
    path("<int:pk>/file/", job_views.job_file, name="job_file"),
]
