"""Scripts flooding the public, anonymous endpoints (issue 20, item 5): every one takes from
the client's allowance before doing any work and answers 429 with Retry-After, a page for
pages and JSON for Open311; reports refused as invalid do not use up the report allowance."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from civility.conduct.models import AnonymousReport
from civility.feedback.models import PublicReport
from tests.feedback import conftest as feedback_fixtures

point = feedback_fixtures.point  # the service point, its counters and places
_media = feedback_fixtures._media  # uploads go to a temporary directory

PUBLIC_POSTS = [
    ("/conduct-report/unit/{department}/", "html"),
    ("/conduct-report/status/", "html"),
    ("/feedback/counter/{counter}/", "html"),
    ("/feedback/counter/{counter}/help/", "html"),
    ("/feedback/rate/", "html"),
    ("/feedback/place/{market}/", "html"),
    ("/feedback/report/", "html"),
    ("/feedback/r/", "html"),
    ("/feedback/r/ABCD-2345/", "html"),
    ("/feedback/c/ABCD-2345/", "html"),
    ("/open311/v2/requests.json", "json"),
    ("/accounts/login/", "html"),
]


@pytest.mark.parametrize(("path", "kind"), PUBLIC_POSTS)
def test_every_public_endpoint_answers_429_with_retry_after_once_the_client_s_allowance_is_spent(
    client, cast, point, settings, path, kind
):
    settings.THROTTLE_PUBLIC = (1, 600)
    url = path.format(
        department=cast.a.department.pk, counter=point.counter.pk, market=point.market.pk
    )
    assert client.post(url, {}).status_code != 429

    response = client.post(url, {})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    if kind == "json":
        [error] = response.json()
        assert error["code"] == 429 and "Please try again in" in error["description"]
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "Please try again in" in response.content.decode()


def test_public_throttles_follow_the_client_behind_a_trusted_proxy(client, db, settings):
    settings.THROTTLE_PUBLIC = (1, 600)
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    def lookup(forwarded_for: str) -> int:
        return client.post(
            "/feedback/r/", {}, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    # Two citizens behind the one proxy each get their own allowance...
    assert [lookup("198.51.100.1"), lookup("198.51.100.2")] == [200, 200]
    # ...and one of them cannot get a fresh one by writing another address in front.
    assert lookup("192.0.2.99, 198.51.100.1") == 429


def test_forged_forwarded_addresses_do_not_buy_a_fresh_allowance_without_a_trusted_proxy(
    client, db, settings
):
    settings.THROTTLE_PUBLIC = (1, 600)
    settings.TRUSTED_PROXIES = []
    codes = [
        client.post(
            "/feedback/r/", {}, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(2)
    ]
    assert codes == [200, 429]


def _conduct_report(client, cast, **fields):
    data = {"description": "Cán bộ đòi thêm giấy tờ.", "occurred_on": "2025-03-12", **fields}
    return client.post(f"/conduct-report/unit/{cast.a.department.pk}/", data)


def test_anonymous_reports_about_officials_are_limited_per_client(client, cast, settings):
    settings.THROTTLE_CONDUCT_REPORT = (1, 600)
    assert (
        "This field is required" in _conduct_report(client, cast, description="").content.decode()
    )
    assert _conduct_report(client, cast).status_code == 200

    refused = _conduct_report(client, cast, submission_id=str(uuid.uuid4()))

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert AnonymousReport.objects.count() == 1


def _open311(client, point, **fields):
    data = {"service_code": "littering", "description": "Rác", "address_id": point.market.pk}
    return client.post("/open311/v2/requests.json", {**data, **fields})


def test_open311_posts_refused_as_invalid_do_not_use_up_the_report_allowance(
    client, point, settings
):
    settings.FEEDBACK_REPORT_BURST = 1
    invalid = [
        _open311(client, point, lat="north").status_code,
        _open311(client, point, address_id="999999").status_code,
        _open311(client, point, service_code="").status_code,
    ]
    assert invalid == [400, 400, 400]
    assert _open311(client, point).status_code == 201

    refused = _open311(client, point)

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()[0]["code"] == 429
    assert PublicReport.objects.count() == 1


def test_every_open311_post_still_counts_against_the_client_s_request_allowance(
    client, point, settings
):
    settings.THROTTLE_PUBLIC = (3, 600)
    for _attempt in range(3):
        assert _open311(client, point, service_code="").status_code == 400

    assert _open311(client, point).status_code == 429
    assert not PublicReport.objects.exists()


def test_a_qr_rating_refused_for_speed_says_when_to_come_back(client, point):
    def rate():
        data = {"client_id": str(uuid.uuid4()), "level": 1}
        return client.post(f"/feedback/counter/{point.counter.pk}/", data)

    assert rate().status_code == 200
    refused = rate()

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 1800  # one rating a counter per 30 minutes
    assert "Too many ratings" in refused.content.decode()


def test_the_receipt_lookup_takes_the_code_in_the_body_not_in_the_url(client, point):
    report_page = Client().post(
        f"/feedback/place/{point.market.pk}/",
        {"category": point.littering.pk, "description": "Rác"},
    )
    receipt = PublicReport.objects.get().receipt
    assert report_page.status_code == 200  # the receipt page, with the secret shown once

    assert client.get("/feedback/r/", {"code": receipt}).status_code == 200  # just the form
    found = client.post("/feedback/r/", {"code": receipt})
    assert found.status_code == 302 and found["Location"] == f"/feedback/r/{receipt}/"
    assert 'method="post"' in client.get("/feedback/r/").content.decode()
