"""Threat: anyone flips a citizen's verdict (issue 20, item 8: Open311's public list gives
each report's receipt code, and the receipt alone set "satisfied with the handling?", which
feeds a Decision 766 rate; the same held for follow-up cases).

The receipt code stays public; the verdict needs the secret shown once at filing
(civility.core.receipts, as anonymous reports about officials already do).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civility.core.models import AuditEvent
from civility.feedback import cases
from civility.feedback.actions import register_device
from civility.feedback.models import CaseStatus, FollowUpCase, PublicReport, ReportCategory
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_place, make_unit, make_user, pdf_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def market(cast):
    ReportCategory.objects.get_or_create(
        code="littering", defaults={"name": "Xả rác", "name_en": "Littering"}
    )
    return make_place("Chợ Quảng An", unit=cast.a.ward)


def _file_on_the_web(market) -> tuple[PublicReport, str]:
    category = ReportCategory.objects.get(code="littering")
    page = Client().post(
        f"/feedback/place/{market.pk}/", {"category": category.pk, "description": "Rác"}
    )
    secret = re.search(r'id="receipt-secret">([^<]+)<', page.content.decode())[1]
    return PublicReport.objects.get(), secret


def _close(cast, report: PublicReport) -> None:
    staff = Client()
    staff.force_login(cast.a.head)
    staff.post(f"/feedback/reports/{report.pk}/accept/")
    staff.post(f"/feedback/reports/{report.pk}/close/", {"note": "Đã dọn sạch"})


def _verdict(report: PublicReport, answer: str, secret: str | None = None):
    data = {"satisfied": answer} if secret is None else {"satisfied": answer, "secret": secret}
    return Client().post(report.get_public_url(), data)


def test_the_receipt_from_the_public_list_cannot_give_a_verdict(cast, market):
    report, secret = _file_on_the_web(market)
    _close(cast, report)
    listed = Client().get("/open311/v2/requests.json").json()
    receipt = listed[0]["service_request_id"]
    assert receipt == report.receipt
    assert secret not in str(listed) and report.secret_hash not in str(listed)

    without = _verdict(report, "no")
    wrong = _verdict(report, "no", "AAAA-BBBB-CCCC")
    report.refresh_from_db()
    assert report.citizen_satisfied is None
    assert without.status_code == wrong.status_code == 400
    assert "This secret does not match the receipt code." in wrong.content.decode()


def test_the_reporters_secret_gives_the_verdict_and_a_change_needs_it_again(cast, market):
    report, secret = _file_on_the_web(market)
    _close(cast, report)
    assert _verdict(report, "yes", secret).status_code == 302
    report.refresh_from_db()
    assert report.citizen_satisfied is True

    _verdict(report, "no")  # someone else with the receipt only
    report.refresh_from_db()
    assert report.citizen_satisfied is True

    _verdict(report, "no", secret)
    report.refresh_from_db()
    assert report.citizen_satisfied is False
    changes = [
        event.changes_dict.get("citizen_satisfied")
        for event in AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(PublicReport),
            object_pk=str(report.pk),
            actor=None,
        ).order_by("timestamp")
        if "citizen_satisfied" in event.changes_dict
    ]
    assert changes == [["None", "True"], ["True", "False"]]


def test_an_open311_report_gets_its_secret_once_in_the_post_answer(cast, market):
    created = (
        Client()
        .post(
            "/open311/v2/requests.json",
            {"service_code": "littering", "description": "Rác", "address_id": str(market.pk)},
        )
        .json()[0]
    )
    report = PublicReport.objects.get(receipt=created["service_request_id"])
    assert created["secret"] in created["service_notice"]
    [detail] = Client().get(f"/open311/v2/requests/{report.receipt}.json").json()
    assert created["secret"] not in str(detail)
    _close(cast, report)
    assert _verdict(report, "yes", created["secret"]).status_code == 302


def test_a_report_filed_before_secrets_takes_no_verdict(cast, market):
    report, _secret = _file_on_the_web(market)
    PublicReport.objects.filter(pk=report.pk).update(secret_hash="")
    _close(cast, report)
    _verdict(report, "yes", "")
    _verdict(report, "yes", "ABCD-EFGH-JKLM")
    report.refresh_from_db()
    assert report.citizen_satisfied is None


@pytest.fixture
def kiosk(cast):
    center = make_unit("Trung tâm Phục vụ", parent=cast.city, kind=UnitKind.SERVICE_CENTER)
    point = make_unit("Điểm phục vụ Tây Hồ", parent=center, kind=UnitKind.SERVICE_POINT)
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    head = make_user("point_head", roles={Role.UNIT_HEAD: point})
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy tính bảng")
    return head, secret


def _rate(kiosk_secret: str, client_id: str):
    return Client().post(
        "/api/v1/feedback/kiosk/ratings",
        {"client_id": client_id, "level": 5, "contact_phone": "0912345678"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {kiosk_secret}",
    )


def test_a_follow_up_case_is_answered_with_its_secret_only(cast, kiosk):
    head, kiosk_secret = kiosk
    client_id = str(uuid.uuid4())
    opened = _rate(kiosk_secret, client_id).json()
    case = FollowUpCase.objects.get(receipt=opened["case_receipt"])
    assert opened["case_secret"]
    # A resend of the same rating finds the case again but cannot show the secret again.
    assert _rate(kiosk_secret, client_id).json()["case_secret"] == ""
    evidence = SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), "application/pdf")
    cases.reply_to_case(actor=head, case=case, text="Đã xử lý.", files=[evidence], close=True)

    page = case.get_public_url()
    refused = Client().post(page, {"settled": "no", "comment": "Chưa xong."})
    case.refresh_from_db()
    assert refused.status_code == 400 and case.status == CaseStatus.CLOSED
    Client().post(page, {"settled": "yes", "secret": "AAAA-BBBB-CCCC"})
    case.refresh_from_db()
    assert case.citizen_settled is None

    Client().post(page, {"settled": "yes", "secret": opened["case_secret"]})
    case.refresh_from_db()
    assert case.citizen_settled is True
