"""Exports with provenance: every .xlsx, .csv, .docx and PDF names its filters and period,
when and by whom it was produced, and a fingerprint of its data that stays the same for the
same data (another time, another person) and changes when one row changes."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from docx import Document
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from civility.core import exports
from civility.core.provenance import Provenance, fingerprint_rows, short
from tests.factories import make_user

T1 = datetime.datetime(2026, 3, 12, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Hà Nội
T2 = datetime.datetime(2026, 4, 2, 8, 30, tzinfo=datetime.UTC)
ROWS = [
    ["Unit", "Index", "Bottom"],
    ["Phường Tây Hồ", Decimal("58.18"), ""],
    ["Phường Long Biên", 76.36, "yes"],
]
CHANGED = [ROWS[0], ROWS[1], ["Phường Long Biên", 76.37, "yes"]]
FORMATS = ["xlsx", "csv", "docx", "pdf"]
SHORT = re.compile(r"Fingerprint: ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


@pytest.fixture
def lan(db):
    return make_user("lan", first_name="Lan", last_name="Nguyễn Thị")


@pytest.fixture
def minh(db):
    return make_user("minh")


def provenance(user) -> Provenance:
    return Provenance.start(
        title="Ranking under Thành phố Hà Nội",
        filters=[("Unit", "Thành phố Hà Nội"), ("Period", "Quarter 1/2026")],
        by=user,
    )


def produce(fmt: str, rows: list[list], user) -> bytes:
    """The rows written as `fmt` through the shared writers, as the apps do."""
    stamp = provenance(user)
    if fmt == "xlsx":
        workbook = Workbook()
        workbook.active.title = "Ranking"
        for row in rows:
            exports.append_row(workbook.active, row)
        return exports.save_xlsx(workbook, stamp)
    if fmt == "csv":
        return exports.csv_text(rows, stamp).encode()
    if fmt == "docx":
        document = Document()
        grid = document.add_table(rows=0, cols=3)
        for row in rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = str(value)
        return exports.save_docx(document, stamp, data=rows)
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from civility.codes.boards import FONT, register_fonts

    register_fonts()
    style = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
    story = [Paragraph(" · ".join(str(v) for v in row), style) for row in rows * 40]
    buffer = io.BytesIO()
    stamp_page = exports.pdf_stamp(stamp, data=rows, font=FONT)
    SimpleDocTemplate(buffer, pagesize=A4).build(
        story, onFirstPage=stamp_page, onLaterPages=stamp_page
    )
    return buffer.getvalue()


def read_back(fmt: str, content: bytes) -> str:
    """What the file says about itself, as "label: value" text."""
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
        return "\n".join(f"{a}: {b}" for a, b, *_ in sheet.iter_rows(values_only=True) if b)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        block = rows[rows.index([]) + 2 :]
        return "\n".join(f"{label}: {value}" for label, value in block)
    if fmt == "docx":
        document = Document(io.BytesIO(content))
        return "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def fingerprint_of(fmt: str, content: bytes) -> str:
    found = set(SHORT.findall(read_back(fmt, content)))
    assert len(found) == 1
    return found.pop()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_carries_filters_period_time_producer_and_fingerprint(fmt, lan):
    with time_machine.travel(T1, tick=False):
        content = produce(fmt, ROWS, lan)
    text = read_back(fmt, content)
    assert "Ranking under Thành phố Hà Nội" in text
    assert "Unit: Thành phố Hà Nội" in text and "Period: Quarter 1/2026" in text
    assert "Language: en" in text
    assert "Produced at: 2026-03-12 10:00 +07:00" in text
    assert "Produced by: Nguyễn Thị Lan" in text
    if fmt != "xlsx":  # a workbook's fingerprint also covers its sheet names
        assert fingerprint_of(fmt, content) == short(fingerprint_rows(ROWS))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_data_gives_the_same_fingerprint_at_another_time_by_another_user(fmt, lan, minh):
    with time_machine.travel(T1, tick=False):
        first = produce(fmt, ROWS, lan)
    with time_machine.travel(T2, tick=False):
        again = produce(fmt, ROWS, minh)
    assert "Produced by: minh" in read_back(fmt, again)
    assert "Produced at: 2026-04-02 15:30 +07:00" in read_back(fmt, again)
    assert fingerprint_of(fmt, first) == fingerprint_of(fmt, again)


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_changed_row_changes_the_fingerprint(fmt, lan):
    with time_machine.travel(T1, tick=False):
        assert fingerprint_of(fmt, produce(fmt, ROWS, lan)) != fingerprint_of(
            fmt, produce(fmt, CHANGED, lan)
        )


def test_numbers_count_by_value_text_by_text_and_trailing_blanks_not_at_all():
    assert fingerprint_rows([[80]]) == fingerprint_rows([[Decimal("80.00")]])
    assert fingerprint_rows([[80.0, None, ""]]) == fingerprint_rows([[80]])
    assert fingerprint_rows([[80]]) != fingerprint_rows([["80"]])
    assert fingerprint_rows([["a", "b"]]) != fingerprint_rows([["ab"]])
    assert fingerprint_rows([["a"], ["b"]]) != fingerprint_rows([["b"], ["a"]])
    assert fingerprint_rows([[datetime.date(2026, 3, 1)]]) != fingerprint_rows([["2026-03-01"]])
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", short(fingerprint_rows([[1]])))


def test_a_row_moved_to_another_sheet_changes_the_workbook_fingerprint():
    def workbook(split: int):
        book = Workbook()
        book.active.title = "First"
        second = book.create_sheet("Second")
        for position, row in enumerate(ROWS):
            exports.append_row(book.active if position < split else second, row)
        return book

    assert exports.fingerprint_workbook(workbook(2)) != exports.fingerprint_workbook(workbook(3))


def test_the_workbook_keeps_its_data_sheet_active_and_fills_its_properties(lan):
    with time_machine.travel(T1, tick=False):
        workbook = load_workbook(io.BytesIO(produce("xlsx", ROWS, lan)))
    assert workbook.active.title == "Ranking"
    assert workbook.sheetnames == ["Ranking", "Provenance"]
    properties = workbook.properties
    assert properties.creator == "Nguyễn Thị Lan"
    assert properties.subject == "Unit: Thành phố Hà Nội; Period: Quarter 1/2026; Language: en"
    assert properties.created == datetime.datetime(2026, 3, 12, 3, 0)
    full = workbook.custom_doc_props["Civility fingerprint"].value
    assert len(full) == 64 and properties.keywords == short(full)
    assert workbook.worksheets[-1]["B7"].value == properties.keywords


def test_the_csv_keeps_its_header_first_and_cannot_carry_a_formula_in_the_stamp(db):
    attacker = make_user("x", first_name='=HYPERLINK("http://evil")')
    rows = list(csv.reader(io.StringIO(produce("csv", ROWS, attacker).decode("utf-8-sig"))))
    assert rows[0] == ["Unit", "Index", "Bottom"]
    assert rows[1:3] == [["Phường Tây Hồ", "58.18", ""], ["Phường Long Biên", "76.36", "yes"]]
    assert rows[3] == [] and rows[4] == ["Provenance"]
    assert ["Produced by", '\'=HYPERLINK("http://evil")'] in rows


def test_the_docx_and_pdf_name_the_producer_and_fingerprint_in_their_properties(lan):
    document = Document(io.BytesIO(produce("docx", ROWS, lan)))
    assert document.core_properties.author == "Nguyễn Thị Lan"
    assert document.core_properties.keywords == short(fingerprint_rows(ROWS))
    reader = PdfReader(io.BytesIO(produce("pdf", ROWS, lan)))
    assert len(reader.pages) > 1
    assert all(short(fingerprint_rows(ROWS)) in page.extract_text() for page in reader.pages)
    assert reader.metadata.author == "Nguyễn Thị Lan"
    assert fingerprint_rows(ROWS) in reader.metadata["/Keywords"]
    assert reader.metadata.subject.startswith("Unit: Thành phố Hà Nội; Period: Quarter 1/2026")
