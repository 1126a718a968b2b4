"""Malformed input never gives a 500 (issue 20, item 10): a NUL character, a multipart body
without a boundary, an over-size body each get a 4xx in the endpoint's own format, naming the
field where there is one, and nothing is stored."""

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
