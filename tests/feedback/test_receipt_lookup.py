"""A receipt code is found however the citizen types it: a space for the dash, no dash,
lower case, stray spaces. Public reports, follow-up cases, Open311 and anonymous conduct
reports all read it through civility.core.receipts."""

from __future__ import annotations

import re

import pytest

from civility.core.receipts import as_shown
from civility.feedback.models import FollowUpCase, PublicReport
from tests.feedback.conftest import kiosk_headers, rating


def _variants(code: str) -> list[str]:
    bare = code.replace("-", "")
    return [
        code.replace("-", " "),
        bare,
        bare.lower(),
        f"  {code.lower()} ",
        f"{bare[:2]} {bare[2:6]} {bare[6:]}",
    ]


def test_the_one_normal_form_of_a_typed_receipt():
    assert as_shown("abcd efgh") == "ABCD-EFGH"
    assert as_shown(" ABCDEFGH ") == "ABCD-EFGH"
    assert as_shown("ab-cd ef gh") == "ABCD-EFGH"


@pytest.fixture
def report(client, point) -> PublicReport:
    client.post(
        "/feedback/report/",
        {"category": point.littering.pk, "description": "Rác", "place": point.market.pk},
    )
    return PublicReport.objects.get()


def test_a_report_receipt_typed_with_a_space_case_or_no_dash_is_found(client, report):
    for typed in _variants(report.receipt):
        response = client.post("/feedback/r/", {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == f"/feedback/r/{report.receipt}/"


def test_the_receipt_page_address_forgives_case_and_a_missing_dash(client, report):
    bare = report.receipt.replace("-", "").lower()
    page = client.get(f"/feedback/r/{bare}/")
    assert page.status_code == 200
    assert report.receipt in page.content.decode()


def test_an_unknown_receipt_is_still_not_found(client, report):
    response = client.post("/feedback/r/", {"code": "ZZZZ ZZZZ"})
    assert response.status_code == 200
    assert "No report has this receipt code." in response.content.decode()


def test_a_follow_up_case_receipt_typed_loosely_is_found(client, point):
    answer = client.post(
        "/api/v1/feedback/kiosk/ratings",
        data=rating(level=5, contact_name="Bình", contact_phone="0912 345 678"),
        content_type="application/json",
        **kiosk_headers(point.secret),
    ).json()
    case = FollowUpCase.objects.get(receipt=answer["case_receipt"])

    typed = case.receipt.replace("-", " ").lower()
    response = client.post("/feedback/r/", {"code": typed})

    assert response["Location"] == f"/feedback/c/{case.receipt}/"
    assert client.get(f"/feedback/c/{typed.replace(' ', '')}/").status_code == 200


def test_open311_finds_a_request_by_a_loosely_typed_id(client, report):
    bare = report.receipt.replace("-", "").lower()
    response = client.get(f"/open311/v2/requests/{bare}.json")
    assert response.status_code == 200
    assert response.json()[0]["service_request_id"] == report.receipt


def test_an_anonymous_conduct_receipt_typed_with_spaces_and_dashes_is_found(client, cast):
    page = client.post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {
            "description": "Cán bộ yêu cầu nộp thêm giấy tờ.",
            "occurred_on": "2025-03-12",
            "location": "Quầy số 3",
        },
    ).content.decode()
    code = re.search(r'id="receipt-code">([^<]+)<', page)[1]
    secret = re.search(r'id="receipt-secret">([^<]+)<', page)[1]

    typed = f"{code[:4].lower()} - {code[4:]}"
    status = client.post("/conduct-report/status/", {"receipt_code": typed, "secret": secret})

    assert 'id="report-status">Reported<' in status.content.decode()
