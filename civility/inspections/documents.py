"""An inspection's report (.docx and PDF) with the header of a Vietnamese administrative
document (Decree 30/2020/NĐ-CP): issuing body on the left with the document number, the
national name and motto on the right with place and date; then results by section, the
answers, photos, findings and corrective actions.

The PDF uses DejaVu Sans from the npm package `dejavu-fonts-ttf` (every Vietnamese glyph),
registered by civility.codes.boards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict
from xml.sax.saxutils import escape

from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Image as PdfImage
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from civility.codes.boards import FONT, FONT_BOLD, register_fonts
from civility.core.exports import pdf_stamp, save_docx
from civility.core.i18n import format_percent, person_name
from civility.core.provenance import Provenance
from civility.inspections.models import Answer, Criterion, Finding, Inspection, Photo
from civility.orgs.models import OrgUnit
from civility.orgs.provinces import place_name, superior_line

MAX_PHOTOS = 12


@dataclass
class Header:
    superior: str  # the body above the issuing one, from the province's profile; may be empty
    issuer: str
    number: str
    place_and_date: str
    national_name: str
    motto: str
    title: str


@dataclass
class Row:
    ref: str
    text: str
    answer: str
    note: str


class SectionContent(TypedDict):
    title: str
    percent: str
    rows: list[Row]


class ReportContent(TypedDict):
    """What both formats print (report_content), and the rows of its fingerprint."""

    sections: list[SectionContent]
    total: str
    findings: list[Finding]
    photos: list[Photo]
    facts: list[tuple[str, str]]


def _name(unit: OrgUnit, language: str) -> str:
    return (unit.name_en or unit.name) if language == "en" else unit.name


def header(inspection: Inspection, language: str) -> Header:
    unit = inspection.inspecting_unit
    day = inspection.day or timezone.localdate()
    place = place_name(unit, language)
    if language == "en":
        date = day.strftime("%d %B %Y")
        place_and_date = f"{place}, {date}" if place else date
    else:
        date = _("day %(d)02d month %(m)02d year %(y)d") % {
            "d": day.day,
            "m": day.month,
            "y": day.year,
        }
        place_and_date = f"{place}, {date}" if place else date
    return Header(
        superior=superior_line(unit, language, on=day),
        issuer=_name(unit, language).upper(),
        number=_("No.: %(number)s") % {"number": inspection.document_number or "…/BB-KT"},
        place_and_date=place_and_date,
        national_name=_("SOCIALIST REPUBLIC OF VIETNAM"),
        motto=_("Independence – Freedom – Happiness"),
        title=_("INSPECTION RECORD"),
    )


def _answer_text(answer: Answer | None, criterion: Criterion) -> str:
    if answer is None:
        return "—"
    if answer.not_applicable:
        return _("Not applicable")
    return criterion.kind.text(criterion, answer.value)


def _percent(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return "—"
    return format_percent(Decimal(str(value)), 2)


def report_content(inspection: Inspection) -> ReportContent:
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    sections: list[SectionContent] = []
    for section in inspection.template_version.sections.prefetch_related("criteria"):
        sections.append(
            {
                "title": section.display_title,
                "percent": _percent(inspection.section_scores.get(str(section.pk))),
                "rows": [
                    Row(
                        c.ref,
                        c.display_text,
                        _answer_text(answers.get(c.pk), c),
                        answers[c.pk].note if c.pk in answers else "",
                    )
                    for c in section.criteria.all()
                ],
            }
        )
    findings = list(
        inspection.findings.select_related("criterion", "official").prefetch_related("actions")
    )
    return {
        "sections": sections,
        "total": _percent(inspection.score),
        "findings": findings,
        "photos": list(inspection.photos.select_related("criterion")[:MAX_PHOTOS]),
        "facts": [
            (_("Inspected"), inspection.target_name),
            (_("Kind"), inspection.get_kind_display()),
            (
                _("Checklist"),
                f"{inspection.template_version.template.display_name} "
                f"(v{inspection.template_version.number})",
            ),
            (_("Delegation"), _team(inspection)),
            (_("Status"), inspection.get_status_display()),
        ],
    }


def provenance(inspection: Inspection, language: str, by: User) -> Provenance:
    return Provenance.start(
        title=_("Inspection record: %(target)s") % {"target": inspection.target_name},
        filters=[
            (_("Inspection"), f"#{inspection.pk}"),
            (_("Inspecting unit"), _name(inspection.inspecting_unit, language)),
            (_("Date"), inspection.day),
        ],
        by=by,
        language=language,
    )


def data_rows(content: ReportContent) -> list[list[object]]:
    """What the report is made from, as printed (its fingerprint; the same for .docx and PDF)."""
    rows: list[list[object]] = [list(fact) for fact in content["facts"]]
    for section in content["sections"]:
        rows.append([section["title"], section["percent"]])
        rows += [[row.ref, row.text, row.answer, row.note] for row in section["rows"]]
    rows.append([_("Total"), content["total"]])
    rows += [
        # The photo's own id, not its storage name, which may change (renamed on storage).
        [str(photo.client_id), photo.criterion.ref if photo.criterion is not None else ""]
        for photo in content["photos"]
    ]
    for finding in content["findings"]:
        rows.append(
            [
                finding.criterion.ref if finding.criterion is not None else "",
                finding.get_kind_display(),
                finding.description,
                finding.official.full_name if finding.official is not None else "",
                finding.recommendation,
            ]
        )
        rows += [
            [action.deadline, action.description, action.get_status_display()]
            for action in finding.actions.all()
        ]
    return rows


def _team(inspection: Inspection) -> str:
    names = [person_name(u) for u in inspection.team.all()]
    if inspection.team_note:
        names.append(inspection.team_note)
    return "; ".join(names) or "—"


# --- .docx -----------------------------------------------------------------------------


def render_docx(inspection: Inspection, language: str = "vi", *, by: User) -> bytes:
    with translation.override(language):
        head = header(inspection, language)
        content = report_content(inspection)
        document = Document()
        style = document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(12)
        for page in document.sections:
            page.left_margin, page.right_margin = Cm(3), Cm(2)

        table = document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = Cm(6.5), Cm(9.5)

        def lines(cell: _Cell, items: list[tuple[str, bool, bool]]) -> None:
            cell.paragraphs[0].text = ""
            first = True
            for text, bold, italic in items:
                paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(text)
                run.bold, run.italic = bold, italic

        lines(
            left,
            [
                *([(head.superior, False, False)] if head.superior else []),
                (head.issuer, True, False),
                (head.number, False, False),
            ],
        )
        lines(
            right,
            [
                (head.national_name, True, False),
                (head.motto, True, False),
                (head.place_and_date, False, True),
            ],
        )
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(head.title)
        run.bold = True
        run.font.size = Pt(14)
        subtitle = document.add_paragraph(inspection.template_version.template.display_name)
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

        for label, value in content["facts"]:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)

        document.add_heading(_("Results by section"), level=2)
        results = document.add_table(rows=1, cols=2)
        results.style = "Table Grid"
        results.rows[0].cells[0].text = _("Section")
        results.rows[0].cells[1].text = _("Score")
        for section in content["sections"]:
            cells = results.add_row().cells
            cells[0].text, cells[1].text = section["title"], section["percent"]
        cells = results.add_row().cells
        cells[0].text, cells[1].text = _("Total"), content["total"]

        document.add_heading(_("Answers"), level=2)
        for section in content["sections"]:
            document.add_paragraph(section["title"]).runs[0].bold = True
            grid = document.add_table(rows=1, cols=4)
            grid.style = "Table Grid"
            for cell, label in zip(
                grid.rows[0].cells, ("#", _("Criterion"), _("Answer"), _("Note")), strict=True
            ):
                cell.text = label
            for row in section["rows"]:
                cells = grid.add_row().cells
                cells[0].text, cells[1].text, cells[2].text, cells[3].text = (
                    row.ref,
                    row.text,
                    row.answer,
                    row.note,
                )

        if content["photos"]:
            document.add_heading(_("Photos"), level=2)
            for photo in content["photos"]:
                try:
                    with photo.file.open("rb") as handle:
                        document.add_picture(io.BytesIO(handle.read()), width=Cm(8))
                except (OSError, ValueError):
                    continue
                caption = photo.criterion.ref if photo.criterion is not None else ""
                document.add_paragraph(caption)

        document.add_heading(_("Findings and corrective actions"), level=2)
        if not content["findings"]:
            document.add_paragraph(_("No findings."))
        for finding in content["findings"]:
            paragraph = document.add_paragraph(style="List Number")
            ref = f"{finding.criterion.ref} · " if finding.criterion is not None else ""
            paragraph.add_run(f"{ref}{finding.get_kind_display()}: ").bold = True
            paragraph.add_run(finding.description)
            if finding.official is not None:
                paragraph.add_run(f" ({finding.official.full_name})")
            if finding.recommendation:
                document.add_paragraph(
                    _("Recommendation: %(text)s") % {"text": finding.recommendation}
                )
            for action in finding.actions.all():
                document.add_paragraph(
                    _("Corrective action by %(date)s: %(text)s (%(status)s)")
                    % {
                        "date": action.deadline.strftime("%d/%m/%Y"),
                        "text": action.description,
                        "status": action.get_status_display(),
                    }
                )
        return save_docx(document, provenance(inspection, language, by), data=data_rows(content))


# --- PDF ------------------------------------------------------------------------------


def render_pdf(inspection: Inspection, language: str = "vi", *, by: User) -> bytes:
    register_fonts()
    with translation.override(language):
        head = header(inspection, language)
        content = report_content(inspection)
        base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
        center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
        bold_center = ParagraphStyle("bold_center", parent=center, fontName=FONT_BOLD)
        title = ParagraphStyle("title", parent=bold_center, fontSize=14, leading=18, spaceBefore=12)
        h2 = ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=12, spaceBefore=10, spaceAfter=4
        )

        def p(text: object, style: ParagraphStyle = base) -> Paragraph:
            return Paragraph(escape(str(text)), style)

        left = [p(head.superior, center)] if head.superior else []
        left += [p(head.issuer, bold_center), p(head.number, center)]
        right = [
            p(head.national_name, bold_center),
            p(head.motto, bold_center),
            Paragraph(f"<i>{escape(head.place_and_date)}</i>", center),
        ]
        story = [
            Table([[left, right]], colWidths=[7 * cm, 10 * cm]),
            p(head.title, title),
            p(inspection.template_version.template.display_name, center),
            Spacer(1, 8),
        ]
        for label, value in content["facts"]:
            story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", base))
        grid_style = TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
        story.append(p(_("Results by section"), h2))
        rows = [[p(_("Section")), p(_("Score"))]]
        rows += [[p(s["title"]), p(s["percent"])] for s in content["sections"]]
        rows.append([p(_("Total")), p(content["total"])])
        story.append(Table(rows, colWidths=[13 * cm, 4 * cm], style=grid_style))
        story.append(p(_("Answers"), h2))
        for section in content["sections"]:
            story.append(p(section["title"], ParagraphStyle("s", parent=base, fontName=FONT_BOLD)))
            rows = [[p("#"), p(_("Criterion")), p(_("Answer")), p(_("Note"))]]
            rows += [[p(r.ref), p(r.text), p(r.answer), p(r.note)] for r in section["rows"]]
            story.append(
                Table(rows, colWidths=[1.2 * cm, 8.8 * cm, 3 * cm, 4 * cm], style=grid_style)
            )
        if content["photos"]:
            story.append(p(_("Photos"), h2))
            for photo in content["photos"]:
                try:
                    with photo.file.open("rb") as handle:
                        data = io.BytesIO(handle.read())
                except OSError:
                    continue
                width = 8 * cm
                height = width * photo.height / max(photo.width, 1)
                story.append(PdfImage(data, width=width, height=height))
                if photo.criterion is not None:
                    story.append(p(photo.criterion.ref))
        story.append(p(_("Findings and corrective actions"), h2))
        if not content["findings"]:
            story.append(p(_("No findings.")))
        for number, finding in enumerate(content["findings"], start=1):
            ref = f"{finding.criterion.ref} · " if finding.criterion is not None else ""
            who = f" ({finding.official.full_name})" if finding.official is not None else ""
            story.append(
                Paragraph(
                    f"{number}. <b>{escape(ref + finding.get_kind_display())}:</b> "
                    f"{escape(finding.description + who)}",
                    base,
                )
            )
            if finding.recommendation:
                story.append(p(_("Recommendation: %(text)s") % {"text": finding.recommendation}))
            for action in finding.actions.all():
                story.append(
                    p(
                        _("Corrective action by %(date)s: %(text)s (%(status)s)")
                        % {
                            "date": action.deadline.strftime("%d/%m/%Y"),
                            "text": action.description,
                            "status": action.get_status_display(),
                        }
                    )
                )
        stamp = pdf_stamp(provenance(inspection, language, by), data=data_rows(content), font=FONT)
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2.5 * cm,
            rightMargin=1.5 * cm,
            topMargin=1.5 * cm,
            bottomMargin=1.5 * cm,
            title=head.title,
        ).build(story, onFirstPage=stamp, onLaterPages=stamp)
        return buffer.getvalue()
