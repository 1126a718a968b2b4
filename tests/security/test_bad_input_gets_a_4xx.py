"""Malformed input never gives a 500 (issue 20, item 10): a NUL character, a multipart body
without a boundary, an over-size body each get a 4xx in the endpoint's own format, naming the
field where there is one, and nothing is stored."""

import datetime
import json

import pytest
from django.core.handlers.wsgi import WSGIHandler

from civility.feedback.ingest import PATH as KIOSK_PATH
from civility.feedback.ingest import KioskIngest
from civility.feedback.models import ServiceRating
from tests.feedback.conftest import rating
from tests.feedback.test_kiosk_fast_path import call


def test_a_nul_character_in_a_public_search_gets_a_400_page(client, db):
    response = client.get("/conduct-report/", {"q": "ab\x00cd"})

    assert response.status_code == 400
    assert "q contains a NUL character" in response.content.decode()


def test_a_nul_character_in_a_kiosk_rating_gets_a_400_naming_the_field(client, point):
    response = client.post(
        KIOSK_PATH,
        json.dumps(rating(2, comment="ab\x00cd")),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {point.secret}",
    )

    assert response.status_code == 422
    assert response.json()["field"] == "comment"
    assert not ServiceRating.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_kiosk_fast_path_hands_a_nul_character_to_django_which_refuses_it(point):
    """A 5xx would make the kiosk send the rating again for ever."""
    app = KioskIngest(WSGIHandler())

    status, _headers, content = call(app, rating(2, comment="ab\x00cd"), secret=point.secret)

    assert status == 422
    assert json.loads(content)["field"] == "comment"


def test_a_multipart_body_without_a_boundary_gets_a_400_json(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        "/api/v1/inspections/5/photos", b"--x\r\n", content_type="multipart/form-data"
    )

    assert response.status_code == 422
    assert "boundary" in response.json()["message"]


def test_an_over_size_json_body_gets_a_413_json(client, point, settings):
    body = json.dumps(rating(2, comment="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)))

    response = client.post(
        KIOSK_PATH,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {point.secret}",
    )

    assert response.status_code == 413
    assert "too large" in response.json()["message"]


def test_a_nul_character_in_an_open311_post_gets_open311s_error_format(client, db):
    response = client.post("/open311/v2/requests.json", {"description": "a\x00b"})

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert "description" in response.json()[0]["description"]


def test_a_megabyte_pasted_into_a_staff_description_is_refused_naming_the_field(client, cast, late):
    from civility.conduct.models import ViolationRecord

    client.force_login(cast.a.head)

    response = client.post(
        "/conduct/new/",
        {
            "official": cast.a.official.pk,
            "type": late.pk,
            "occurred_on": "2026-11-10",
            "source": "surprise_check",
            "description": "x" * 1_000_000,
        },
    )

    assert response.status_code == 400
    assert "description is too long: at most 20,000 characters" in response.content.decode()
    assert not ViolationRecord.objects.exists()


def test_an_over_long_text_in_a_json_body_gets_a_422_naming_its_path(client, point):
    body = {"ratings": [rating(2, comment="x" * 20_001)]}

    response = client.post(
        KIOSK_PATH + "/batch",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {point.secret}",
    )

    assert response.status_code == 422
    assert response.json()["field"] == "ratings.0.comment"


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "data:text/html,<b>x</b>", "JaVaScRiPt:alert(1)", "ftp://x.vn/a"],
)
def test_links_people_follow_must_be_web_addresses(cast, late, link):
    from django.core.exceptions import ValidationError

    from civility.conduct.actions import add_evidence, report_violation

    record = report_violation(
        actor=cast.a.head,
        official=cast.a.official,
        violation_type=late,
        occurred_on=datetime.date(2026, 11, 10),
        source="surprise_check",
        description="Vắng mặt.",
    )

    with pytest.raises(ValidationError) as error:
        add_evidence(actor=cast.a.head, record=record, url=link)

    assert "http://" in error.value.message_dict["url"][0]
    assert not record.evidence.exists()


def test_open311_refuses_a_script_link_as_media_url(client, point):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": point.littering.code,
            "description": "Rác",
            "lat": "21.05",
            "long": "105.82",
            "media_url": "javascript:alert(1)",
        },
    )

    assert response.status_code == 400
    assert "media_url" in response.json()[0]["description"]


def test_a_throttled_kiosk_is_told_when_to_try_again(client, point, settings):
    settings.FEEDBACK_KIOSK_BURST = 1
    post = lambda: client.post(  # noqa: E731
        KIOSK_PATH,
        json.dumps(rating(2)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {point.secret}",
    )
    post()

    refused = post()

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
