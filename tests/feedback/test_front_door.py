"""The home address, to someone not signed in: the citizens' front door, every link working;
signed-in people keep their to-do list. The report form's location: "Use my location", the
typed fallback, and a map only when the deployment names its own tile server."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from civility.feedback import conf
from civility.feedback.models import PublicReport

DOORS = {
    "door-report": "/feedback/report/",
    "door-rate": "/feedback/rate/",
    "door-official": "/conduct-report/",
    "door-codes": "/c/",
    "door-honours": "/honours/",
}


def test_the_home_address_answers_a_citizen_without_login(client, cast):
    page = client.get("/")

    assert page.status_code == 200
    text = page.content.decode()
    for anchor, url in DOORS.items():
        assert f'id="{anchor}" href="{url}"' in text
    assert 'action="/feedback/r/"' in text and 'href="/conduct-report/status/"' in text
    assert 'href="/accounts/login/"' in text


def test_every_link_of_the_front_door_works_without_login(client, cast):
    text = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"]*)"', text)) - {"/"}

    assert set(DOORS.values()) <= links
    for url in sorted(links):
        if url.startswith("/static/"):
            continue
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_front_door_is_vietnamese_first_whatever_the_browser_asks(client, cast, settings):
    settings.LANGUAGE_CODE = "vi"  # the product's default (tests run in English)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="vi"' in text


def test_a_receipt_typed_on_the_front_door_leads_to_the_report(client, point):
    client.post(
        "/feedback/report/",
        {"category": point.littering.pk, "description": "Rác", "place": point.market.pk},
    )
    report = PublicReport.objects.get()

    response = client.post("/feedback/r/", {"code": report.receipt.replace("-", " ").lower()})

    assert response["Location"] == f"/feedback/r/{report.receipt}/"


def test_the_front_door_counts_the_reports_of_the_last_thirty_days(client, point):
    client.post(
        "/feedback/report/",
        {"category": point.littering.pk, "description": "Rác", "place": point.market.pk},
    )
    old = PublicReport.objects.get()
    old.submitted_at = timezone.now() - timezone.timedelta(days=40)
    old.save()
    client.post(
        "/feedback/report/",
        {"category": point.littering.pk, "description": "Ồn", "place": point.market.pk},
    )

    text = client.get("/").content.decode()
    figures = re.search(r'id="report-figures">([^<]+)<', text)[1]
    assert "1 report received, 0 closed" in figures


def test_a_signed_in_person_still_lands_on_the_to_do_list(client, cast):
    client.force_login(cast.a.head)
    page = client.get("/")

    assert page.status_code == 200
    assert "feedback/public_home.html" not in [t.name for t in page.templates]
    assert "orgs/home.html" in [t.name for t in page.templates]


def test_the_report_form_offers_use_my_location_and_labelled_typed_coordinates(client, cast):
    text = client.get("/feedback/report/").content.decode()

    assert "data-geolocate" in text and "Use my location" in text
    assert "Or type the coordinates" in text
    assert 'data-lat=""' in text and 'data-lon=""' in text


def test_no_map_and_no_outside_host_unless_a_tile_server_is_configured(client, cast, settings):
    page = client.get("/feedback/report/")
    assert "data-tile-url" not in page.content.decode()
    img_src = re.search(r"img-src ([^;]+)", page["Content-Security-Policy"])[1]
    assert img_src.split() == ["'self'", "data:", "blob:"]

    settings.MAP_TILE_URL = "https://tiles.example.gov.vn/{z}/{x}/{y}.png"
    text = client.get("/feedback/report/").content.decode()
    assert 'data-tile-url="https://tiles.example.gov.vn/{z}/{x}/{y}.png"' in text


def test_the_map_gets_leaflet_the_province_centre_and_the_credit_only_when_configured(
    client, cast, settings
):
    settings.MAP_CENTRE = "21.0285, 105.8542"
    settings.MAP_TILE_ATTRIBUTION = "© Sở Tài nguyên và Môi trường"
    text = client.get("/feedback/report/").content.decode()
    assert "vendor/leaflet/leaflet.js" not in text and "data-centre" not in text

    settings.MAP_TILE_URL = "https://tiles.example.gov.vn/{z}/{x}/{y}.png"
    text = client.get("/feedback/report/").content.decode()
    assert "vendor/leaflet/leaflet.js" in text and "vendor/leaflet/leaflet.css" in text
    assert 'data-centre="21.0285,105.8542"' in text
    assert 'data-attribution="© Sở Tài nguyên và Môi trường"' in text

    for unreadable in ("21.0285", "north", "95,105", "21,105,10"):
        settings.MAP_CENTRE = unreadable
        with pytest.raises(ImproperlyConfigured, match="MAP_CENTRE"):
            conf.check()
