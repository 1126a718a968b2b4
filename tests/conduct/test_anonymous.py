"""Anonymous reports about officials from the public page: receipt code and secret, status and
answers without an account, nothing stored about the reporter unless they choose to."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civility.conduct import actions
from civility.conduct.models import AnonymousReport, RecordStatus, Source, ViolationRecord
from civility.core.models import AuditEvent


def _file(client, unit, **extra):
    data = {
        "official_hint": "Cán bộ quầy số 3, đeo kính",
        "description": "Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định.",
        "occurred_on": "2025-03-12",
        "location": "Quầy số 3",
        **extra,
    }
    response = client.post(
        f"/conduct-report/unit/{unit.pk}/",
        data,
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="ReporterPhone/1.0",
    )
    assert response.status_code == 200, response.content.decode()[:500]
    page = response.content.decode()
    code = re.search(r'id="receipt-code">([^<]+)<', page).group(1)
    secret = re.search(r'id="receipt-secret">([^<]+)<', page).group(1)
    return code, secret


def test_a_citizen_files_a_report_and_gets_a_receipt(client, cast):
    code, secret = _file(client, cast.a.department)
    report = AnonymousReport.objects.select_related("record").get()
    assert report.receipt_code == code
    assert secret not in report.secret_hash and report.secret_hash.startswith("md5$")
    record = report.record
    assert record.source == Source.ANONYMOUS and record.status == RecordStatus.REPORTED
    assert record.unit == cast.a.department and record.confidential
    assert record.reported_by is None and record.type is None and record.official is None
    assert report.official_hint == "Cán bộ quầy số 3, đeo kính"
    assert report.contact == ""


def test_nothing_identifies_the_reporter(client, cast):
    _file(client, cast.a.department)
    events = AuditEvent.objects.all()
    assert events.exists()
    assert all(event.remote_addr is None and event.actor is None for event in events)
    stored = " ".join(str(v) for e in events for v in (e.changes, e.additional_data))
    assert "203.0.113.77" not in stored and "ReporterPhone" not in stored


def test_contact_details_are_kept_only_when_the_reporter_chooses(client, cast):
    page = client.post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {"description": "x", "occurred_on": "2025-03-12", "contact": "0912 345 678"},
    ).content.decode()
    assert "Tick this box to leave contact details" in page
    assert not AnonymousReport.objects.exists()
    _file(client, cast.a.department, leave_contact="on", contact="Chị Hoa, 0912 345 678")
    assert AnonymousReport.objects.get().contact == "Chị Hoa, 0912 345 678"


def test_photos_lose_their_metadata_and_file_name(client, cast):
    image = Image.new("RGB", (20, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "ReporterCameraMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    assert b"ReporterCameraMaker" in buffer.getvalue()
    upload = SimpleUploadedFile("Nguyen_Thi_Hoa_photo.jpg", buffer.getvalue(), "image/jpeg")
    _file(client, cast.a.department, files=upload)
    evidence = ViolationRecord.objects.get().evidence.get()
    data = evidence.file.read()
    assert b"ReporterCameraMaker" not in data
    assert "Nguyen" not in evidence.file.name and evidence.file.name.endswith(".jpg")


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(client, cast):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00binary", "application/octet-stream")
    page = client.post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {"description": "x", "occurred_on": "2025-03-12", "files": upload},
    ).content.decode()
    assert "run.exe is not an accepted file; accepted: photos (JPEG, PNG, HEIC), PDF." in page
    assert not ViolationRecord.objects.exists()


def test_round_trip_status_question_and_answer_without_an_account(client, cast):
    code, secret = _file(client, cast.a.department)
    record = ViolationRecord.objects.get()

    status = client.post("/conduct-report/status/", {"receipt_code": code, "secret": secret})
    assert 'id="report-status">Reported<' in status.content.decode()
    assert "not asked anything yet" in status.content.decode()

    handler = client.__class__()
    handler.force_login(cast.a.head)
    handler.post(f"/conduct/{record.pk}/verify/", {"note": ""})
    handler.post(f"/conduct/{record.pk}/ask/", {"text": "Anh/chị đến lúc mấy giờ?"})

    status = client.post(
        "/conduct-report/status/", {"receipt_code": code.lower(), "secret": secret}
    ).content.decode()
    assert 'id="report-status">Being verified<' in status
    assert "Anh/chị đến lúc mấy giờ?" in status

    answered = client.post(
        "/conduct-report/status/",
        {"receipt_code": code, "secret": secret, "text": "Khoảng 9 giờ sáng."},
    ).content.decode()
    assert "Your answer was sent." in answered
    assert "Khoảng 9 giờ sáng." in answered
    message = record.anonymous_report.messages.get(from_reporter=True)
    assert message.author is None
    assert record.steps.filter(kind="reporter_answered", actor=None).exists()

    detail = handler.get(f"/conduct/{record.pk}/").content.decode()
    assert "Khoảng 9 giờ sáng." in detail


@pytest.mark.parametrize("wrong", ["secret", "code"])
def test_a_wrong_code_or_secret_shows_nothing(client, cast, wrong):
    code, secret = _file(client, cast.a.department)
    data = {"receipt_code": code, "secret": secret}
    data["secret" if wrong == "secret" else "receipt_code"] = "AAAA-BBBB-CCCC"
    page = client.post("/conduct-report/status/", data).content.decode()
    assert "No report matches this receipt code and secret." in page
    assert "Cán bộ yêu cầu" not in page and "report-status" not in page


def test_an_answer_with_a_wrong_secret_is_not_stored(client, cast):
    code, _secret = _file(client, cast.a.department)
    record = ViolationRecord.objects.get()
    actions.start_verification(actor=cast.a.head, record=record)
    actions.ask_reporter(actor=cast.a.head, record=record, text="Câu hỏi?")
    client.post(
        "/conduct-report/status/",
        {"receipt_code": code, "secret": "WRONG-WRONG-1", "text": "Giả mạo"},
    )
    assert not record.anonymous_report.messages.filter(from_reporter=True).exists()


def test_the_handler_classifies_the_report_and_names_the_official(client, cast, late):
    _file(client, cast.a.department)
    record = ViolationRecord.objects.get()
    client.force_login(cast.a.head)
    client.post(f"/conduct/{record.pk}/verify/", {"note": ""})
    client.post(
        f"/conduct/{record.pk}/details/",
        {"type": late.pk, "official": cast.a.official.pk, "severity": "serious"},
    )
    record.refresh_from_db()
    assert (record.type, record.official, record.severity) == (late, cast.a.official, "serious")
    client.post(f"/conduct/{record.pk}/confirm/", {"severity": "serious", "handling": "criticism"})
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED


def test_the_public_page_finds_the_office_by_name(client, cast):
    page = client.get("/conduct-report/?q=tay ho").content.decode()
    assert f"/conduct-report/unit/{cast.a.ward.pk}/" in page
    assert client.get(f"/conduct-report/unit/{cast.city.pk}/").status_code == 404


def test_sending_the_same_report_form_twice_files_one_report_and_never_shows_the_secret_again(
    client, cast
):
    form = client.get(f"/conduct-report/unit/{cast.a.department.pk}/").content.decode()
    submission_id = re.search(r'name="submission_id" value="([^"]+)"', form).group(1)
    code, secret = _file(client, cast.a.department, submission_id=submission_id)

    again = client.__class__().post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {"description": "x", "occurred_on": "2025-03-12", "submission_id": submission_id},
    )

    page = again.content.decode()
    assert again.status_code == 200 and 'id="already-filed"' in page
    assert secret not in page and code not in page and "receipt-secret" not in page
    assert AnonymousReport.objects.count() == 1 and ViolationRecord.objects.count() == 1
    assert actions.find_anonymous_report(receipt_code=code, secret=secret) is not None


def test_two_report_forms_file_two_reports(client, cast):
    first = _file(client, cast.a.department)
    second = _file(client, cast.a.department)

    assert first != second
    assert AnonymousReport.objects.count() == 2
