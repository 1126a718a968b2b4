"""Disciplinary decisions: whether the violation was related to duties is stated when the
decision is recorded (suggested by the type, never derived later), "disciplined in year Y"
is counted by decision date, and the forms follow the official's post (Decree 112/2020)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civility.accounts.actions import create_api_token
from civility.conduct import actions
from civility.conduct.models import Handling, RecordStatus, ViolationRecord, ViolationType
from civility.conduct.rules import DECREE_112_2020, DECREE_172_2025, DisciplineForm
from civility.orgs.models import StaffCategory
from civility.orgs.scopes import Role
from tests.factories import make_official

pytestmark = pytest.mark.django_db
SEPT_2025 = datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC)


@pytest.fixture
def at_home(catalogue) -> ViolationType:
    return ViolationType.objects.current().get(key="QD522-8")


def _verifying(cast, file_record, **fields) -> ViolationRecord:
    record = file_record(**fields)
    return actions.start_verification(actor=cast.a.head, record=record)


def _decide(cast, record, *, day, related_to_duties=True, form=DisciplineForm.REPRIMAND):
    return actions.confirm_record(
        actor=cast.a.head,
        record=record,
        handling=Handling.DISCIPLINARY,
        discipline_form=form,
        decision_number="20/QĐ-UBND",
        decision_date=day,
        related_to_duties=related_to_duties,
    )


def test_conduct_at_home_and_in_public_places_is_off_duty_in_the_decision_522_catalogue(
    catalogue,
):
    off_duty = set(
        ViolationType.objects.current()
        .filter(related_to_duties=False)
        .values_list("key", flat=True)
    )
    assert off_duty == {"QD522-8", "QD522-9"}


@time_machine.travel(SEPT_2025)
def test_a_disciplinary_decision_must_state_whether_it_was_related_to_duties(cast, file_record):
    record = _verifying(cast, file_record)
    with pytest.raises(ValidationError) as error:
        _decide(cast, record, day=datetime.date(2025, 8, 1), related_to_duties=None)
    assert "related to duties" in error.value.message_dict["related_to_duties"][0]
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFYING


@time_machine.travel(SEPT_2025)
def test_the_database_refuses_a_disciplinary_decision_without_the_duty_relation(cast, file_record):
    record = _decide(cast, _verifying(cast, file_record), day=datetime.date(2025, 8, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ViolationRecord.objects.filter(pk=record.pk).update(related_to_duties=None)


@time_machine.travel(SEPT_2025)
def test_the_confirm_form_suggests_off_duty_for_conduct_at_home_and_requires_an_answer(
    client, cast, file_record, at_home
):
    record = _verifying(cast, file_record, violation_type=at_home)
    client.force_login(cast.a.head)
    page = client.get(record.get_absolute_url()).content.decode()
    assert '<option value="no" selected>' in page

    response = client.post(
        f"/conduct/{record.pk}/confirm/",
        {
            "severity": "less_serious",
            "handling": "disciplinary",
            "discipline_form": "reprimand",
            "decision_number": "20/QĐ-UBND",
            "decision_date": "2025-08-01",
            "related_to_duties": "",
        },
        follow=True,
    )
    assert "Required for a disciplinary measure." in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFYING

    client.post(
        f"/conduct/{record.pk}/confirm/",
        {
            "severity": "less_serious",
            "handling": "disciplinary",
            "discipline_form": "reprimand",
            "decision_number": "20/QĐ-UBND",
            "decision_date": "2025-08-01",
            "related_to_duties": "no",
        },
    )
    record.refresh_from_db()
    assert (record.status, record.related_to_duties) == (RecordStatus.CONFIRMED, False)
    assert "No: conduct off duty" in client.get(record.get_absolute_url()).content.decode()


@time_machine.travel(SEPT_2025)
def test_the_api_asks_whether_a_disciplinary_decision_was_related_to_duties(
    client, cast, file_record
):
    record = _verifying(cast, file_record)
    _token, secret = create_api_token(
        actor=cast.admin, name="test", unit=cast.a.ward, role=Role.UNIT_HEAD
    )
    url = f"/api/v1/conduct/records/{record.pk}/transitions"
    body = {
        "to": "confirmed",
        "handling": "disciplinary",
        "discipline_form": "warning",
        "decision_number": "20/QĐ-UBND",
        "decision_date": "2025-08-01",
    }
    headers = {"Authorization": f"Bearer {secret}"}

    refused = client.post(url, body, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["field"] == "related_to_duties"

    done = client.post(
        url,
        {**body, "related_to_duties": True},
        content_type="application/json",
        headers=headers,
    )
    assert done.status_code == 200, done.json()
    assert done.json()["related_to_duties"] is True


@time_machine.travel(datetime.datetime(2026, 3, 1, 3, tzinfo=datetime.UTC))
def test_disciplined_in_a_year_counts_decisions_by_decision_date_not_violation_date(
    cast, file_record
):
    late_2025 = _decide(
        cast,
        _verifying(cast, file_record, occurred_on=datetime.date(2025, 12, 20)),
        day=datetime.date(2026, 1, 10),
    )
    _decide(
        cast,
        _verifying(cast, file_record, occurred_on=datetime.date(2025, 3, 1)),
        day=datetime.date(2025, 4, 1),
        related_to_duties=False,
    )
    reminder = _verifying(cast, file_record, occurred_on=datetime.date(2026, 1, 5))
    actions.confirm_record(actor=cast.a.head, record=reminder, handling=Handling.REMINDER)

    in_2026 = ViolationRecord.objects.disciplinary_decisions(
        year=2026, officials=[cast.a.official.pk]
    )
    assert list(in_2026) == [late_2025]
    decision = in_2026.get()
    assert (
        decision.discipline_form,
        decision.decision_date,
        decision.occurred_on,
        decision.related_to_duties,
        decision.rule_set,
    ) == (
        "reprimand",
        datetime.date(2026, 1, 10),
        datetime.date(2025, 12, 20),
        True,
        "decree-172-2025",
    )
    in_2025 = ViolationRecord.objects.disciplinary_decisions(year=2025)
    assert [record.related_to_duties for record in in_2025] == [False]
    assert not ViolationRecord.objects.disciplinary_decisions(
        year=2026, officials=[cast.b.official.pk]
    ).exists()


# --- Forms by post (Decree 112/2020 Art. 7) ------------------------------------------------


def test_salary_step_reduction_is_for_non_leaders_decree_112_art_7():
    category = StaffCategory.CIVIL_SERVANT
    assert DisciplineForm.SALARY_STEP_REDUCTION in DECREE_112_2020.forms_for(
        category, is_leader=False
    )
    assert DisciplineForm.SALARY_STEP_REDUCTION not in DECREE_112_2020.forms_for(
        category, is_leader=True
    )


def test_demotion_and_removal_are_for_leaders_decree_112_art_7():
    category = StaffCategory.CIVIL_SERVANT
    for form in (DisciplineForm.DEMOTION, DisciplineForm.DISMISSAL_FROM_POST):
        assert form in DECREE_112_2020.forms_for(category, is_leader=True)
        assert form not in DECREE_112_2020.forms_for(category, is_leader=False)
    assert DisciplineForm.DISMISSAL_FROM_POST in DECREE_172_2025.forms_for(category, is_leader=True)


@time_machine.travel(SEPT_2025)
def test_a_leader_cannot_get_a_salary_step_reduction_decree_112_art_7(cast, file_record):
    leader = make_official("Trưởng phòng Thử", unit=cast.a.department, is_leader=True)
    record = _verifying(cast, file_record, official=leader, occurred_on=datetime.date(2025, 5, 2))
    with pytest.raises(ValidationError) as error:
        _decide(
            cast, record, day=datetime.date(2025, 6, 20), form=DisciplineForm.SALARY_STEP_REDUCTION
        )
    assert "discipline_form" in error.value.message_dict
    record = _decide(cast, record, day=datetime.date(2025, 6, 20), form=DisciplineForm.DEMOTION)
    assert record.rule_set == "decree-112-2020"
