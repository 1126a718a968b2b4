"""The periodic report is built in one direction: every figure is gathered into one value
(reports.report_figures), then the .docx and the .xlsx are drawn from that value alone."""

import dataclasses
import datetime
import io

import pytest
import time_machine
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from civility.insights import actions, exports, reports
from civility.insights.periods import Period
from tests.insights.conftest import (
    corrective,
    counter,
    inspect,
    officials,
    rate,
    violation,
    without_minimum_samples,
)

MARCH = Period.parse("2026-03")
TODAY = datetime.date(2026, 4, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def data(cast):
    a_counter, b_counter = counter(cast.a.ward), counter(cast.b.ward)
    staff_a = officials(cast.a.department, 9, prefix="Trần Thị")
    officials(cast.b.department, 19, prefix="Lê Văn")
    inspection = inspect(a_counter, "80", datetime.date(2026, 3, 5), city=cast.city)
    inspect(b_counter, "60", datetime.date(2026, 3, 2), city=cast.city)
    corrective(
        inspection, deadline=datetime.date(2026, 3, 20), closed_on=datetime.date(2026, 3, 18)
    )
    corrective(inspection, deadline=datetime.date(2026, 3, 25), closed_on=None)
    rate(a_counter, datetime.date(2026, 3, 3), satisfied=8, dissatisfied=2)
    rate(b_counter, datetime.date(2026, 3, 4), satisfied=3, dissatisfied=1)
    violation(staff_a[0], datetime.date(2026, 3, 10))
    without_minimum_samples(cast.city)
    actions.refresh(periods=[Period.parse("2026-02"), MARCH], today=TODAY)


def _gathered(cast):
    report = reports.report_figures(cast.city, MARCH)
    provenance = exports.provenance(
        title="Report", unit=cast.city, period=MARCH, by=cast.city_coordinator
    )
    return report, provenance


def test_the_report_files_are_drawn_from_the_gathered_figures_without_a_query(
    cast, data, django_assert_num_queries
):
    with translation.override("en"):
        report, provenance = _gathered(cast)
        with django_assert_num_queries(0):
            docx = exports.report_docx(report, provenance)
            xlsx = exports.report_xlsx(report, provenance)
            sections = exports.report_sections(report)

    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "Inspections planned: 2; submitted: 2." in text
    assert "Corrective actions due: 2; closed: 1; overdue: 1." in text
    assert "Ratings: 14; satisfied: 78.6%." in text
    workbook = load_workbook(io.BytesIO(xlsx))
    summary = [row[1] for row in workbook.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert summary == [line for _heading, lines in sections for line in lines]
    ranking = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert ranking[2][:3] == (1, "Phường Long Biên", 70.0)


def test_the_gathered_figures_are_one_frozen_value(cast, data):
    report, _provenance = _gathered(cast)

    assert report.actions == reports.ActionCounts(due=2, closed=1, overdue=1)
    assert [row.unit for row in report.ranking] == [cast.b.ward, cast.a.ward]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.entry = None  # type: ignore[misc]  # the point of the test
