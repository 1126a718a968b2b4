"""The to-do home (issue 18): each person's work from every app, scoped to their roles,
overdue first, in a bounded number of queries, on a clock that is always frozen."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civility.conduct.models import ViolationRecord
from civility.core import todo
from civility.evaluations import actions as evaluations
from civility.evaluations.models import Evaluation, Step
from civility.inspections import actions as inspections
from civility.inspections.models import ActionStatus, CorrectiveAction, Inspection
from civility.programmes import actions as programmes
from civility.programmes.models import Programme, ProgrammeKind, Task
from tests.core.todo_work import Work, give_work
from tests.factories import make_official, make_user

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=HANOI)
TODAY = NOW.date()
HOME = reverse("orgs:home")


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def work(cast) -> Work:
    return give_work(cast, cast.a, today=TODAY)


def urls(user) -> list[str]:
    return [item.url for item in todo.items_for(user, today=TODAY)]


def page_of(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


# --- Each role's work ---------------------------------------------------------------------


def test_the_official_is_asked_to_sign_self_assess_answer_the_bell_and_fix_their_unit(
    client, cast, work
):
    mine = urls(cast.a.official_user)
    html = page_of(client, cast.a.official_user)

    assert reverse("codes:commitment_sign", args=[work.campaign.pk]) in mine
    assert work.self_assessment.get_absolute_url() in mine
    assert reverse("feedback:desk") in mine
    # The actions are the ward's: its head answers them, not the department's staff.
    assert work.to_answer.get_absolute_url() not in mine
    assert "Sign the commitment: Ký cam kết 2026" in html
    assert "1 citizen is waiting for help" in html


def test_the_official_sees_their_own_annual_classification(client, cast, work):
    evaluations.propose_classifications(actor=cast.a.head, unit=cast.a.ward, year=2025)
    row = cast.a.official.classifications.get(year=2025)

    html = page_of(client, cast.a.official_user)

    assert row.get_absolute_url() in html
    assert "Your annual classification for 2025" in html


def test_the_unit_head_approves_triages_answers_and_handles_records(client, cast, work):
    mine = urls(cast.a.head)
    html = page_of(client, cast.a.head)

    assert work.to_approve.get_absolute_url() in mine  # a leader below the head's own unit
    assert f"{reverse('feedback:report_list')}?status=new" in mine
    assert work.to_answer.get_absolute_url() in mine
    assert work.task.get_absolute_url() in mine
    assert f"{reverse('conduct:record_list')}?status=reported" in mine
    assert f"{reverse('insights:report_list')}?unit={cast.a.ward.pk}&period=2025-12" in mine
    # The head answered this action: the inspectors verify it, not the head.
    assert not any("Verify" in item.title for item in todo.items_for(cast.a.head, today=TODAY))
    assert "Approve 1 evaluation for" in html
    assert "1 public report to triage" in html


def test_the_supervisor_rates_the_evaluations_assigned_to_them(cast, work):
    items = todo.items_for(work.evaluator, today=TODAY)

    assert [item.url for item in items] == [work.to_rate.get_absolute_url()]
    assert items[0].count == 1


def test_the_coordinator_runs_the_inspection_verifies_and_keeps_the_programme_on_time(
    client, cast, work
):
    mine = urls(cast.city_coordinator)
    html = page_of(client, cast.city_coordinator)

    assert work.inspection.get_absolute_url() in mine
    assert work.to_verify.get_absolute_url() in mine
    assert work.cycle.get_absolute_url() in mine
    assert work.task.get_absolute_url() in mine
    assert f"{reverse('insights:report_list')}?unit={cast.city.pk}&period=2025-12" in mine
    # The city issued the action: the ward answers it, the city verifies it.
    assert work.to_answer.get_absolute_url() not in mine
    assert "Verify 1 answered corrective action" in html


def test_the_board_member_votes_and_only_once(client, cast, work):
    from civility.awards.actions import cast_vote

    before = urls(work.board_member)
    cast_vote(actor=work.board_member, nomination=work.nomination, choice="for")
    after = urls(work.board_member)

    assert before == [work.nomination.get_absolute_url()]
    assert after == []
    assert work.nomination.get_absolute_url() in urls(cast.city_coordinator)  # now closable


def test_the_inspector_is_told_of_the_inspection_today_and_the_action_to_verify(client, cast, work):
    html = page_of(client, work.inspector)

    assert urls(work.inspector) == [
        work.inspection.get_absolute_url(),
        work.to_verify.get_absolute_url(),
    ]
    assert "Due today" in html


def test_an_answer_sent_back_by_the_inspector_returns_to_the_head(cast, work):
    inspections.verify_action(
        actor=work.inspector, action=work.to_verify, accept=False, note="Chưa đủ ảnh"
    )

    assert work.to_verify.get_absolute_url() in urls(cast.a.head)
    assert work.to_verify.get_absolute_url() not in urls(work.inspector)


# --- Scope --------------------------------------------------------------------------------


def test_people_of_ward_b_see_nothing_of_ward_a(client, cast, work):
    for user in (cast.b.head, cast.b.official_user, cast.b.coordinator):
        assert todo.items_for(user, today=TODAY) == [], user.username
        assert "Nothing to do now." in page_of(client, user)


def test_nobody_approves_their_own_evaluation_or_handles_a_record_about_themself(cast, work):
    head_official = make_official("Phạm Quốc Khánh", unit=cast.a.department, user=cast.a.head)
    own = Evaluation.objects.create(
        period=work.self_assessment.period,
        official=head_official,
        unit=cast.a.department,
        agency=cast.a.department.agency,
        rule_set=work.self_assessment.rule_set,
        step=Step.APPROVAL,
    )
    ViolationRecord.objects.filter(pk=work.record.pk).update(official=head_official)

    mine = urls(cast.a.head)

    assert own.get_absolute_url() not in mine
    assert work.to_approve.get_absolute_url() in mine
    assert f"{reverse('conduct:record_list')}?status=reported" not in mine


def test_the_sql_lists_agree_with_the_per_row_rules(cast, work):
    """to_approve_by / to_rate_by / conducted_by / reported_by / verifiable_by are the SQL
    forms of can_approve / can_review / can_conduct / can_report / can_verify: every row
    agrees for every user."""
    give_work(cast, cast.b, today=TODAY)
    ward_leader = make_official("Đỗ Văn Trưởng", unit=cast.a.ward, is_leader=True)
    Evaluation.objects.create(
        period=work.self_assessment.period,
        official=ward_leader,
        unit=cast.a.ward,
        agency=cast.a.ward.agency,
        rule_set=work.self_assessment.rule_set,
        step=Step.APPROVAL,
        is_leader=True,
    )
    people = [
        cast.admin,
        cast.city_coordinator,
        cast.a.head,
        cast.b.head,
        cast.a.official_user,
        work.evaluator,
        work.inspector,
    ]
    for user in people:
        approvable = {e.pk for e in Evaluation.objects.filter(step=Step.APPROVAL)}
        assert set(Evaluation.objects.to_approve_by(user).values_list("pk", flat=True)) == {
            pk for pk in approvable if evaluations.can_approve(user, Evaluation.objects.get(pk=pk))
        }, user.username
        assert set(Evaluation.objects.to_rate_by(user).values_list("pk", flat=True)) == {
            e.pk
            for e in Evaluation.objects.filter(step=Step.REVIEW)
            if evaluations.can_review(user, e)
        }, user.username
        assert set(Inspection.objects.conducted_by(user).values_list("pk", flat=True)) == {
            i.pk for i in Inspection.objects.all() if inspections.can_conduct(user, i)
        }, user.username
        assert set(Task.objects.reported_by(user).values_list("pk", flat=True)) == {
            t.pk for t in Task.objects.all() if programmes.can_report(user, t)
        }, user.username
        assert set(CorrectiveAction.objects.verifiable_by(user).values_list("pk", flat=True)) == {
            a.pk
            for a in CorrectiveAction.objects.filter(status=ActionStatus.RESPONDED)
            if inspections.can_verify(user, a)
        }, user.username


# --- Order, dates and cost ----------------------------------------------------------------


def test_overdue_comes_first_then_by_due_date(cast, work):
    items = todo.items_for(cast.a.head, today=TODAY)
    order = [todo.ORDER.index(item.urgency) for item in items]
    dated = [(todo.ORDER.index(item.urgency), item.due) for item in items if item.due]

    assert items[0].urgency == todo.Urgency.OVERDUE
    assert order == sorted(order)
    assert dated == sorted(dated)


def test_the_home_costs_the_same_queries_however_much_work_there_is(
    client, cast, work, django_assert_max_num_queries
):
    client.force_login(cast.city_coordinator)
    with CaptureQueriesContext(connection) as little:
        client.get(HOME)
    give_work(cast, cast.b, today=TODAY)
    for n in range(8):
        Task.objects.create(
            programme=work.task.programme,
            title=f"Việc {n}",
            assignee_unit=cast.a.ward,
            deadline=days(n - 4),
            original_deadline=days(n - 4),
        )

    with django_assert_max_num_queries(len(little.captured_queries)):
        html = client.get(HOME).content.decode()

    assert "more programme tasks due" in html
    assert len(little.captured_queries) <= 30


def test_the_coordinators_home_costs_the_same_queries_with_many_actions_to_verify(
    client, cast, work, django_assert_max_num_queries
):
    """Which answered actions the coordinator may verify is decided in SQL, not per row."""
    client.force_login(cast.city_coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    for n in range(25):
        CorrectiveAction.objects.create(
            finding=work.to_verify.finding,
            unit=cast.b.ward,
            description=f"Việc khắc phục {n}",
            deadline=days(n),
            status=ActionStatus.RESPONDED,
            response="Đã làm",
            responded_by=cast.b.head,
            responded_at=NOW,
        )

    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(HOME).content.decode()

    assert "Verify 26 answered corrective actions" in html


def test_a_long_backlog_is_counted_up_to_a_hundred_then_said_to_be_more(
    client, cast, work, django_assert_max_num_queries
):
    """Counting a whole city's open work row by row on each visit is what made the home slow;
    beyond todo.COUNTED the line says "more than" and the query stops there."""
    client.force_login(cast.city_coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    Task.objects.bulk_create(
        Task(
            programme=work.task.programme,
            title=f"Việc {n}",
            assignee_unit=cast.a.ward,
            deadline=days(1),
            original_deadline=days(1),
        )
        for n in range(todo.COUNTED + 20)
    )

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(HOME).content.decode()

    assert f"More than {todo.COUNTED - todo.LISTED} other programme tasks due" in html


def test_dates_are_written_in_the_readers_format(client, cast, work, settings):
    from django.utils import translation
    from django.utils.formats import date_format

    settings.LANGUAGE_CODE = "vi"
    html = page_of(client, cast.a.official_user)
    with translation.override("vi"):
        expected = date_format(work.campaign.deadline, "SHORT_DATE_FORMAT")

    assert f">{expected}</time>" in html
    assert f'datetime="{work.campaign.deadline.isoformat()}"' in html


def _section(html: str, urgency: str) -> str:
    match = re.search(rf'<section class="todo-group todo-{urgency}".*?</section>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize(
    ("instant", "overdue", "today", "soon"),
    [
        # The last day of a month at 23:55: still that day, in Hanoi.
        (datetime.datetime(2026, 1, 31, 23, 55, tzinfo=HANOI), ["30/1"], ["31/1"], ["1/2", "7/2"]),
        # Ten minutes later: a new day and a new month (16:05 UTC the day before).
        (datetime.datetime(2026, 2, 1, 0, 5, tzinfo=HANOI), ["30/1", "31/1"], ["1/2"], ["7/2"]),
    ],
    ids=["month_end_2355", "next_month_0005"],
)
def test_due_today_overdue_and_soon_follow_hanoi_days(client, cast, instant, overdue, today, soon):
    programme = Programme.objects.create(
        unit=cast.city,
        kind=ProgrammeKind.PLAN,
        number="176/KH-UBND",
        title="Kế hoạch",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    for day in (datetime.date(2026, 1, 30), datetime.date(2026, 1, 31)) + tuple(
        datetime.date(2026, 2, n) for n in (1, 7, 9)
    ):
        Task.objects.create(
            programme=programme,
            title=f"Việc hạn {day.day}/{day.month}",
            assignee_unit=cast.a.ward,
            deadline=day,
            original_deadline=day,
        )
    with time_machine.travel(instant, tick=False):
        html = page_of(client, cast.a.head)

    for urgency, expected in (("overdue", overdue), ("today", today), ("soon", soon)):
        titles = re.findall(r"Việc hạn (\d+/\d+)", _section(html, urgency))
        assert titles == expected, urgency
    assert "Việc hạn 9/2" not in html  # beyond the first reminder: not yet on the list


def test_nothing_to_do_shows_the_main_lists(client, cast):
    html = page_of(client, cast.a.official_user)

    assert "Nothing to do now." in html
    assert reverse("codes:my_commitments") in html
    assert reverse("evaluations:evaluation_home") in html


def test_a_person_without_a_role_is_told_to_ask_for_one(client, db):
    html = page_of(client, make_user("newcomer"))

    assert "Ask your programme coordinator to grant you a role." in html


def test_the_unit_counts_moved_to_the_unit_page(client, cast, work):
    home = page_of(client, cast.a.head)
    unit_page = client.get(reverse("orgs:unit_detail", args=[cast.a.ward.pk]))

    assert "officials working" not in home
    assert cast.a.ward.get_absolute_url() in home
    assert unit_page.context["unit_count"] == 3  # the ward, its department and counter
    assert unit_page.context["officials"]["working"] == 3
    assert unit_page.context["place_count"] == 1
    assert "in posts subject to periodic rotation" in unit_page.content.decode()


def test_a_report_due_opens_on_its_period_and_leaves_the_list_once_made(client, cast, work):
    from civility.insights.models import JobStatus, ReportJob

    client.force_login(cast.a.head)
    link = f"{reverse('insights:report_list')}?unit={cast.a.ward.pk}&period=2025-12"
    form = client.get(link).context["form"]
    unnamed = client.post(link, {"unit": cast.a.ward.pk, "kind": "month", "year": 2025})
    client.post(link, {"unit": cast.a.ward.pk, "kind": "month", "year": 2025, "month": 12})
    job = ReportJob.objects.get(unit=cast.a.ward)
    before = urls(cast.a.head)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)

    assert (form.initial["kind"], form.initial["year"], form.initial["month"]) == (
        "month",
        2025,
        12,
    )
    assert "month" in unnamed.context["form"].errors
    assert (job.period_kind, job.period_start) == ("month", datetime.date(2025, 12, 1))
    assert link in before
    assert link not in urls(cast.a.head)
