"""docs/security.md's rows for the citizen reporter and the database reader: a reporter's
secret exists only in their hands, and nothing stored points back at them."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from civility.conduct import actions
from civility.conduct.models import AnonymousReport, ViolationRecord
from civility.core.models import AuditEvent
from civility.core.receipts import ALPHABET
from civility.feedback.models import PublicReport, ReportCategory
from tests.security.files import leaks, pdf_with_metadata

# What a reporter's request carries that could identify them.
ADDRESS, BROWSER, REQUEST_ID = "203.0.113.77", "ReporterPhone/1.0", "req-5f1e2d3c"
REQUEST = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_X_FORWARDED_FOR": ADDRESS,
    "HTTP_USER_AGENT": BROWSER,
    "HTTP_X_CORRELATION_ID": REQUEST_ID,
}


def _form_id(client, unit) -> str:
    form = client.get(f"/conduct-report/unit/{unit.pk}/").content.decode()
    return re.search(r'name="submission_id" value="([^"]+)"', form).group(1)


def _file(client, unit, **extra):
    response = client.post(
        f"/conduct-report/unit/{unit.pk}/",
        {
            "description": "Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định.",
            "occurred_on": "2025-03-12",
            **extra,
        },
        **REQUEST,
    )
    return response.content.decode()


def _receipt(page: str) -> tuple[str, str]:
    code = re.search(r'id="receipt-code">([^<]+)<', page).group(1)
    secret = re.search(r'id="receipt-secret">([^<]+)<', page).group(1)
    return code, secret


def _stored_text() -> str:
    """Every row of the tables a database reader would search, as JSON text."""
    tables = [
        model._meta.db_table
        for model in (AnonymousReport, ViolationRecord, AuditEvent, PublicReport)
    ] + ["conduct_recordstep", "conduct_recordevidence", "conduct_reportmessage"]
    with connection.cursor() as cursor:
        return " ".join(" ".join(row[0] for row in _rows(cursor, table)) for table in tables)


def _rows(cursor, table: str):
    cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - fixed names
    return cursor.fetchall()


def test_resending_a_report_form_does_not_reveal_the_secret_or_file_twice(client, cast):
    """Citizen reporter, reporter identity: whoever holds the form id later (another
    browser, a shared computer) learns nothing; the report is filed once."""
    form_id = _form_id(client, cast.a.department)
    code, secret = _receipt(_file(client, cast.a.department, submission_id=form_id))

    page = _file(Client(), cast.a.department, submission_id=form_id)

    assert 'id="already-filed"' in page
    assert secret not in page and code not in page
    assert AnonymousReport.objects.count() == 1 and ViolationRecord.objects.count() == 1


def test_the_secret_cannot_be_computed_from_the_form_id_and_the_server_key(client, cast):
    """Database reader (or anyone who saw the form id in the old audit log): the secret
    used to be HMAC(SECRET_KEY, form id); it is random now, so that derivation opens
    nothing."""
    form_id = _form_id(client, cast.a.department)
    code, secret = _receipt(_file(client, cast.a.department, submission_id=form_id))
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"conduct-report:{form_id}".encode(), hashlib.sha256
    ).digest()
    derived = "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:12])

    assert actions.find_anonymous_report(receipt_code=code, secret=derived) is None
    assert actions.find_anonymous_report(receipt_code=code, secret=secret) is not None


def test_a_database_reader_finds_neither_the_secret_nor_the_form_id_nor_the_request(client, cast):
    """Database reader, reporter identity: no secret (only its password hash), no form id
    (only its keyed hash), no address, browser or proxy request id, in any row of the
    records, the report or the audit log."""
    form_id = _form_id(client, cast.a.department)
    code, secret = _receipt(_file(client, cast.a.department, submission_id=form_id))
    stored = _stored_text()
    for trace in (secret, secret.replace("-", ""), form_id, ADDRESS, BROWSER, REQUEST_ID):
        assert trace not in stored, trace
    report = AnonymousReport.objects.get()
    assert report.submission_key and report.submission_key != form_id
    assert actions.find_anonymous_report(receipt_code=code, secret=secret) == report


def test_the_audit_rows_of_an_anonymous_report_carry_no_actor_address_or_request_id(client, cast):
    """Database reader and audit readers, audit rows: an anonymous report's rows (record,
    step, evidence, report, the reporter's answers) name nobody and no machine."""
    code, secret = _receipt(
        _file(
            client,
            cast.a.department,
            files=SimpleUploadedFile("Nguyen_Thi_Hoa.pdf", pdf_with_metadata(), "application/pdf"),
        )
    )
    record = ViolationRecord.objects.get()
    actions.start_verification(actor=cast.a.head, record=record)
    actions.ask_reporter(actor=cast.a.head, record=record, text="Mấy giờ?")
    client.post(
        "/conduct-report/status/",
        {"receipt_code": code, "secret": secret, "text": "Chín giờ."},
        **REQUEST,
    )
    by_reporter = AuditEvent.objects.exclude(actor=cast.a.head).filter(
        additional_data__unit_path__startswith=cast.a.department.path
    )
    assert by_reporter.count() >= 5
    assert set(by_reporter.values_list("actor", "remote_addr", "remote_port", "cid")) == {
        (None, None, None, None)
    }


def test_an_anonymous_reporters_attachment_keeps_neither_its_name_nor_its_metadata(client, cast):
    """Database reader and readers of the record, attachments: the file is stored under a
    random name, without author, dates or ids."""
    _file(
        client,
        cast.a.department,
        files=SimpleUploadedFile("Nguyen_Thi_Hoa.pdf", pdf_with_metadata(), "application/pdf"),
    )
    evidence = ViolationRecord.objects.get().evidence.get()
    assert "Nguyen" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    with evidence.file.open("rb") as stored:
        assert leaks(stored.read()) == set()


def test_the_status_page_gives_the_reporter_status_and_questions_but_no_attachments(client, cast):
    """Citizen reporter, attachments: the receipt and secret show the status and the
    handler's questions; the files (which staff also read) are not served there."""
    code, secret = _receipt(
        _file(
            client,
            cast.a.department,
            files=SimpleUploadedFile("bien-ban.pdf", pdf_with_metadata(), "application/pdf"),
        )
    )
    page = client.post(
        "/conduct-report/status/", {"receipt_code": code, "secret": secret}
    ).content.decode()
    stored = ViolationRecord.objects.get().evidence.get().file.name
    assert 'id="report-status"' in page and stored.rsplit("/", 1)[-1] not in page


def test_the_audit_log_needs_an_account(client, cast):
    """Citizen reporter, audit rows: none (the audit log is for signed-in readers only)."""
    _file(client, cast.a.department)
    response = Client().get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_public_place_report_is_audited_without_an_address_or_request_id(client, cast):
    """Database reader, reporter identity: public-place reports (feedback app) are written
    the same way: no actor, address or proxy request id."""
    category, _new = ReportCategory.objects.get_or_create(
        code="littering", defaults={"name": "Xả rác", "name_en": "Littering"}
    )
    response = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": category.code,
            "description": "Vứt rác ở cổng chợ",
            "address_string": "Cổng chợ Quảng An",
            "device_id": str(uuid.uuid4()),
        },
        **REQUEST,
    )
    assert response.status_code == 201, response.content
    events = AuditEvent.objects.filter(object_repr=PublicReport.objects.get().receipt)
    assert events.exists()
    assert set(events.values_list("actor", "remote_addr", "cid")) == {(None, None, None)}
    assert ADDRESS not in _stored_text()
