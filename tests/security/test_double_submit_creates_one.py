"""A POST sent twice creates one thing (issue 20, item 10): a double click, a reload that
re-posts, two parallel taps or an integrator's retry with the same key get the first one's
answer; a failed first attempt frees the key; keys are kept apart per person."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from civility.accounts.actions import create_api_token
from civility.conduct.models import ViolationRecord
from civility.core.models import Submission
from civility.orgs.scopes import Role

KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def form(cast, late, **extra) -> dict:
    return {
        "official": cast.a.official.pk,
        "type": late.pk,
        "occurred_on": "2026-11-10",
        "source": "surprise_check",
        "description": "Vắng mặt lúc 9 giờ.",
        "_submission": KEY,
        **extra,
    }


def test_a_form_sent_twice_creates_one_record_and_both_go_to_it(client, cast, late):
    client.force_login(cast.a.head)
    url = reverse("conduct:record_create")

    first = client.post(url, form(cast, late))
    second = client.post(url, form(cast, late))

    assert ViolationRecord.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert second.headers["Idempotent-Replay"] == "true"


def test_a_form_with_errors_frees_its_key_for_the_corrected_form(client, cast, late):
    client.force_login(cast.a.head)
    url = reverse("conduct:record_create")

    wrong = client.post(url, form(cast, late, occurred_on="not a date"))
    right = client.post(url, form(cast, late))

    assert wrong.status_code == 200 and right.status_code == 302
    assert ViolationRecord.objects.count() == 1


def test_another_persons_key_is_not_theirs(client, cast, late):
    client.force_login(cast.a.head)
    client.post(reverse("conduct:record_create"), form(cast, late))
    client.force_login(cast.a.coordinator)

    client.post(reverse("conduct:record_create"), form(cast, late))

    assert ViolationRecord.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_parallel_submits_create_one_record(cast, late):
    url = reverse("conduct:record_create")
    answers: list[int] = []

    def submit():
        browser = Client()
        browser.force_login(cast.a.head)
        answers.append(browser.post(url, form(cast, late)).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _copy in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert answers == [302, 302, 302]
    assert ViolationRecord.objects.count() == 1


def test_an_api_retry_with_the_same_idempotency_key_gets_the_same_answer(client, cast, late):
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.a.ward, role=Role.UNIT_HEAD
    )
    body = {
        "official_id": cast.a.official.pk,
        "type_id": late.pk,
        "occurred_on": "2026-11-10",
        "source": "surprise_check",
        "description": "Vắng mặt lúc 9 giờ.",
    }
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": KEY}

    def send(**extra):
        return client.post(
            "/api/v1/conduct/records",
            body,
            content_type="application/json",
            headers={**headers, **extra},
        )

    first, retry = send(), send()
    other = send(**{"Idempotency-Key": "another-key-123"})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert other.json()["id"] != first.json()["id"]
    assert ViolationRecord.objects.count() == 2


def test_a_malformed_key_is_refused_naming_the_header(client, cast):
    client.force_login(cast.a.head)

    response = client.post(
        "/api/v1/conduct/records",
        {},
        content_type="application/json",
        headers={"Idempotency-Key": "bad key!"},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert not Submission.objects.exists()
