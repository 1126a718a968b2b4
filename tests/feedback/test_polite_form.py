"""The pages a citizen sees address them in one polite form, "Ông/Bà" (the administrative
register), never "bạn": the kiosk, the QR rating and its thank-you page, the assistance
bell, the public-place report and its receipt, the follow-up case page, the page to report
an official's conduct, and the e-mails a citizen receives (issue 19, item 10)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail

from civility.feedback.models import FollowUpCase, PublicReport

# Any spelling of the form other than "Ông/Bà", e.g. "ông/bà" or "Ông/bà".
OTHER_SPELLING = re.compile(r"(?!Ông/Bà)[ôÔ]ng/[bB]à")
BAN = re.compile(r"\bbạn\b", re.IGNORECASE)


def assert_polite(text: str, where: str) -> None:
    assert not BAN.findall(text), f"{where} says 'bạn'"
    assert not OTHER_SPELLING.findall(text), f"{where} spells the form otherwise"


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


def test_the_kiosk_qr_rating_and_assistance_bell_say_ong_ba_throughout(
    client_factory, point, django_capture_on_commit_callbacks
):
    phone = client_factory()
    kiosk = phone.get("/feedback/kiosk/").content.decode()
    assert "Ông/Bà có hài lòng" in kiosk and "Xin cảm ơn Ông/Bà!" in kiosk
    assert_polite(kiosk, "the kiosk")
    counter_page = f"/feedback/counter/{point.counter.pk}/"
    assert_polite(phone.get(counter_page).content.decode(), "the QR rating page")

    with django_capture_on_commit_callbacks(execute=True):
        thanks = phone.post(
            counter_page,
            {"client_id": str(uuid.uuid4()), "level": 5, "contact_email": "binh@example.vn"},
        ).content.decode()
    assert "Cảm ơn Ông/Bà đã đánh giá" in thanks
    assert_polite(thanks, "the thank-you page")
    assert_polite(mail.outbox[0].subject + mail.outbox[0].body, "the receipt e-mail")
    case = FollowUpCase.objects.get()
    assert_polite(phone.get(f"/feedback/c/{case.receipt}/").content.decode(), "the case page")

    bell = client_factory().post(f"{counter_page}help/", follow=True).content.decode()
    assert_polite(bell, "the assistance bell")


def test_the_public_report_pages_say_ong_ba_throughout(client, point, cast):
    for url in ("/feedback/report/", f"/feedback/place/{point.market.pk}/", "/feedback/r/"):
        assert_polite(client.get(url).content.decode(), url)
    filed = client.post(
        f"/feedback/place/{point.market.pk}/",
        {"category": point.littering.pk, "description": "Vứt rác ở cổng chợ"},
    ).content.decode()
    assert_polite(filed, "the receipt with its secret")
    secret = re.search(r'id="receipt-secret">([^<]+)<', filed)[1]
    report = PublicReport.objects.get()
    assert_polite(client.get(f"{report.get_public_url()}?new=1").content.decode(), "the receipt")
    staff = client.__class__()
    staff.force_login(cast.a.head)
    staff.post(f"/feedback/reports/{report.pk}/accept/")
    staff.post(f"/feedback/reports/{report.pk}/close/", {"note": "Đã xử lý"})

    answered = client.post(
        report.get_public_url(), {"satisfied": "yes", "secret": secret}, follow=True
    )

    assert "Cảm ơn Ông/Bà đã trả lời." in answered.content.decode()
    assert_polite(answered.content.decode(), "the receipt after answering")


def test_the_page_to_report_an_officials_conduct_says_ong_ba_throughout(client, cast):
    for url in (
        "/conduct-report/",
        f"/conduct-report/unit/{cast.a.department.pk}/",
        "/conduct-report/status/",
    ):
        assert_polite(client.get(url).content.decode(), url)
    receipt = client.post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {"description": "Cán bộ yêu cầu nộp thêm giấy tờ.", "occurred_on": "2025-03-12"},
    ).content.decode()
    assert "Cảm ơn Ông/Bà" in receipt
    assert_polite(receipt, "the conduct receipt")
