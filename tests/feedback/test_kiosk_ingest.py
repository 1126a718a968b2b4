"""Kiosk ratings through the API: idempotent, validated, throttled, with the official on duty."""

from __future__ import annotations

import datetime
import time
import uuid

from django.utils import timezone

from civility.feedback.models import Channel, ServiceRating
from tests.factories import make_official
from tests.feedback.conftest import kiosk_headers, rating

URL = "/api/v1/feedback/kiosk/ratings"


def post(client, point, data, url=URL):
    return client.post(url, data, content_type="application/json", **kiosk_headers(point.secret))


def test_kiosk_rating_is_stored_with_the_counter_and_official_on_duty(client, point):
    response = post(client, point, rating(2, reasons=["attitude", "guidance"], comment="Tốt"))

    assert response.status_code == 201
    stored = ServiceRating.objects.get()
    assert stored.counter == point.counter
    assert stored.official == point.clerk_official  # the counter's only official
    assert stored.channel == Channel.KIOSK
    assert (stored.scale, stored.level, stored.score, stored.side) == ("five", 2, 75, 1)
    assert stored.reasons == ["attitude", "guidance"]
    assert stored.comment == "Tốt"


def test_same_client_id_twice_stores_one_rating(client, point):
    body = rating(1)
    first = post(client, point, body)
    second = post(client, point, body)

    assert (first.status_code, first.json()["stored"]) == (201, True)
    assert (second.status_code, second.json()["stored"]) == (200, False)
    assert ServiceRating.objects.count() == 1


def test_a_batch_replayed_with_overlap_stores_each_id_once(client, point):
    first = [rating(level) for level in (1, 2, 3)]
    second = [*first[1:], rating(5)]
    assert post(client, point, {"ratings": first}, URL + "/batch").json()["stored"] == 3

    response = post(client, point, {"ratings": second}, URL + "/batch")

    assert response.json()["stored"] == 1
    assert response.json()["duplicates"] == 2
    assert ServiceRating.objects.count() == 4


def test_a_batch_with_five_copies_of_one_id_answers_one_result_per_item(client, point):
    """The kiosk clears its queue item by item from the answer (issue 20, item 10)."""
    body = rating(2)

    response = post(client, point, {"ratings": [body] * 5}, URL + "/batch")

    answer = response.json()
    assert (answer["stored"], answer["duplicates"]) == (1, 4)
    assert [item["stored"] for item in answer["results"]] == [True, False, False, False, False]
    assert {item["client_id"] for item in answer["results"]} == {body["client_id"]}
    assert ServiceRating.objects.count() == 1


def test_a_backlog_of_500_is_stored_in_under_a_second(client, point):
    ago = timezone.now() - datetime.timedelta(hours=3)
    backlog = [
        rating(1 + n % 5, rated_at=(ago + datetime.timedelta(seconds=n)).isoformat())
        for n in range(500)
    ]
    started = time.perf_counter()
    response = post(client, point, {"ratings": backlog}, URL + "/batch")
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert response.json()["stored"] == 500
    assert ServiceRating.objects.count() == 500
    assert elapsed < 1.0


def test_offline_ratings_keep_the_time_they_were_given(client, point):
    given = timezone.now() - datetime.timedelta(days=2)
    post(client, point, rating(3, rated_at=given.isoformat()))

    stored = ServiceRating.objects.get()
    assert stored.rated_at == given
    assert stored.rated_on == timezone.localdate(given)


def test_bad_input_names_the_field_and_stores_nothing(client, point):
    cases = [
        (rating(7), "level"),
        (rating(1, reasons=["bribe"]), "reasons"),
        (rating(1, rated_at=(timezone.now() + datetime.timedelta(days=1)).isoformat()), "rated_at"),
        (
            rating(1, rated_at=(timezone.now() - datetime.timedelta(days=40)).isoformat()),
            "rated_at",
        ),
        ({"level": 1}, "client_id"),
    ]
    for body, field in cases:
        response = post(client, point, body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field
    assert ServiceRating.objects.count() == 0


def test_one_bad_item_in_a_batch_is_named_and_nothing_is_stored(client, point):
    response = post(client, point, {"ratings": [rating(1), rating(9)]}, URL + "/batch")

    assert response.status_code == 422
    assert response.json()["field"] in ("ratings.1.level", "level")
    assert ServiceRating.objects.count() == 0


def test_an_unknown_or_revoked_kiosk_key_gets_401(client, point):
    response = client.post(
        URL, rating(1), content_type="application/json", HTTP_AUTHORIZATION="Bearer cvk_nope"
    )
    assert response.status_code == 401

    point.device.revoke()
    assert post(client, point, rating(1)).status_code == 401
    assert ServiceRating.objects.count() == 0


def test_a_user_api_token_cannot_rate_as_a_kiosk(client, point):
    client.force_login(point.head)
    response = client.post(URL, rating(1), content_type="application/json")
    assert response.status_code == 401


def test_a_kiosk_sending_faster_than_a_counter_works_is_throttled(client, point, settings):
    settings.FEEDBACK_KIOSK_BURST = 3
    settings.FEEDBACK_KIOSK_REFILL_S = 3600
    codes = [post(client, point, rating(1)).status_code for _ in range(5)]

    assert codes == [201, 201, 201, 429, 429]
    assert ServiceRating.objects.count() == 3


def test_the_official_named_on_the_kiosk_is_attached(client, point):
    colleague = make_official("Phạm Văn Đông", unit=point.counter)
    response = client.put(
        "/api/v1/feedback/kiosk/on-duty",
        {"official_id": colleague.pk},
        content_type="application/json",
        **kiosk_headers(point.secret),
    )
    assert response.status_code == 200
    assert response.json()["on_duty_id"] == colleague.pk

    post(client, point, rating(1))
    assert ServiceRating.objects.get().official == colleague


def test_an_official_of_another_unit_cannot_be_put_on_duty(client, point, cast):
    response = client.put(
        "/api/v1/feedback/kiosk/on-duty",
        {"official_id": cast.b.official.pk},
        content_type="application/json",
        **kiosk_headers(point.secret),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "official"


def test_kiosk_configuration_lists_the_scale_and_reasons(client, point, settings):
    settings.FEEDBACK_RATING_SCALE = "three"
    response = client.get("/api/v1/feedback/kiosk", **kiosk_headers(point.secret))

    data = response.json()
    assert data["counter_name"] == "Quầy số 1"
    assert [level["label"] for level in data["levels"]] == ["Satisfied", "Neutral", "Dissatisfied"]
    assert data["stream_url"].startswith("/feedback/stream/?t=")
    assert uuid.UUID(rating()["client_id"])
