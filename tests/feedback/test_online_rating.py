"""Ratings from a phone: by the counter's QR code or a dossier code; throttled per device and
per counter; nothing identifying the phone or its network is stored."""

from __future__ import annotations

import uuid

import pytest

from civility.feedback.models import Channel, ServiceRating
from civility.feedback.views import DEVICE_COOKIE


def rate(client, point, level=1, ip="203.0.113.7", **fields):
    data = {"client_id": str(uuid.uuid4()), "level": level, **fields}
    return client.post(f"/feedback/counter/{point.counter.pk}/", data, REMOTE_ADDR=ip)


def test_the_counters_public_page_offers_the_scale_and_the_help_button(client, point):
    page = client.get(f"/feedback/counter/{point.counter.pk}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Very satisfied" in text and "Call for help" in text
    assert page.cookies[DEVICE_COOKIE]["httponly"]


def test_a_qr_rating_is_stored_once_even_if_the_form_is_sent_twice(client, point):
    data = {"client_id": str(uuid.uuid4()), "level": 2, "reasons": ["waiting_time"]}
    first = client.post(f"/feedback/counter/{point.counter.pk}/", data)
    second = client.post(f"/feedback/counter/{point.counter.pk}/", data)

    assert first.status_code == second.status_code == 200
    stored = ServiceRating.objects.get()
    assert stored.channel == Channel.QR
    assert stored.reasons == ["waiting_time"]
    assert stored.official == point.clerk_official


def test_one_phone_cannot_rate_the_same_counter_again_at_once(client, point):
    assert rate(client, point).status_code == 200
    second = rate(client, point)

    assert second.status_code == 429
    assert "Too many ratings" in second.content.decode()
    assert ServiceRating.objects.count() == 1


def test_a_busy_counter_takes_ratings_from_many_phones_until_its_own_limit(
    client_factory, point, settings
):
    settings.FEEDBACK_COUNTER_BURST = 5
    codes = [rate(client_factory(), point, ip=f"198.51.100.{n}").status_code for n in range(1, 8)]

    assert codes == [200] * 5 + [429] * 2
    assert ServiceRating.objects.count() == 5


def test_many_phones_behind_one_network_are_not_blocked_like_one_phone(client_factory, point):
    codes = [rate(client_factory(), point, ip="192.0.2.1").status_code for _ in range(6)]
    assert codes == [200] * 6


def test_a_dossier_code_rates_once(client, client_factory, point):
    first = client.post(
        "/feedback/rate/",
        {
            "client_id": str(uuid.uuid4()),
            "level": 4,
            "counter": point.counter.pk,
            "dossier_code": "h26.58-250701-0001",
        },
    )
    second = client_factory().post(
        "/feedback/rate/",
        {
            "client_id": str(uuid.uuid4()),
            "level": 1,
            "counter": point.counter.pk,
            "dossier_code": "H26.58-250701-0001",
        },
    )

    assert first.status_code == 200
    assert "This dossier has already been rated." in second.content.decode()
    stored = ServiceRating.objects.get()
    assert (stored.channel, stored.dossier_code, stored.level) == (
        Channel.DOSSIER,
        "H26.58-250701-0001",
        4,
    )


def test_a_malformed_dossier_code_is_named(client, point):
    response = client.post(
        "/feedback/rate/",
        {
            "client_id": str(uuid.uuid4()),
            "level": 1,
            "counter": point.counter.pk,
            "dossier_code": "<x>",
        },
    )
    assert "This is not a valid dossier code." in response.content.decode()
    assert ServiceRating.objects.count() == 0


def test_a_unit_that_is_not_a_counter_has_no_rating_page(client, point):
    assert client.get(f"/feedback/counter/{point.point.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_parallel_copies_of_one_qr_rating_all_answer_200_and_count_once(point):
    """Two taps send the form twice at once: every copy is answered as counted, none is
    refused as too many (issue 20, item 10)."""
    import threading

    from django.db import connection
    from django.test import Client

    data = {"client_id": str(uuid.uuid4()), "level": 2}
    phone = Client()
    phone.get(f"/feedback/counter/{point.counter.pk}/")
    statuses: list[int] = []

    def tap():
        statuses.append(phone.post(f"/feedback/counter/{point.counter.pk}/", data).status_code)
        connection.close()

    taps = [threading.Thread(target=tap) for _copy in range(4)]
    for thread in taps:
        thread.start()
    for thread in taps:
        thread.join(30)

    assert statuses == [200, 200, 200, 200]
    assert ServiceRating.objects.count() == 1
