"""Every download of the apps carries its provenance: the dashboard tables (.xlsx, .csv),
the background report (.docx, .xlsx, naming who requested it), a checklist (.xlsx), an
inspection record (.docx, PDF), a code board (PDF). Award decisions: tests/awards."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from civility.insights import actions as insight_actions
from civility.insights.models import CultureIndex, ReportJob
from civility.inspections import actions as inspection_actions
from tests.codes.conftest import codes  # noqa: F401  (fixture)
from tests.inspections.conftest import (  # noqa: F401  (fixtures)
    answer_all_with_photos,
    counter_a,
    inspection,
    inspector,
    templates,
)

T1 = datetime.datetime(2026, 4, 10, 3, 0, tzinfo=datetime.UTC)
T2 = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC)
SHORT = re.compile(r"([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx_stamp(content: bytes) -> dict[str, str]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
    assert sheet.title == "Provenance"
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[1]}


def csv_stamp(content: bytes) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return dict(rows[rows.index([]) + 2 :])


def footer(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).sections[0].footer.paragraphs)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def only_fingerprint(text: str) -> str:
    # English or Vietnamese small print
    found = set(re.findall(r"(?:Fingerprint|Mã đối chiếu dữ liệu): " + SHORT.pattern, text))
    assert len(found) == 1
    return found.pop()


def test_a_dashboard_table_has_one_fingerprint_for_everyone_until_a_score_changes(client, cast):
    entry = CultureIndex.objects.create(
        unit=cast.a.ward, period_kind="month", period_start=datetime.date(2026, 3, 1), score=58
    )
    url = f"/insights/export/?unit={cast.a.ward.pk}&period=2026-03&table=trend&format="
    stamps = []
    for user, moment in ((cast.city_coordinator, T1), (cast.a.head, T2)):
        client.force_login(user)
        with time_machine.travel(moment, tick=False):
            stamps.append(
                (csv_stamp(client.get(url + "csv").content), xlsx_stamp(client.get(url).content))
            )
    (csv_1, xlsx_1), (csv_2, xlsx_2) = stamps
    assert csv_1["Unit"] == "Phường Tây Hồ" and csv_1["Period"] == "03/2026"
    assert csv_1["Produced by"] == "coordinator_city" and xlsx_2["Produced by"] == "head_a"
    assert csv_1["Produced at"] == "2026-04-10 10:00 +07:00"
    assert xlsx_2["Produced at"] == "2026-05-20 16:00 +07:00"
    assert csv_1["Fingerprint"] == csv_2["Fingerprint"]
    assert xlsx_1["Fingerprint (SHA-256)"] == xlsx_2["Fingerprint (SHA-256)"]

    entry.score = Decimal("58.01")
    entry.save()
    with time_machine.travel(T2, tick=False):  # the session logged in at T2
        assert csv_stamp(client.get(url + "csv").content)["Fingerprint"] != csv_1["Fingerprint"]
        assert xlsx_stamp(client.get(url).content)["Fingerprint"] != xlsx_1["Fingerprint"]


def test_a_background_report_names_who_requested_it(cast):
    job = ReportJob.objects.create(
        unit=cast.a.ward,
        period_kind="half",
        period_start=datetime.date(2026, 1, 1),
        requested_by=cast.a.head,
        language="en",
    )
    with time_machine.travel(T1, tick=False):
        insight_actions.build_report(job=job)
    job.refresh_from_db()
    text = footer(job.docx.read())
    assert "Unit: Phường Tây Hồ; Period: " in text and "Produced by: head_a" in text
    assert "Produced at: 2026-04-10 10:00 +07:00" in text
    only_fingerprint(text)
    stamp = xlsx_stamp(job.xlsx.read())
    assert stamp["Produced by"] == "head_a" and stamp["Unit"] == "Phường Tây Hồ"


def test_a_checklist_export_carries_its_version_and_stays_importable(client, cast, templates):  # noqa: F811
    client.force_login(cast.city_coordinator)
    content = client.get(f"/inspections/checklists/{templates.counter.pk}/export.xlsx").content
    stamp = xlsx_stamp(content)
    assert stamp["Checklist"] == "one-stop-counter" and stamp["Produced by"] == "coordinator_city"
    again = xlsx_stamp(
        client.get(f"/inspections/checklists/{templates.counter.pk}/export.xlsx").content
    )
    assert again["Fingerprint"] == stamp["Fingerprint"]
    from civility.inspections.spreadsheets import parse_workbook

    assert parse_workbook(content)  # the Provenance sheet is not read as criteria


def test_an_inspection_record_prints_the_same_fingerprint_in_docx_and_pdf(
    client,
    cast,
    inspection,  # noqa: F811
    inspector,  # noqa: F811
):
    answer_all_with_photos(inspection, inspector, {"A1": "no"})
    inspection_actions.submit_inspection(actor=inspector, inspection=inspection)
    client.force_login(cast.a.head)
    with time_machine.travel(T1, tick=False):
        docx = footer(client.get(f"/inspections/{inspection.pk}/report.docx?lang=en").content)
        pdf = pdf_text(client.get(f"/inspections/{inspection.pk}/report.pdf?lang=en").content)
    for text in (docx, pdf):
        assert f"Inspection: #{inspection.pk}" in text and "Produced by: head_a" in text
        assert "Produced at: 2026-04-10 10:00 +07:00" in text
    assert only_fingerprint(docx) == only_fingerprint(pdf)
    inspection_actions.record_finding(
        actor=inspector,
        inspection=inspection,
        criterion=inspection.template_version.criteria().get(ref="A1"),
        description="Chưa niêm yết Quy tắc ứng xử.",
        recommendation="Niêm yết bảng Quy tắc ứng xử.",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    with time_machine.travel(T1, tick=False):  # the session was last saved at T1
        after = footer(client.get(f"/inspections/{inspection.pk}/report.docx?lang=en").content)
    assert only_fingerprint(after) != only_fingerprint(docx)


def test_a_code_board_carries_its_version_and_producer_in_small_print(
    client,
    cast,
    codes,  # noqa: F811
    counter_a,  # noqa: F811
):
    client.force_login(cast.a.head)
    response = client.get(f"/codes/boards/counter/{counter_a.pk}.pdf?size=A4")
    text = pdf_text(response.content)
    # The small print is in the board's language (Vietnamese by default).
    assert "Khổ giấy: A4" in text and "Người lập: head_a" in text
    only_fingerprint(text)
    assert PdfReader(io.BytesIO(response.content)).metadata.author == "head_a"
