from django.contrib import admin
from django.urls import include, path

from civility.api import api
from civility.core.views import favicon

urlpatterns = [
    path("", include("civility.orgs.urls")),
    path("accounts/", include("civility.accounts.urls")),
    path("import/", include("civility.orgs.import_urls")),
    path("audit/", include("civility.core.urls")),
    path("jobs/", include("civility.core.job_urls")),
    path("codes/", include("civility.codes.urls")),
    path("c/", include("civility.codes.public_urls")),
    path("inspections/", include("civility.inspections.urls")),
    path("conduct/", include("civility.conduct.urls")),
    path("conduct-report/", include("civility.conduct.public_urls")),
    path("programmes/", include("civility.programmes.urls")),
    path("awards/", include("civility.awards.urls")),
    path("honours/", include("civility.awards.public_urls")),
    path("evaluations/", include("civility.evaluations.urls")),
    path("feedback/", include("civility.feedback.urls")),
    path("insights/", include("civility.insights.urls")),
    path("scorecards/", include("civility.insights.public_urls")),
    path("open311/v2/", include("civility.feedback.open311_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("favicon.ico", favicon),
]
