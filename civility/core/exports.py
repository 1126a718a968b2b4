"""Spreadsheet exports that cannot run formulas (CSV/formula injection).

A cell whose text starts with = + - @ (or a tab / carriage return) is read as a formula by
Excel and LibreOffice: a citizen's comment "=HYPERLINK(…)" in an export would run on the
coordinator's computer. Every export writes its cells through these helpers:

- .xlsx: ``append_row(sheet, values)`` / ``set_cell(sheet, row, column, value)`` keep the text
  as it is but store it as text with Excel's quote prefix (the cell shows the leading = and
  never evaluates it, even after editing), so files that are imported back read the same text;
  control characters, which openpyxl refuses, are dropped;
- .csv: ``csv_row(values)`` prefixes such text with an apostrophe, as OWASP advises, because
  a CSV cell has no type.

Every export also carries its provenance (civility.core.provenance): one writer per format
computes the fingerprint from the data it writes and stamps the file with it:

- .xlsx: ``save_xlsx(workbook, provenance)`` fingerprints every sheet's cells, then adds a last
  sheet "Provenance" and fills the document properties (the first sheet stays the active one);
- .csv: ``csv_text(rows, provenance)`` writes the rows (header first), then, after one empty
  row, a block of label/value rows. A leading comment line would break every reader that takes
  the first row as the header (Excel's import, pandas, our own importers); a sidecar file gets
  lost when the download is mailed or printed. Readers that stop at the first empty row still
  see only the data;
- .docx: ``save_docx(document, provenance, data=rows)`` puts two lines in the page footer (on
  every printed page) and fills the core properties;
- PDF: ``pdf_stamp(provenance, data=rows, font=...)`` returns the function that draws the
  two footer lines on each page and fills the document information.

For .docx and PDF the caller passes the data rows the document is made from, because the
document also holds text that is not data (the date of the day in a report's header).
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from docx.document import Document
from docx.shared import Pt, RGBColor
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from civility.core.provenance import Fingerprint, Provenance, fingerprint_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """The value for a CSV cell: risky text gets a leading apostrophe, the rest is unchanged."""
    return "'" + value if is_risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


def _protect(cell: Cell) -> None:
    if is_risky(cell.value):
        cell.data_type = "s"  # openpyxl stores text starting with "=" as a formula
        cell.quotePrefix = True


def _xlsx_value(value: Any) -> Any:
    # Control characters (a pasted comment can hold them) make openpyxl refuse the whole file.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def set_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    cell = sheet.cell(row=row, column=column, value=_xlsx_value(value))
    _protect(cell)
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    # Only risky text gets a cell made here: finding the appended row again (`max_row`)
    # scans every cell of the sheet, which made a long sheet quadratic.
    row: list[Any] = []
    for value in values:
        value = _xlsx_value(value)
        if is_risky(value):
            value = Cell(sheet, value=value)
            _protect(value)
        row.append(value)
    sheet.append(row)


# --- provenance -------------------------------------------------------------------------


def _utc_naive(moment: datetime.datetime) -> datetime.datetime:
    # openpyxl and python-docx write document dates as UTC ("…Z") without converting.
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def fingerprint_workbook(workbook: Workbook) -> str:
    fingerprint = Fingerprint()
    for sheet in workbook.worksheets:
        fingerprint.part(sheet.title)
        fingerprint.add_rows(sheet.iter_rows(values_only=True))
    return fingerprint.hexdigest()


# Cells stay numbers and dates; these formats only say how to show them, and the reader's
# spreadsheet writes the separators of its own language (1.234,5 or 1,234.5). Whole numbers
# under 10,000 keep "General" so that years (2026) are not grouped.
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"


def _number_format(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if value == int(value):
        return WHOLE_FORMAT if abs(float(value)) >= 10_000 else None
    return DECIMAL_FORMAT


_DEFAULT_FORMATS = ("General", "yyyy-mm-dd", "yyyy-mm-dd h:mm:ss")


def format_cells(workbook: Workbook) -> None:
    """Give every date and number cell still in the default format the product's one. Reads
    the cells openpyxl holds (`_cells`) rather than iter_rows(), which makes a cell for every
    empty coordinate: a sheet of 150,000 officials has millions."""
    # Setting number_format looks the style up each time; cells sharing a style and a format
    # share the result (a style is openpyxl's array of indices, copied per cell).
    styles: dict[tuple[str, tuple[int, ...] | None], Any] = {}
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():
            value = cell._value
            if value is None or type(value) is str:
                continue
            shown = _number_format(value)
            if not shown:
                continue
            key = (shown, None if cell._style is None else tuple(cell._style))
            if key in styles:
                cell._style = copy.copy(styles[key])
            elif cell.number_format in _DEFAULT_FORMATS:
                cell.number_format = shown
                styles[key] = copy.copy(cell._style)
            else:
                styles[key] = copy.copy(cell._style)  # a format chosen by the writer stays


def save_xlsx(workbook: Workbook, provenance: Provenance) -> bytes:
    """The workbook as .xlsx bytes, with a last sheet "Provenance" and document properties."""
    format_cells(workbook)
    provenance = provenance.with_fingerprint(fingerprint_workbook(workbook))
    title, number = _("Provenance")[:28], 2
    name = title
    while name in workbook.sheetnames:
        name, number = f"{title} {number}", number + 1
    sheet = workbook.create_sheet(name)
    for label, value in provenance.rows():
        append_row(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    append_row(sheet, [])
    append_row(sheet, [provenance.note()])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    properties = workbook.properties
    properties.title = provenance.title
    properties.subject = provenance.filters_text()
    properties.creator = provenance.produced_by
    properties.lastModifiedBy = provenance.produced_by
    properties.keywords = provenance.short_fingerprint
    properties.description = provenance.note()
    properties.created = properties.modified = _utc_naive(provenance.produced_at)
    workbook.custom_doc_props.append(
        StringProperty(name="Civility fingerprint", value=provenance.fingerprint)
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Iterable[Iterable[Any]], provenance: Provenance) -> str:
    """The rows (header first) as CSV text with a byte-order mark (Excel then reads UTF-8
    Vietnamese correctly), followed by an empty row and the provenance block."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    fingerprint = Fingerprint()
    for row in rows:
        values = ["" if value is None else value for value in row]
        fingerprint.add(values)
        writer.writerow(csv_row(values))
    provenance = provenance.with_fingerprint(fingerprint.hexdigest())
    writer.writerow([])
    writer.writerow(csv_row([_("Provenance")]))
    for label, value in provenance.rows():
        writer.writerow(csv_row([label, value]))
    return "\ufeff" + buffer.getvalue()


def save_docx(
    document: Document, provenance: Provenance, *, data: Iterable[Iterable[Any]]
) -> bytes:
    """The document as .docx bytes, with the provenance in the footer of every page and in
    the core properties; ``data`` are the rows the document is made from."""
    provenance = provenance.with_fingerprint(fingerprint_rows(data))
    for index, section in enumerate(document.sections):
        if index and section.footer.is_linked_to_previous:
            continue
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraphs = footer.paragraphs
        for position, line in enumerate(provenance.footer_lines()):
            paragraph = paragraphs[0] if position == 0 else footer.add_paragraph()
            paragraph.text = ""
            run = paragraph.add_run(line)
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x4B, 0x55, 0x63)
    properties = document.core_properties
    # python-docx refuses core properties longer than 255 characters.
    properties.title = provenance.title[:255]
    properties.subject = provenance.filters_text()[:255]
    properties.author = provenance.produced_by[:255]
    properties.last_modified_by = provenance.produced_by[:255]
    properties.keywords = provenance.short_fingerprint
    properties.comments = _("Fingerprint (SHA-256)") + ": " + provenance.fingerprint
    properties.created = properties.modified = _utc_naive(provenance.produced_at)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_stamp(
    provenance: Provenance,
    *,
    data: Iterable[Iterable[Any]],
    font: str,
    size: float = 7,
    bottom: float = 4,
) -> Callable[..., None]:
    """A page callback (``onFirstPage``/``onLaterPages`` of a reportlab document template,
    or call it with the canvas before ``showPage``) that draws the provenance at the foot of
    the page (from ``bottom`` points up) and fills the document information; ``font`` must have
    the Vietnamese glyphs."""
    provenance = provenance.with_fingerprint(fingerprint_rows(data))
    lines = provenance.footer_lines()

    def stamp(canvas: Canvas, doc: object = None) -> None:
        width, _height = canvas._pagesize
        margin = min(width * 0.05, 40)
        wrapped = [
            part for line in lines for part in simpleSplit(line, font, size, width - 2 * margin)
        ]
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        for position, line in enumerate(reversed(wrapped)):
            canvas.drawString(margin, bottom + position * (size + 1.5), line)
        canvas.restoreState()
        canvas.setTitle(provenance.title)
        canvas.setSubject(provenance.filters_text())
        canvas.setAuthor(provenance.produced_by)
        canvas.setKeywords(f"{provenance.short_fingerprint} {provenance.fingerprint}")
        canvas.setCreator("Civility")

    return stamp
