"""Open311 GeoReport v2, mounted at /open311/v2/ (civility/urls.py); operations in
civility/feedback/open311/views.py. Each path ends in .xml or .json."""

from django.urls import re_path

from civility.feedback.open311 import views

app_name = "open311"

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>\w+)$", views.discovery, name="discovery"),
    re_path(r"^services\.(?P<fmt>\w+)$", views.services, name="services"),
    re_path(
        r"^services/(?P<code>[\w-]+)\.(?P<fmt>\w+)$",
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests\.(?P<fmt>\w+)$", views.requests_, name="requests"),
    re_path(
        r"^requests/(?P<request_id>[\w-]+)\.(?P<fmt>\w+)$",
        views.request_detail,
        name="request_detail",
    ),
    re_path(r"^tokens/(?P<token>[\w-]+)\.(?P<fmt>\w+)$", views.token, name="token"),
    re_path(r"^servicerequestupdates\.(?P<fmt>\w+)$", views.updates, name="updates"),
    # Anything else: a 404 in the format asked for, never the site's HTML page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
