"""The record workflow: reported → being verified → confirmed / dismissed → closed, with who and
when for every step, illegal transitions refused, disciplinary rules by decision date."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from civility.conduct import actions
from civility.conduct.models import (
    Handling,
    Outcome,
    RecordStatus,
    RecordStep,
    StepKind,
    ViolationRecord,
)
from civility.conduct.rules import DisciplineForm, Severity
from civility.orgs.models import StaffCategory
from tests.factories import make_official


def test_head_files_a_record_from_the_page(client, cast, late):
    client.force_login(cast.a.head)
    response = client.post(
        "/conduct/new/",
        {
            "official": cast.a.official.pk,
            "type": late.pk,
            "occurred_on": "2025-03-10",
            "source": "surprise_check",
            "source_reference": "Biên bản kiểm tra đột xuất số 12",
            "description": "Không có mặt tại quầy lúc 9 giờ 15.",
            "links": "https://example.gov.vn/kiem-tra/12\n",
            "confidential": "on",
        },
    )
    record = ViolationRecord.objects.get()
    assert response.status_code == 302 and response.url == f"/conduct/{record.pk}/"
    assert record.status == RecordStatus.REPORTED
    assert record.unit == cast.a.department
    assert record.severity == Severity.LESS_SERIOUS  # the type's default
    assert record.reported_by == cast.a.head
    assert record.evidence.get().url == "https://example.gov.vn/kiem-tra/12"
    step = record.steps.get()
    assert (step.kind, step.actor, step.to_status) == (StepKind.REPORTED, cast.a.head, "reported")


def test_the_form_names_the_missing_field(client, cast, late):
    client.force_login(cast.a.head)
    response = client.post(
        "/conduct/new/",
        {"type": late.pk, "occurred_on": "2025-03-10", "source": "inspection", "description": "x"},
    )
    assert response.status_code == 200
    assert "Name the official or the unit concerned." in response.content.decode()
    assert not ViolationRecord.objects.exists()


def test_a_head_cannot_file_a_record_in_another_ward(client, cast, late):
    client.force_login(cast.b.head)
    response = client.post(
        "/conduct/new/",
        {
            "official": cast.a.official.pk,
            "type": late.pk,
            "occurred_on": "2025-03-10",
            "source": "inspection",
            "description": "x",
        },
    )
    assert response.status_code == 200  # the official is not among the choices
    assert "official" in response.context["form"].errors
    assert not ViolationRecord.objects.exists()


def test_full_workflow_through_the_pages_records_who_and_when(client, cast, file_record):
    with time_machine.travel(datetime.datetime(2025, 7, 31, 9, tzinfo=datetime.UTC)):
        record = file_record()
    with time_machine.travel(datetime.datetime(2025, 8, 1, 9, tzinfo=datetime.UTC)):
        client.force_login(cast.a.head)
        client.post(f"/conduct/{record.pk}/verify/", {"note": "Đối chiếu camera."})
    with time_machine.travel(datetime.datetime(2025, 8, 5, 9, tzinfo=datetime.UTC)):
        client.force_login(cast.a.head)  # sessions expire after 8 idle hours
        response = client.post(
            f"/conduct/{record.pk}/confirm/",
            {"severity": "less_serious", "handling": "reminder", "handling_note": "Nhắc nhở."},
        )
    assert response.url == f"/conduct/{record.pk}/"
    with time_machine.travel(datetime.datetime(2025, 8, 6, 9, tzinfo=datetime.UTC)):
        client.force_login(cast.a.head)
        client.post(f"/conduct/{record.pk}/close/", {"note": ""})
    record.refresh_from_db()
    assert record.status == RecordStatus.CLOSED and record.outcome == Outcome.CONFIRMED
    assert record.handling == Handling.REMINDER
    assert record.rule_set == "decree-172-2025"
    assert record.decided_by == cast.a.head
    steps = list(record.steps.values_list("kind", "from_status", "to_status", "actor"))
    head = cast.a.head.pk
    assert steps == [
        ("reported", "", "reported", head),
        ("verification_started", "reported", "verifying", head),
        ("confirmed", "verifying", "confirmed", head),
        ("closed", "confirmed", "closed", head),
    ]
    days = [step.at.date() for step in record.steps.all()[1:]]
    assert days == [datetime.date(2025, 8, 1), datetime.date(2025, 8, 5), datetime.date(2025, 8, 6)]


def test_confirming_before_verification_is_refused(client, cast, file_record):
    record = file_record()
    client.force_login(cast.a.head)
    response = client.post(
        f"/conduct/{record.pk}/confirm/",
        {"severity": "serious", "handling": "reminder"},
        follow=True,
    )
    assert "A record that is reported cannot become confirmed." in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.REPORTED
    assert record.steps.count() == 1


@pytest.mark.parametrize(
    ("reach", "attempt"),
    [
        ("reported", "dismiss"),
        ("reported", "close"),
        ("verifying", "verify"),
        ("verifying", "close"),
        ("confirmed", "dismiss"),
        ("confirmed", "verify"),
        ("dismissed", "confirm"),
        ("closed", "verify"),
        ("closed", "close"),
        ("closed", "confirm"),
    ],
)
def test_illegal_transitions_are_refused(cast, file_record, reach, attempt):
    record = file_record()
    head = cast.a.head
    if reach != "reported":
        actions.start_verification(actor=head, record=record)
    if reach in ("confirmed", "closed"):
        actions.confirm_record(actor=head, record=record, handling=Handling.REMINDER)
    if reach == "dismissed":
        actions.dismiss_record(actor=head, record=record, reason="Không đủ căn cứ.")
    if reach == "closed":
        actions.close_record(actor=head, record=record)
    record.refresh_from_db()
    before = (record.status, record.steps.count())
    run = {
        "verify": lambda: actions.start_verification(actor=head, record=record),
        "confirm": lambda: actions.confirm_record(
            actor=head, record=record, handling=Handling.REMINDER
        ),
        "dismiss": lambda: actions.dismiss_record(actor=head, record=record, reason="x"),
        "close": lambda: actions.close_record(actor=head, record=record),
    }[attempt]
    with pytest.raises(ValidationError) as error:
        run()
    assert error.value.code == "illegal_transition"
    record.refresh_from_db()
    assert (record.status, record.steps.count()) == before


def test_the_database_refuses_an_inconsistent_status(cast, file_record):
    record = file_record()
    with pytest.raises(IntegrityError), transaction.atomic():
        ViolationRecord.objects.filter(pk=record.pk).update(status=RecordStatus.CONFIRMED)


def test_dismissing_needs_a_reason(cast, file_record):
    record = file_record()
    actions.start_verification(actor=cast.a.head, record=record)
    with pytest.raises(ValidationError) as error:
        actions.dismiss_record(actor=cast.a.head, record=record, reason="  ")
    assert "reason" in error.value.message_dict
    dismissed = actions.dismiss_record(
        actor=cast.a.head, record=record, reason="Camera cho thấy cán bộ đi công tác."
    )
    assert dismissed.outcome == Outcome.DISMISSED
    assert dismissed.steps.last().note == "Camera cho thấy cán bộ đi công tác."


def test_nothing_is_deleted(cast, file_record):
    record = file_record()
    with pytest.raises(ProtectedError), transaction.atomic():
        record.delete()
    # Past the ORM (shell, raw SQL), the database itself refuses.
    for sql in (
        "DELETE FROM conduct_recordstep WHERE record_id = %s",
        "DELETE FROM conduct_violationrecord WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordStep.objects.filter(record=record).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordStep.objects.filter(record=record).update(note="rewritten")
    assert ViolationRecord.objects.filter(pk=record.pk).exists()


def test_an_inspector_verifies_but_only_heads_and_coordinators_decide(
    cast, file_record, inspector_a
):
    record = file_record()
    actions.start_verification(actor=inspector_a, record=record)
    with pytest.raises(PermissionDenied):
        actions.confirm_record(actor=inspector_a, record=record, handling=Handling.REMINDER)
    confirmed = actions.confirm_record(
        actor=cast.a.coordinator, record=record, handling=Handling.CRITICISM
    )
    assert confirmed.status == RecordStatus.CONFIRMED


def test_nobody_handles_a_record_about_themself(cast, file_record, late):
    head_official = make_official("Phạm Trưởng Phòng", unit=cast.a.ward, user=cast.a.head)
    record = file_record(official=head_official, actor=cast.a.coordinator)
    with pytest.raises(PermissionDenied):
        actions.start_verification(actor=cast.a.head, record=record)


# --- Disciplinary rules by decision date ---------------------------------------------------


@pytest.fixture
def verifying(cast, file_record):
    def make(**official_fields):
        official = make_official("Đỗ Văn Kỷ Luật", unit=cast.a.department, **official_fields)
        record = file_record(official=official, occurred_on=datetime.date(2025, 5, 2))
        return actions.start_verification(actor=cast.a.head, record=record)

    return make


def _discipline(cast, record, form, day):
    return actions.confirm_record(
        actor=cast.a.head,
        record=record,
        handling=Handling.DISCIPLINARY,
        severity=Severity.SERIOUS,
        discipline_form=form,
        decision_number="15/QĐ-UBND",
        decision_date=day,
        related_to_duties=True,
    )


@time_machine.travel(datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC))
def test_a_decision_before_july_2025_uses_decree_112_and_keeps_demotion(cast, verifying):
    record = _discipline(
        cast, verifying(is_leader=True), DisciplineForm.DEMOTION, datetime.date(2025, 6, 20)
    )
    assert record.rule_set == "decree-112-2020"
    assert record.discipline_form == DisciplineForm.DEMOTION


@time_machine.travel(datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC))
def test_from_july_2025_decree_172_no_longer_allows_demotion(cast, verifying):
    record = verifying(is_leader=True)
    with pytest.raises(ValidationError) as error:
        _discipline(cast, record, DisciplineForm.DEMOTION, datetime.date(2025, 7, 10))
    assert "discipline_form" in error.value.message_dict
    assert "Decree 172/2025" in error.value.message_dict["discipline_form"][0]
    record = _discipline(cast, record, DisciplineForm.WARNING, datetime.date(2025, 7, 10))
    assert (record.rule_set, record.discipline_form) == ("decree-172-2025", "warning")
    assert record.decision_number == "15/QĐ-UBND"


@time_machine.travel(datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC))
def test_dismissal_from_post_is_only_for_leaders(cast, verifying):
    with pytest.raises(ValidationError):
        _discipline(
            cast, verifying(), DisciplineForm.DISMISSAL_FROM_POST, datetime.date(2025, 8, 1)
        )


@time_machine.travel(datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC))
def test_removal_from_elected_office_is_only_for_cadres(cast, verifying):
    with pytest.raises(ValidationError):
        _discipline(
            cast, verifying(), DisciplineForm.REMOVAL_FROM_OFFICE, datetime.date(2025, 8, 1)
        )
    record = _discipline(
        cast,
        verifying(staff_category=StaffCategory.CADRE),
        DisciplineForm.REMOVAL_FROM_OFFICE,
        datetime.date(2025, 8, 1),
    )
    assert record.discipline_form == DisciplineForm.REMOVAL_FROM_OFFICE


@time_machine.travel(datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC))
def test_a_disciplinary_measure_needs_a_decision_number_and_date(client, cast, verifying):
    record = verifying()
    client.force_login(cast.a.head)
    response = client.post(
        f"/conduct/{record.pk}/confirm/",
        {"severity": "serious", "handling": "disciplinary", "discipline_form": "reprimand"},
        follow=True,
    )
    assert "Required for a disciplinary measure." in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFYING


def test_a_unit_record_cannot_carry_a_disciplinary_measure(cast, late):
    record = actions.report_violation(
        actor=cast.a.coordinator,
        unit=cast.a.department,
        violation_type=late,
        occurred_on=datetime.date(2025, 3, 1),
        source="inspection",
        description="Không niêm yết Quy tắc ứng xử tại bộ phận một cửa.",
        confidential=False,
    )
    actions.start_verification(actor=cast.a.head, record=record)
    with pytest.raises(ValidationError):
        actions.confirm_record(
            actor=cast.a.head,
            record=record,
            handling=Handling.DISCIPLINARY,
            discipline_form=DisciplineForm.REPRIMAND,
            decision_number="1",
            decision_date=datetime.date(2025, 3, 5),
        )
