"""A commendation decision as .docx (with the header of a Vietnamese administrative document,
Decree 30/2020/NĐ-CP) and as .xlsx (one row per award, for the finance office)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Font

from civility.awards.models.decisions import AwardDecision
from civility.core.exports import append_row, save_docx, save_xlsx
from civility.core.i18n import format_number
from civility.core.provenance import Provenance


class _Row(TypedDict):
    """One award of a decision, as both documents print it."""

    number: int
    title: str
    recipient: str
    unit: str
    kind: str
    multiplier: Decimal | None
    bonus: Decimal | None


def _rows(decision: AwardDecision) -> list[_Row]:
    rows: list[_Row] = []
    for number, award in enumerate(
        decision.awards.select_related("title", "official", "unit").order_by(
            "title_key", "official__full_name", "unit__name"
        ),
        start=1,
    ):
        rows.append(
            {
                "number": number,
                "title": award.title.display_name,
                "recipient": award.recipient_name,
                "unit": award.unit.display_name,
                "kind": _("Individual") if award.official_id else _("Collective"),
                "multiplier": award.multiplier,
                "bonus": award.bonus,
            }
        )
    return rows


def _provenance(decision: AwardDecision, language: str, by: User) -> Provenance:
    return Provenance.start(
        title=_("Commendation decision %(number)s") % {"number": decision.number},
        filters=[
            (_("Unit"), decision.unit.display_name),
            (_("Year of the achievements"), decision.year),
            (_("Decision date"), decision.decided_on),
        ],
        by=by,
        language=language,
    )


def _money(amount: Decimal | None) -> str:
    return format_number(amount, 0) if amount is not None else "—"


def _bonus(row: _Row) -> str:
    """A bonus as the decision prints it: never a figure from an empty multiplier."""
    if row["multiplier"] is None:
        return _("not computed (multiplier to be confirmed)")
    return _money(row["bonus"])


def render_docx(decision: AwardDecision, language: str = "vi", *, by: User) -> bytes:
    with translation.override(language):
        document = Document()
        style = document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(12)
        for section in document.sections:
            section.left_margin, section.right_margin = Cm(3), Cm(2)
        table = document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells

        def lines(cell: _Cell, items: Sequence[tuple[str, bool, bool]]) -> None:
            cell.paragraphs[0].text = ""
            for index, (text, bold, italic) in enumerate(items):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(text)
                run.bold, run.italic = bold, italic

        lines(
            left,
            [
                (decision.unit.display_name.upper(), True, False),
                (_("No.: %(number)s") % {"number": decision.number}, False, False),
            ],
        )
        lines(
            right,
            [
                (_("SOCIALIST REPUBLIC OF VIETNAM"), True, False),
                (_("Independence - Freedom - Happiness"), True, False),
                (decision.decided_on.strftime("%d/%m/%Y"), False, True),
            ],
        )
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(_("DECISION"))
        run.bold = True
        run.font.size = Pt(14)
        subtitle = document.add_paragraph(
            _("On commendation for achievements in %(year)d") % {"year": decision.year}
        )
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        rule_set = decision.get_rule_set_display()
        document.add_paragraph(_("Pursuant to %(basis)s;") % {"basis": rule_set})
        document.add_paragraph(
            _(
                "Article 1. To award the titles and forms listed below to the following "
                "individuals and collectives:"
            )
        )
        rows = _rows(decision)
        grid = document.add_table(rows=1, cols=5)
        grid.style = "Table Grid"
        for cell, label in zip(
            grid.rows[0].cells,
            [_("No."), pgettext("award", "Title"), _("Recipient"), _("Unit"), _("Bonus (VND)")],
            strict=True,
        ):
            cell.text = label
        for row in rows:
            cells = grid.add_row().cells
            cells[0].text = str(row["number"])
            cells[1].text = row["title"]
            cells[2].text = row["recipient"]
            cells[3].text = row["unit"]
            cells[4].text = _bonus(row)
        base = _money(decision.base_salary)
        document.add_paragraph(
            _(
                "Article 2. Bonuses are paid as multiples of the base salary in force on the "
                "decision date (%(base)s VND)."
            )
            % {"base": base}
        )
        if decision.bonus_rule:
            document.add_paragraph(decision.bonus_rule)
        if decision.note:
            document.add_paragraph(decision.note)
        signature = document.add_paragraph(decision.issuer)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.runs[0].bold = True
        data: list[list[object]] = [
            [decision.number, decision.decided_on, decision.issuer, rule_set, base],
            *(
                [row["number"], row["title"], row["recipient"], row["unit"], _bonus(row)]
                for row in rows
            ),
            [decision.note],
        ]
        return save_docx(document, _provenance(decision, language, by), data=data)


def render_xlsx(decision: AwardDecision, language: str = "vi", *, by: User) -> bytes:
    with translation.override(language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Decision")[:31]
        append_row(sheet, [_("Decision number"), decision.number])
        append_row(sheet, [_("Decision date"), decision.decided_on])
        append_row(sheet, [_("Issued by"), decision.issuer])
        append_row(sheet, [_("Year of the achievements"), decision.year])
        append_row(sheet, [_("Rule set"), str(decision.get_rule_set_display())])
        append_row(sheet, [_("Base salary (VND)"), decision.base_salary])
        append_row(sheet, [])
        header = [
            _("No."),
            pgettext("award", "Title"),
            _("Individual / collective"),
            _("Recipient"),
            _("Unit"),
            _("Multiplier"),
            _("Bonus (VND)"),
        ]
        append_row(sheet, header)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in _rows(decision):
            append_row(
                sheet,
                [
                    row["number"],
                    row["title"],
                    row["kind"],
                    row["recipient"],
                    row["unit"],
                    _("to be confirmed") if row["multiplier"] is None else row["multiplier"],
                    row["bonus"] if row["multiplier"] is not None else _("not computed"),
                ],
            )
        total = decision.total_bonus()
        append_row(
            sheet, ["", "", "", "", "", _("Total"), _("not computed") if total is None else total]
        )
        for column, width in zip("ABCDEFG", (6, 40, 18, 32, 40, 12, 16), strict=True):
            sheet.column_dimensions[column].width = width
        return save_xlsx(workbook, _provenance(decision, language, by))
