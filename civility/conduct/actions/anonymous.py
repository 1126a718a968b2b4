"""Anonymous reports from the public page: filing one, finding it again with the receipt
code and secret, and the questions and answers between the handlers and the reporter."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.conduct.actions.common import _ensure, can_handle
from civility.conduct.actions.records import _step
from civility.conduct.models import (
    AnonymousReport,
    RecordEvidence,
    RecordStatus,
    ReportMessage,
    Source,
    StepKind,
    ViolationRecord,
)
from civility.core.attachments import PHOTOS_AND_PDF, clean_attachment
from civility.core.audit import acting_as, anonymously
from civility.core.receipts import (
    SECRET_LENGTH,
    grouped,
    hash_secret,
    keyed_hash,
    new_code,
    normalize_code,
    secret_matches,
)
from civility.orgs.models import OrgUnit


class ReportAlreadyFiled(Exception):
    """The report form was sent before: the report exists, and its secret is not kept
    anywhere to be shown again."""


@transaction.atomic
def file_anonymous_report(
    *,
    unit: OrgUnit,
    description: str,
    occurred_on: datetime.date,
    official_hint: str = "",
    location: str = "",
    files: Iterable[UploadedFile[bytes]] = (),
    contact: str = "",
    submission_id: uuid.UUID | None = None,
) -> tuple[AnonymousReport, str]:
    """File a report from the public page; returns the report and its secret (shown once).

    No account, address or browser detail is stored: the audit entries are written with no
    actor, no remote address and no correlation id; attachments lose their metadata and file
    names; the form's id is kept only as a keyed hash. Sending the same form again raises
    ReportAlreadyFiled: the secret was random and only its hash is stored.
    """
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    submission_key = None
    if submission_id is not None:
        submission_key = keyed_hash("conduct-report", submission_id)
        _lock(f"conduct-report:{submission_key}")
        if AnonymousReport.objects.filter(submission_key=submission_key).exists():
            raise ReportAlreadyFiled
    # Anonymous reports lose the file names too (a name can be the reporter's).
    stored = [
        clean_attachment(upload, field="files", accept=PHOTOS_AND_PDF, keep_name=False)
        for upload in files
    ]
    secret = new_code(SECRET_LENGTH)
    with anonymously():
        record = ViolationRecord.objects.create(
            unit=unit,
            occurred_on=occurred_on,
            location=location.strip(),
            source=Source.ANONYMOUS,
            description=description.strip(),
            confidential=True,
        )
        _step(record, StepKind.REPORTED, actor=None, to_status=RecordStatus.REPORTED)
        for content in stored:
            RecordEvidence.objects.create(record=record, file=content)
        while True:
            code = new_code(8)
            if not AnonymousReport.objects.filter(receipt_code=code).exists():
                break
        report = AnonymousReport.objects.create(
            record=record,
            receipt_code=code,
            secret_hash=hash_secret(secret),
            official_hint=official_hint.strip(),
            contact=contact.strip(),
            submission_key=submission_key,
        )
    return report, grouped(secret)


def _lock(key: str) -> None:
    """Serialise concurrent sends of the same form until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def find_anonymous_report(*, receipt_code: str, secret: str) -> AnonymousReport | None:
    """The report with this receipt code, if the secret matches; None otherwise."""
    report = (
        AnonymousReport.objects.select_related("record")
        .filter(receipt_code=normalize_code(receipt_code))
        .first()
    )
    matches = secret_matches(secret, report.secret_hash if report is not None else "")
    return report if matches else None


@transaction.atomic
def ask_reporter(*, actor: User | None, record: ViolationRecord, text: str) -> ReportMessage:
    _ensure(can_handle(actor, record))
    report = AnonymousReport.objects.filter(record=record).first()
    if report is None:
        raise ValidationError(_("Only anonymous reports have a reporter to ask."))
    if not text.strip():
        raise ValidationError({"text": _("Write the question.")})
    if record.status == RecordStatus.CLOSED:
        raise ValidationError(_("The record is closed."))
    with acting_as(actor):
        message = ReportMessage.objects.create(report=report, text=text.strip(), author=actor)
        _step(record, StepKind.QUESTION_ASKED, actor=actor, note=text.strip())
    return message


@transaction.atomic
def answer_as_reporter(*, report: AnonymousReport, text: str) -> ReportMessage:
    if not text.strip():
        raise ValidationError({"text": _("Write your answer.")})
    if report.record.status == RecordStatus.CLOSED:
        raise ValidationError(_("This report is closed."))
    if not report.messages.filter(from_reporter=False).exists():
        raise ValidationError(_("There is no question to answer yet."))
    with anonymously():
        message = ReportMessage.objects.create(report=report, text=text.strip(), from_reporter=True)
        _step(report.record, StepKind.REPORTER_ANSWERED, actor=None)
    return message


def repeat_threshold() -> int:
    return int(getattr(settings, "CONDUCT_REPEAT_THRESHOLD", 2))
