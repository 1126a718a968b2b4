"""Self-assessment against evidence: the self-score is kept apart from the verified one, and
each unit's gap is shown over time, added up the tree and scoped to the user's units."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
import time_machine

from civility.evaluations import actions, figures
from civility.evaluations.models import Evaluation
from civility.programmes.actions import (
    create_programme,
    create_task,
    report_progress,
    verify_progress,
)
from civility.programmes.models import ProgrammeKind, TaskUpdate
from tests.evaluations.conftest import ITEMS, MONTH

URL = "/evaluations/self-assessment/"
SPAN = {"start": "2025-01", "end": "2025-06"}


@pytest.fixture
def period(open_period):
    return open_period()


def evaluation_of(period, official) -> Evaluation:
    return period.evaluations.get(official=official)


@pytest.fixture
def two_wards(cast, period, walk):
    """Ward a: self 88, approved 80. Ward b: self 88, approved 70."""
    walk(evaluation_of(period, cast.a.official))
    b = evaluation_of(period, cast.b.official)
    actions.save_self_assessment(
        actor=cast.b.official_user,
        evaluation=b,
        work_items=ITEMS,
        account="Hoàn thành.",
        self_points={"general": 18, "tasks": 65, "bonus": 5},
        self_level="good",
        submit=True,
    )
    actions.rate_evaluation(
        actor=cast.b.head, evaluation=b, points={"general": 15, "tasks": 55, "bonus": 0}
    )
    actions.approve_evaluation(actor=cast.b.head, evaluation=b)


def test_self_total_is_kept_when_the_head_changes_the_points(cast, period, walk):
    evaluation = walk(evaluation_of(period, cast.a.official), to="approval")
    assert evaluation.self_total == Decimal("88.00")
    actions.approve_evaluation(
        actor=cast.a.head,
        evaluation=evaluation,
        points={"general": 15, "tasks": 60, "bonus": 0},
        note="Đi muộn hai buổi.",
    )
    evaluation.refresh_from_db()
    assert (evaluation.self_total, evaluation.total) == (Decimal("88.00"), Decimal("75.00"))
    assert evaluation.self_points == {"general": "18.00", "tasks": "65.00", "bonus": "5.00"}


def test_self_assessed_work_items_are_kept_when_the_supervisor_corrects_them(
    cast, period, walk, people
):
    evaluation = walk(evaluation_of(period, cast.a.official), to="review")
    corrected = [{**ITEMS[0], "done": False}, ITEMS[1]]
    actions.rate_evaluation(
        actor=people.evaluator,
        evaluation=evaluation,
        points={"general": 18, "tasks": 50, "bonus": 0},
        work_items=corrected,
    )
    evaluation.refresh_from_db()
    assert evaluation.work_items[0]["done"] is False
    assert evaluation.self_work_items[0]["done"] is True
    assert evaluation.self_total == Decimal("88.00")


def test_selector_counts_only_approved_evaluations_per_unit_and_month(cast, period, walk):
    walk(evaluation_of(period, cast.a.official))
    walk(evaluation_of(period, cast.b.official), to="review")  # not verified yet
    rows = figures.self_assessment_gaps()
    assert rows == [
        {
            "unit_id": cast.a.department.pk,
            "month": MONTH,
            "n": 1,
            "self_sum": Decimal("88.00"),
            "verified_sum": Decimal("80.00"),
            "abs_gap_sum": Decimal("8.00"),
        }
    ]


def test_gap_per_ward_and_for_the_whole_city(client, cast, two_wards):
    client.force_login(cast.city_coordinator)
    response = client.get(URL, {"unit": cast.city.pk, **SPAN})
    assert response.status_code == 200
    [evaluations, _programmes, _commitments, _dissemination] = response.context["tables"]
    march = datetime.date(2025, 3, 1)
    assert evaluations.whole.cells[march].n == 2
    assert evaluations.whole.cells[march].gap == Decimal("13.0")  # (8 + 18) / 2
    by_unit = {row.unit: row for row in evaluations.rows}
    assert by_unit[cast.a.ward].overall.gap == Decimal("8.0")
    assert by_unit[cast.b.ward].overall.gap == Decimal("18.0")
    page = response.content.decode()
    assert "+13.0" in page and "Phường Long Biên" in page


def test_gap_adds_sources_up_to_the_parent_by_quarter(client, cast, two_wards):
    programme = create_programme(
        actor=cast.city_coordinator,
        unit=cast.city,
        kind=ProgrammeKind.PLAN,
        number="176/KH-UBND",
        title="Kế hoạch",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    task = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Hội nghị",
        assignee_unit=cast.a.department,
        deadline=datetime.date(2025, 12, 31),
    )
    report_progress(actor=cast.a.head, task=task, progress=90)
    update = TaskUpdate.objects.get(task=task, progress=90)
    TaskUpdate.objects.filter(pk=update.pk).update(
        created_at=datetime.datetime(2025, 2, 10, 3, 0, tzinfo=datetime.UTC)
    )
    verify_progress(actor=cast.city_coordinator, update=update, progress=60, note="Thiếu")
    client.force_login(cast.a.head)
    response = client.get(URL, {"unit": cast.a.ward.pk, "by": "quarter", **SPAN})
    [evaluations, programmes, _commitments, _dissemination] = response.context["tables"]
    q1 = datetime.date(2025, 1, 1)
    assert programmes.whole.cells[q1].gap == Decimal("30.0")
    assert [row.unit for row in programmes.rows] == [cast.a.department]
    assert evaluations.whole.cells[q1].gap == Decimal("8.0")
    assert "Q1/2025" in response.content.decode()


def test_a_ward_head_cannot_see_a_sibling_wards_gaps(client, cast, two_wards):
    client.force_login(cast.a.head)
    assert client.get(URL, {"unit": cast.b.ward.pk, **SPAN}).status_code == 404
    assert client.get(URL, {"unit": cast.city.pk, **SPAN}).status_code == 404
    response = client.get(URL, SPAN)
    assert response.context["unit"] == cast.a.ward
    evaluations = response.context["tables"][0]
    assert evaluations.whole.overall.n == 1
    assert "Phường Long Biên" not in response.content.decode()


def test_an_official_without_a_managing_role_gets_404(client, cast, two_wards):
    client.force_login(cast.a.official_user)
    assert client.get(URL, SPAN).status_code == 404


def test_no_verified_records_is_shown_as_no_data(client, cast, period, walk):
    walk(evaluation_of(period, cast.a.official), to="approval")
    client.force_login(cast.a.head)
    response = client.get(URL, SPAN)
    assert response.context["tables"][0].whole.overall.gap is None
    assert "No verified records in these months." in response.content.decode()


def test_bad_months_name_the_field(client, cast):
    client.force_login(cast.a.head)
    response = client.get(URL, {"start": "2025-13", "end": "2025-06"})
    assert response.status_code == 400
    assert "start_error" in response.content.decode()
    response = client.get(URL, {"start": "2025-06", "end": "2025-01", "format": "csv"})
    assert response.status_code == 400
    assert response.content.decode().startswith("To:")
    response = client.get(URL, {"format": "pdf"})
    assert response.status_code == 400
    assert response.content.decode().startswith("Format:")


def test_downloads_as_csv_and_xlsx_with_provenance(client, cast, two_wards):
    from openpyxl import load_workbook

    client.force_login(cast.city_coordinator)
    response = client.get(URL, {"unit": cast.city.pk, "format": "csv", **SPAN})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Source,Unit,Counted,Period")
    assert "03/2025" in text and "Fingerprint" in text
    response = client.get(URL, {"unit": cast.city.pk, "format": "xlsx", **SPAN})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Source"
    whole = next(row for row in rows if row[2] == "whole subtree")
    assert whole[4:] == (2, 88, 75, 13, 13)


def test_demo_evaluations_carry_a_self_score_to_compare(cast, period):
    from civility.evaluations.demo import _finish

    evaluation = evaluation_of(period, cast.a.official)
    _finish(evaluation, seed=7, admin=cast.admin, upto="done")
    evaluation.refresh_from_db()
    assert Decimal(0) <= evaluation.self_total <= Decimal(100)
    assert figures.self_assessment_gaps()[0]["n"] == 1


def test_the_page_reads_a_fixed_number_of_queries(
    client, cast, two_wards, django_assert_max_num_queries
):
    client.force_login(cast.city_coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(URL, {"unit": cast.city.pk, **SPAN})
    assert response.status_code == 200


def test_the_month_fields_show_the_months_the_table_covers(client, cast):
    client.force_login(cast.city_coordinator)
    with time_machine.travel(datetime.datetime(2026, 5, 10, 3, tzinfo=datetime.UTC)):
        response = client.get(URL, {"unit": cast.city.pk})
    start, end = response.context["start"], response.context["end"]
    page = response.content.decode()
    assert f'value="{start:%Y-%m}"' in page and f'value="{end:%Y-%m}"' in page
