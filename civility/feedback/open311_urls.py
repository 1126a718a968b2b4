"""Open311 GeoReport v2, mounted at /open311/v2/ (civility/urls.py)."""

from django.urls import re_path

from civility.feedback import open311

app_name = "open311"

urlpatterns = [
    re_path(r"^services\.(?P<fmt>\w+)$", open311.services, name="services"),
    re_path(
        r"^services/(?P<code>[\w-]+)\.(?P<fmt>\w+)$",
        open311.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests\.(?P<fmt>\w+)$", open311.requests_, name="requests"),
    re_path(
        r"^requests/(?P<request_id>[\w-]+)\.(?P<fmt>\w+)$",
        open311.request_detail,
        name="request_detail",
    ),
]
