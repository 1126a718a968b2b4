"""Staff pages: figures, counters and their kiosks, triage lists; scope; code-board QR codes."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils import timezone

from civility.feedback.actions import RatingInput, record_ratings, rollup_days
from civility.feedback.models import CounterDevice


def test_the_board_qr_codes_point_to_the_feedback_pages(point):
    assert reverse("feedback:counter_feedback", args=[point.counter.pk]) == (
        f"/feedback/counter/{point.counter.pk}/"
    )
    assert reverse("feedback:place_feedback", args=[point.market.pk]) == (
        f"/feedback/place/{point.market.pk}/"
    )


def test_the_overview_shows_figures_of_the_selected_units_counters(client, point):
    record_ratings(
        counter=point.counter,
        ratings=[RatingInput(client_id=uuid.uuid4(), level=level) for level in (1, 1, 2, 5)],
        channel="kiosk",
    )
    rollup_days(days=[timezone.localdate()])
    client.force_login(point.head)

    page = client.get("/feedback/", {"unit": point.point.pk})

    assert page.status_code == 200
    assert page.context["figures"].ratings == 4
    assert page.context["figures"].satisfaction_rate == 75.0
    assert [row["ratings"] for row in page.context["counters"]] == [4]
    assert "Decision 766" in page.content.decode()


def test_a_unit_outside_the_scope_is_404(client, point, cast):
    client.force_login(cast.b.head)
    assert client.get("/feedback/", {"unit": point.point.pk}).status_code == 404
    assert client.get(f"/feedback/counters/{point.counter.pk}/").status_code == 404


def test_a_head_registers_a_kiosk_and_sees_its_link_once(client, point):
    client.force_login(point.head)
    page = client.post(
        f"/feedback/counters/{point.counter.pk}/kiosks/", {"name": "Máy 2"}, follow=True
    )

    device = CounterDevice.objects.get(name="Máy 2")
    link = page.context["link"]
    assert "/feedback/kiosk/#key=cvk_" in link
    secret = link.split("#key=")[1]
    assert device.key_hash != secret and secret not in str(
        CounterDevice.objects.values().get(pk=device.pk)
    )
    response = client.get("/api/v1/feedback/kiosk", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["counter_id"] == point.counter.pk


def test_an_official_cannot_register_or_revoke_kiosks(client, point):
    client.force_login(point.clerk)
    page = client.get(f"/feedback/counters/{point.counter.pk}/")
    assert page.status_code == 200 and not page.context["can_manage"]
    assert client.post(f"/feedback/counters/{point.counter.pk}/kiosks/").status_code == 403
    assert client.post(f"/feedback/kiosks/{point.device.pk}/revoke/").status_code == 404


def test_staff_pages_render(client, point, cast):
    client.force_login(cast.a.head)
    for url in [
        "/feedback/reports/",
        "/feedback/hotspots/",
        "/feedback/dossiers/",
        "/feedback/desk/",
    ]:
        assert client.get(url).status_code == 200, url


def test_public_pages_render_without_login(client, point):
    for url in [
        "/feedback/rate/",
        "/feedback/report/",
        f"/feedback/place/{point.market.pk}/",
        "/feedback/r/",
        "/feedback/kiosk/",
    ]:
        assert client.get(url).status_code == 200, url
