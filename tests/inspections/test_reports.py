"""Reports: .docx and PDF with a Vietnamese administrative document header."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from pypdf import PdfReader

from civility.inspections import actions
from tests.inspections.conftest import answer_all_with_photos


@pytest.fixture
def submitted(cast, inspection, inspector, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 12, 3, 0, tzinfo=datetime.UTC))
    answer_all_with_photos(inspection, inspector, {"A1": "no", "A7": "n/a"})
    actions.submit_inspection(actor=inspector, inspection=inspection)
    actions.record_finding(
        actor=inspector,
        inspection=inspection,
        criterion=inspection.template_version.criteria().get(ref="A1"),
        description="Chưa niêm yết Quy tắc ứng xử.",
        recommendation="Niêm yết bảng Quy tắc ứng xử.",
        deadline=datetime.date(2026, 3, 31),
    )
    inspection.refresh_from_db()
    return inspection


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_report_has_the_document_header_results_and_findings(client, cast, submitted):
    client.force_login(cast.a.head)  # the inspected unit reads its own report
    response = client.get(f"/inspections/{submitted.pk}/report.docx?lang=vi")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    header = document.tables[0].rows[0].cells
    left, right = header[0].text, header[1].text
    # Issuing body and number on the left; national name, motto, place and date on the right
    # (the fixed wording comes from the catalogue, so only names and figures are checked).
    assert left.splitlines()[0] == "THÀNH PHỐ HÀ NỘI" and "1/BB-KT" in left
    lines = right.splitlines()
    assert len(lines) == 3 and lines[0].isupper()
    assert lines[2].startswith("Hà Nội, ") and "12" in lines[2] and "2026" in lines[2]
    text = _docx_text(response.content)
    assert "Premises and public information" not in text  # the Vietnamese checklist text
    assert "Cơ sở vật chất và công khai thông tin" in text
    assert "Bảng Quy tắc ứng xử được niêm yết ở nơi dễ thấy" in text
    assert "Chưa niêm yết Quy tắc ứng xử." in text and "31/03/2026" in text
    assert len(document.inline_shapes) == 2  # the photos required by A1 and A6


def test_the_docx_report_in_english_names_the_header_parts(client, cast, submitted):
    client.force_login(cast.a.head)
    response = client.get(f"/inspections/{submitted.pk}/report.docx?lang=en")
    document = Document(io.BytesIO(response.content))
    left, right = (cell.text for cell in document.tables[0].rows[0].cells)
    assert left == "HANOI\nNo.: 1/BB-KT"
    assert right == (
        "SOCIALIST REPUBLIC OF VIETNAM\nIndependence – Freedom – Happiness\nHanoi, 12 March 2026"
    )
    text = _docx_text(response.content)
    assert "INSPECTION RECORD" in text and "Results by section" in text
    assert "Corrective action by 31/03/2026: Niêm yết bảng Quy tắc ứng xử. (Open)" in text


def test_the_pdf_report_reads_back_in_english(client, cast, submitted, inspector):
    client.force_login(inspector)
    response = client.get(f"/inspections/{submitted.pk}/report.pdf?lang=en")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text
    assert "No.: 1/BB-KT" in text
    assert "Hanoi, 12 March 2026" in text
    assert "Premises and public information" in text
    assert "Code of conduct board displayed" in text
    assert "Chưa niêm yết Quy tắc ứng xử." in text  # what the inspector wrote, as written
    assert "Not applicable" in text


def test_the_score_in_the_report_matches_the_stored_score(client, cast, submitted, inspector):
    client.force_login(inspector)
    text = " ".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(client.get(f"/inspections/{submitted.pk}/report.pdf?lang=en").content)
        ).pages
    )
    assert f"{submitted.score:.2f}%" in text
