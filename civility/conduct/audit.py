"""What the audit log may not tell about conduct records.

The record page hides who reported a record from the official concerned (and from anyone who
reads the record without handling it: actions.may_see_reporter); the audit log must hide it
from them too, or "head_a create Record VP-000019" undoes the page. For the records
`ViolationRecord.objects.reporter_hidden_from(reader)`:

- rows the reporter wrote (the record's creation, its steps and evidence, their reads of it)
  are shown without who acted, and without the people named in their changes;
- rows of the anonymous report and its questions and answers are left out: the record page
  shows them to handlers only.

Registered with core.audit in ConductConfig.ready; AuditEvent.objects.visible_to applies it.
"""

from __future__ import annotations

from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q

from civility.conduct.models import (
    AnonymousReport,
    RecordEvidence,
    RecordStep,
    ReportMessage,
    ViolationRecord,
)
from civility.orgs.scopes import Reader


def _about(
    model: type[ViolationRecord] | type[RecordStep] | type[RecordEvidence], **match: object
) -> Exists:
    """Rows of `model` whose pk is the event's object id and that match `match`."""
    return Exists(model.objects.filter(pk=OuterRef("object_id"), **match))


def reporter_redaction(user: object) -> tuple[Q, Q]:
    """(rows to leave out, rows to show without actor) of the audit log for `user`.

    core.audit.Redaction hands the reader over as an `object`: it is the reader
    AuditEvent.objects.visible_to was given, whose scope it has just read (scope_of)."""
    records = ViolationRecord.objects.reporter_hidden_from(cast(Reader, user))
    if not records.exists():  # most readers: nothing to redact, no subqueries on every row
        return Q(pk__in=[]), Q(pk__in=[])
    types = ContentType.objects.get_for_models(
        ViolationRecord, RecordStep, RecordEvidence, AnonymousReport, ReportMessage
    )
    by_reporter = {"record__reported_by": OuterRef("actor_id")}
    nameless = (
        (
            Q(content_type=types[ViolationRecord])
            & (
                _about(
                    ViolationRecord, pk__in=records.values("pk"), reported_by=OuterRef("actor_id")
                )
                | (Q(changes__has_key="reported_by") & _about(ViolationRecord, pk__in=records))
            )
        )
        | (
            Q(content_type=types[RecordStep])
            & (
                _about(RecordStep, record__in=records, **by_reporter)
                | _about(RecordStep, record__in=records, actor=F("record__reported_by"))
            )
        )
        | (
            Q(content_type=types[RecordEvidence])
            & (
                _about(RecordEvidence, record__in=records, **by_reporter)
                | _about(RecordEvidence, record__in=records, added_by=F("record__reported_by"))
            )
        )
    )
    hidden = Q(
        content_type=types[AnonymousReport],
        object_id__in=AnonymousReport.objects.filter(record__in=records).values("pk"),
    ) | Q(
        content_type=types[ReportMessage],
        object_id__in=ReportMessage.objects.filter(report__record__in=records).values("pk"),
    )
    return hidden, nameless
