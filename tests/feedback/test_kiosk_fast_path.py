"""The production WSGI application answers single kiosk ratings before Django
(civility/feedback/ingest.py): same storage and answer, and everything it cannot answer
with a success is handed to Django unchanged. Transactional: the fast path runs in
autocommit, as in production."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from civility.feedback.ingest import PATH, KioskIngest
from civility.feedback.models import Channel, ServiceRating
from tests.feedback.conftest import rating

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def app():
    return KioskIngest(WSGIHandler())


def call(app, body, *, secret=None, path=PATH, method="POST", **environ):
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        **environ,
    }
    if secret:
        env["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    content = b"".join(app(env, start_response))
    return answer["status"], answer["headers"], content


def answered_by_fast_path(headers) -> bool:
    return headers.get("Cache-Control") == "no-store" and "Content-Language" not in headers


def test_a_rating_is_stored_by_the_fast_path_with_the_official_on_duty(app, point):
    body = rating(2, reasons=["attitude"], comment="Nhanh")

    status, headers, content = call(app, body, secret=point.secret)

    assert status == 201
    assert answered_by_fast_path(headers)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(content) == {
        "client_id": body["client_id"],
        "stored": True,
        "case_receipt": "",
        "case_secret": "",
    }
    stored = ServiceRating.objects.get()
    assert (stored.counter, stored.official) == (point.counter, point.clerk_official)
    assert (stored.channel, stored.level, stored.reasons, stored.comment) == (
        Channel.KIOSK,
        2,
        ["attitude"],
        "Nhanh",
    )


def test_the_fast_path_answers_exactly_as_the_api_endpoint(app, point, client):
    first, second = rating(1), rating(1)

    fast = call(app, first, secret=point.secret)
    slow = client.post(
        PATH, second, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {point.secret}"
    )

    assert fast[0] == slow.status_code == 201
    assert json.loads(fast[2]).keys() == slow.json().keys()


def test_the_same_id_twice_is_stored_once_and_answered_200(app, point):
    body = rating(3)
    call(app, body, secret=point.secret)

    status, headers, content = call(app, body, secret=point.secret)

    assert (status, json.loads(content)["stored"]) == (200, False)
    assert ServiceRating.objects.count() == 1


def test_invalid_input_is_answered_by_django_naming_the_field(app, point):
    status, headers, content = call(app, rating(12), secret=point.secret)

    assert status == 422
    assert not answered_by_fast_path(headers)
    assert json.loads(content)["field"] == "level"
    assert ServiceRating.objects.count() == 0


def test_a_bad_key_is_answered_401_by_django(app, point):
    status, headers, _content = call(app, rating(1), secret="cvk_not-a-key")

    assert status == 401
    assert headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_body_that_is_not_json_is_answered_by_django(app, point):
    status, _headers, content = call(app, b"{not json", secret=point.secret)

    assert status in (400, 422)
    assert "message" in json.loads(content)


def test_a_throttled_kiosk_gets_429_and_nothing_more_is_stored(app, point, settings):
    settings.FEEDBACK_KIOSK_BURST = 3
    settings.FEEDBACK_KIOSK_REFILL_S = 3600

    codes = [call(app, rating(1), secret=point.secret)[0] for _ in range(5)]

    assert codes == [201, 201, 201, 429, 429]
    assert ServiceRating.objects.count() == 3


def test_a_connection_the_database_dropped_is_replaced_and_the_rating_stored(app, point):
    call(app, rating(1), secret=point.secret)  # the worker now holds a connection
    connection.connection.pgconn.finish()  # as a database restart leaves it

    status, headers, _content = call(app, rating(1), secret=point.secret)

    assert status == 201
    assert answered_by_fast_path(headers)
    assert ServiceRating.objects.count() == 2


def test_plain_http_is_left_to_django_when_https_is_required(point, settings):
    settings.SECURE_SSL_REDIRECT = True
    app = KioskIngest(WSGIHandler())  # Django's middleware reads the setting when it starts

    status, headers, _content = call(app, rating(1), secret=point.secret)

    assert status == 301
    assert headers["Location"].startswith("https://")
    assert ServiceRating.objects.count() == 0


def test_over_https_the_answer_carries_hsts(app, point, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600

    status, headers, _content = call(
        app, rating(1), secret=point.secret, HTTP_X_FORWARDED_PROTO="https"
    )

    assert status == 201
    assert headers["Strict-Transport-Security"].startswith("max-age=3600")


def test_other_requests_go_to_django(app, point):
    status, headers, _content = call(app, b"", path=PATH, method="GET", secret=point.secret)

    assert status == 405
    assert not answered_by_fast_path(headers)
