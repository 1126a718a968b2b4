"""Guessing an anonymous report's secret (issue 20, item 5): every lookup is throttled per
client and every wrong secret per receipt, before the secret's hash is computed (it costs a
quarter of a second of CPU, also for unknown receipts)."""

from __future__ import annotations

import re

import pytest

from civility.conduct import actions

STATUS = "/conduct-report/status/"


def _file(client, unit) -> tuple[str, str]:
    page = client.post(
        f"/conduct-report/unit/{unit.pk}/",
        {"description": "Cán bộ đòi thêm giấy tờ.", "occurred_on": "2025-03-12"},
        REMOTE_ADDR="203.0.113.1",
    ).content.decode()
    code = re.search(r'id="receipt-code">([^<]+)<', page).group(1)
    secret = re.search(r'id="receipt-secret">([^<]+)<', page).group(1)
    return code, secret


def _look_up(client, code, secret, *, address):
    return client.post(STATUS, {"receipt_code": code, "secret": secret}, REMOTE_ADDR=address)


@pytest.fixture
def secret_checks(monkeypatch) -> list[str]:
    """The receipt codes whose secret was checked (the costly step), in order."""
    checked: list[str] = []
    find = actions.find_anonymous_report

    def counting(*, receipt_code, secret):
        checked.append(receipt_code)
        return find(receipt_code=receipt_code, secret=secret)

    monkeypatch.setattr(actions, "find_anonymous_report", counting)
    return checked


def test_status_lookup_is_throttled_before_the_secret_is_checked(
    client, cast, settings, secret_checks
):
    settings.THROTTLE_LOOKUP = (3, 600)
    code, secret = _file(client, cast.a.department)
    for _attempt in range(3):
        _look_up(client, code, "WRONG-WRONG-WRONG", address="198.51.100.7")

    refused = _look_up(client, code, secret, address="198.51.100.7")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Please try again in" in page and "report-status" not in page
    assert len(secret_checks) == 3  # the fourth, right secret was never hashed


def test_lookups_of_unknown_receipts_are_throttled_too(client, cast, settings, secret_checks):
    settings.THROTTLE_LOOKUP = (2, 600)
    codes = [
        _look_up(client, f"AAAA-BBBB-CCC{n}", "WRONG", address="198.51.100.7").status_code
        for n in range(3)
    ]

    assert codes == [200, 200, 429]
    assert len(secret_checks) == 2


def test_wrong_secrets_count_against_the_receipt_from_every_address(
    client, cast, settings, secret_checks
):
    settings.THROTTLE_RECEIPT = (2, 600)
    code, secret = _file(client, cast.a.department)
    _look_up(client, code, "WRONG-ONE", address="198.51.100.1")
    _look_up(client, code, "WRONG-TWO", address="198.51.100.2")

    refused = _look_up(client, code, secret, address="198.51.100.3")

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert len(secret_checks) == 2


def test_the_reporter_s_own_visits_do_not_use_up_the_receipt(client, cast, settings):
    settings.THROTTLE_RECEIPT = (2, 600)
    code, secret = _file(client, cast.a.department)

    pages = [_look_up(client, code, secret, address=f"198.51.100.{n}") for n in range(5)]

    assert [page.status_code for page in pages] == [200] * 5
    assert all("report-status" in page.content.decode() for page in pages)
