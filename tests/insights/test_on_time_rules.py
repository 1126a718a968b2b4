"""The index's "on time" components count what each owning app's own rule counts (its
QuerySet method: closed_on_time, done_on_time, submitted_on_time, acknowledged_within),
a day being the local day whatever the hour in UTC."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from civility.evaluations.figures import month_figures
from civility.evaluations.models import Evaluation, EvaluationPeriod
from civility.feedback.models import AssistanceCall
from civility.insights import sources
from civility.insights.periods import Period
from civility.inspections.models import CorrectiveAction
from civility.programmes.models import Programme, Task, TaskState
from tests.factories import make_official
from tests.insights.conftest import ZONE, at, corrective, counter, inspect

MARCH = Period.parse("2026-03")
TODAY = datetime.date(2026, 4, 10)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        yield


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


def test_a_corrective_action_closed_late_in_the_evening_of_its_deadline_is_on_time(cast):
    inspection = inspect(cast.a.ward, "80", datetime.date(2026, 3, 5), city=cast.city)
    deadline = datetime.date(2026, 3, 20)
    in_the_evening = corrective(inspection, deadline=deadline, closed_on=deadline)
    after_midnight = corrective(inspection, deadline=deadline, closed_on=deadline)
    corrective(inspection, deadline=deadline, closed_on=None)  # overdue
    CorrectiveAction.objects.filter(pk=in_the_evening.pk).update(closed_at=local(deadline, 23, 30))
    # 17:30 UTC on the deadline, but already the next day in Vietnam.
    next_day = deadline + datetime.timedelta(days=1)
    CorrectiveAction.objects.filter(pk=after_midnight.pk).update(closed_at=local(next_day, 0, 30))

    assert list(CorrectiveAction.objects.closed_on_time()) == [in_the_evening]
    counts = sources.corrective_on_time(MARCH.start, MARCH.end, TODAY)
    assert counts == {cast.a.ward.pk: (D(1), D(3))}


def test_a_self_assessment_submitted_after_midnight_local_time_is_late(cast):
    deadline = datetime.date(2026, 3, 10)
    period = EvaluationPeriod.objects.create(
        unit=cast.a.ward,
        month=MARCH.start,
        self_deadline=deadline,
        review_deadline=deadline + datetime.timedelta(days=3),
        approval_deadline=deadline + datetime.timedelta(days=6),
    )
    submitted = [local(deadline, 22), local(deadline + datetime.timedelta(days=1), 1), None]
    evaluations = [
        Evaluation.objects.create(
            period=period,
            official=make_official(f"Nguyễn Văn {index}", unit=cast.a.department),
            unit=cast.a.department,
            agency=cast.a.ward,
            rule_set="hanoi-3814-2018",
            self_submitted_at=at_,
        )
        for index, at_ in enumerate(submitted)
    ]

    assert [e.submitted_on_time() for e in evaluations] == [True, False, None]
    assert list(Evaluation.objects.submitted_on_time()) == evaluations[:1]
    counts = sources.evaluations_on_time(MARCH.start, MARCH.end, TODAY)
    assert counts == {cast.a.department.pk: (D(1), D(3))}
    assert month_figures(cast.a.ward, MARCH.start).submitted_on_time == 1


def test_tasks_done_by_their_deadline_count_cancelled_ones_do_not(cast):
    programme = Programme.objects.create(
        unit=cast.city,
        number="06-CTr/TU",
        kind="programme",
        title="Chương trình",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    deadline = datetime.date(2026, 3, 15)

    def task(state: str, completed_on: datetime.date | None = None) -> Task:
        return Task.objects.create(
            programme=programme,
            title="Tuyên truyền",
            assignee_unit=cast.a.ward,
            deadline=deadline,
            original_deadline=deadline,
            state=state,
            completed_on=completed_on,
            completed_at=completed_on and local(completed_on, 16),
            progress=100 if completed_on else 0,
        )

    on_time = task(TaskState.DONE, deadline)
    task(TaskState.DONE, deadline + datetime.timedelta(days=1))
    task(TaskState.IN_PROGRESS)
    task(TaskState.CANCELLED)

    assert list(Task.objects.done_on_time()) == [on_time]
    counts = sources.tasks_on_time(MARCH.start, MARCH.end, TODAY)
    assert counts == {cast.a.ward.pk: (D(1), D(3))}


def test_assistance_calls_acknowledged_within_two_minutes_are_in_time(cast):
    desk = counter(cast.a.ward)
    raised = at(datetime.date(2026, 3, 3), 9)
    for seconds in (30, sources.ASSISTANCE_TARGET_SECONDS, 121, None):
        AssistanceCall.objects.create(
            counter=desk,
            source="kiosk",
            raised_at=raised,
            acknowledged_at=None
            if seconds is None
            else raised + datetime.timedelta(seconds=seconds),
        )

    target = datetime.timedelta(seconds=sources.ASSISTANCE_TARGET_SECONDS)
    assert AssistanceCall.objects.acknowledged_within(target).count() == 2
    counts = sources.assistance_response(MARCH.start, MARCH.end, TODAY)
    assert counts == {desk.pk: (D(2), D(4))}
