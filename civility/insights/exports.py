"""Downloads: any table of the dashboards as .xlsx or .csv, and the periodic report of a
unit as .docx (laid out as a Vietnamese administrative report, Decree 30/2020/NĐ-CP) with
its tables as .xlsx."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from civility.awards.figures import CategoryCount, DecisionCounts
from civility.core import exports as core_exports
from civility.core.exports import append_row
from civility.core.i18n import format_number, format_percent
from civility.core.provenance import Provenance
from civility.insights import figures as insight_figures
from civility.insights.figures import ComponentLine, RankRow
from civility.insights.models import AnyUser, CultureIndex
from civility.insights.periods import Period
from civility.insights.reports import ReportFigures
from civility.orgs.models import OrgUnit

if TYPE_CHECKING:
    from docx.table import _Cell


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _num(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_bytes(tables: list[Table], provenance: Provenance) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.title, workbook.sheetnames))
        append_row(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, [_num(value) for value in row])
        for index, _header in enumerate(table.headers):
            letter = sheet.cell(row=2, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = 40 if index == 0 else 16
    return core_exports.save_xlsx(workbook, provenance)


def _sheet_title(title: str, taken: list[str]) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = clean, 2
    while name in taken:
        name, n = f"{clean[:25]} {n}", n + 1
    return name


def csv_text(table: Table, provenance: Provenance) -> str:
    return core_exports.csv_text([table.headers, *table.rows], provenance)


def provenance(*, title: str, unit: OrgUnit, period: Period, by: AnyUser) -> Provenance:
    """What every download and report of a unit's figures carries (see core.provenance)."""
    return Provenance.start(
        title=title, filters=[(_("Unit"), unit.display_name), (_("Period"), period.label)], by=by
    )


# --- dashboard tables ---------------------------------------------------------------------


def components_table(unit: OrgUnit, period: Period, entry: CultureIndex | None) -> Table:
    return _components_table(
        unit, period, entry, insight_figures.component_lines(entry, unit, period)
    )


def _components_table(
    unit: OrgUnit, period: Period, entry: CultureIndex | None, lines: Sequence[ComponentLine]
) -> Table:
    return Table(
        title=_("Index of %(unit)s, %(period)s")
        % {"unit": unit.display_name, "period": period.label},
        headers=[
            _("Component"),
            _("Value"),
            _("Unit"),
            _("Score (0–100)"),
            _("Band low"),
            _("Band high"),
            _("Weight"),
            _("Share of the index (%)"),
            _("Numerator"),
            _("Denominator"),
            _("Ranked on"),
            _("Small sample"),
            _("Method"),
        ],
        rows=[
            [
                line.label,
                line.value,
                line.unit_label,
                line.score if not line.missing else _("no data"),
                line.score_low,
                line.score_high,
                line.weight,
                line.effective_weight,
                line.numerator,
                line.denominator,
                line.estimate if line.is_shrunk else (None if line.missing else line.value),
                line.note,
                line.method,
            ]
            for line in lines
        ]
        + [
            [
                _("Culture index"),
                entry.score if entry else None,
                "",
                "",
                entry.score_low if entry else None,
                entry.score_high if entry else None,
                *[""] * 7,
            ]
        ],
    )


def ranking_table(unit: OrgUnit, period: Period) -> Table:
    return _ranking_table(unit, period, insight_figures.children_ranked(unit, period))


def _ranking_table(unit: OrgUnit, period: Period, rows: Sequence[RankRow]) -> Table:
    keys = insight_figures.component_keys()
    return Table(
        title=_("Ranking under %(unit)s, %(period)s")
        % {"unit": unit.display_name, "period": period.label},
        headers=[
            _("Rank"),
            _("Unit"),
            _("Index"),
            _("Band low"),
            _("Band high"),
            _("Places gained"),
            _("Previous rank"),
            _("Index change"),
            _("Bottom"),
            *[label for _key, label in keys],
            _("Small samples"),
        ],
        rows=[
            [
                row.rank,
                row.unit.display_name,
                row.score,
                row.low,
                row.high,
                row.movement,
                row.previous_rank,
                row.score_change,
                _("yes") if row.is_bottom else "",
                *[row.value(key) for key, _label in keys],
                " ".join(f"{label}: {note}" for _key, label, note in row.notes),
            ]
            for row in rows
        ],
    )


def trend_table(unit: OrgUnit, period: Period) -> Table:
    return Table(
        title=_("Trend of %(unit)s") % {"unit": unit.display_name},
        headers=[_("Period"), _("Index")],
        rows=[[p.label, score] for p, score in insight_figures.trend(unit, period)],
    )


TABLES: dict[str, Callable[..., Table]] = {
    "components": components_table,
    "ranking": ranking_table,
    "trend": trend_table,
}


# --- periodic report --------------------------------------------------------------------


def _pct(value: float | Decimal | None) -> str:
    return "—" if value is None else format_percent(value)


def report_sections(report: ReportFigures) -> list[tuple[str, list[str]]]:
    """The report's text, section by section (shared by .docx, .xlsx and tests)."""
    by_key = {line.key: line for line in report.components}

    def component(key: str) -> str:
        line = by_key[key]
        if line.missing:
            return _("no data for the period")
        return _("%(value)s %(unit)s (from %(num)s of %(den)s)") % {
            "value": _plain(line.value),
            "unit": line.unit_label,
            "num": _plain(line.numerator),
            "den": _plain(line.denominator),
        }

    dissemination = report.dissemination
    inspections = report.inspections
    actions = report.actions
    conduct = report.conduct
    ratings = report.ratings
    tasks = report.tasks
    entry = report.entry
    sections = [
        (
            _("I. Commitments and dissemination"),
            [
                _("Commitment completion: %(figure)s.") % {"figure": component("commitment")},
                _("Dissemination activities: %(count)s, reaching %(people)s people.")
                % {
                    "count": _plain(dissemination["total"]),
                    "people": _plain(dissemination["reached"]),
                },
                _("Risky public places reached: %(figure)s.")
                % {"figure": component("dissemination")},
            ],
        ),
        (
            _("II. Inspections and corrective actions"),
            [
                _("Inspections planned: %(planned)s; submitted: %(done)s.")
                % {"planned": _plain(inspections.planned), "done": _plain(inspections.done)},
                _("Mean inspection score: %(figure)s.") % {"figure": component("inspection_score")},
                _("Corrective actions due: %(due)s; closed: %(closed)s; overdue: %(overdue)s.")
                % {
                    "due": _plain(actions.due),
                    "closed": _plain(actions.closed),
                    "overdue": _plain(actions.overdue),
                },
            ],
        ),
        (
            _("III. Citizens' ratings"),
            [
                _("Ratings: %(count)s; satisfied: %(rate)s.")
                % {"count": _plain(ratings.ratings), "rate": _pct(ratings.satisfaction_rate)},
                _("Assistance calls: %(calls)s, answered in time: %(figure)s.")
                % {"calls": _plain(ratings.calls), "figure": component("assistance")},
            ],
        ),
        (
            _("IV. Violations"),
            [
                _(
                    "Violation records: %(total)s; confirmed: %(confirmed)s; dismissed: "
                    "%(dismissed)s; open: %(open)s."
                )
                % {
                    "total": _plain(conduct.total),
                    "confirmed": _plain(conduct.confirmed),
                    "dismissed": _plain(conduct.dismissed),
                    "open": _plain(conduct.open),
                },
                _("Confirmed violations per 100 officials: %(figure)s.")
                % {"figure": _plain(conduct.per_100_officials)},
            ],
        ),
        (
            _("V. Evaluations"),
            [
                _("Self-assessments submitted on time: %(figure)s.")
                % {"figure": component("evaluations")}
            ],
        ),
        (_("VI. Awards and good models"), _award_lines(report.decisions, report.models)),
        (
            _("VII. Programme tasks"),
            [
                _(
                    "Tasks due: %(total)s; done: %(done)s (on time: %(on_time)s); overdue: "
                    "%(overdue)s."
                )
                % {
                    "total": tasks.total,
                    "done": tasks.done,
                    "on_time": tasks.done_on_time,
                    "overdue": tasks.overdue,
                },
                _("Tasks done on time (index component): %(figure)s.")
                % {"figure": component("tasks")},
            ],
        ),
        (
            _("VIII. Culture index"),
            [
                _("Culture index of the unit: %(score)s (based on %(covered)s of the weights).")
                % {
                    "score": _plain(entry.score if entry else None),
                    "covered": format_percent(entry.weight_covered if entry else 0),
                }
            ]
            + (
                [
                    _("95 per cent band of the index: %(low)s to %(high)s.")
                    % {"low": _plain(entry.score_low), "high": _plain(entry.score_high)}
                ]
                if entry and entry.score_low is not None
                else []
            ),
        ),
    ]
    return sections


def _award_lines(decisions: DecisionCounts, models: Sequence[CategoryCount]) -> list[str]:
    """The decisions of the period (recorded ones said so) with their awards by title, then
    the good models as they stand."""
    if decisions.decisions:
        lines = [
            _("Commendation decisions: %(count)s; of them recorded for the archive: %(recorded)s.")
            % {"count": _plain(decisions.decisions), "recorded": _plain(decisions.recorded)}
        ]
        lines += [
            _("%(title)s: collectives %(collectives)s; individuals %(individuals)s.")
            % {
                "title": row.title,
                "collectives": _plain(row.collectives),
                "individuals": _plain(row.individuals),
            }
            for row in decisions.titles
        ]
    else:
        lines = [_("No commendation decision in the period.")]
    lines += [
        _("%(label)s: good models %(models)s; replications %(replications)s.")
        % {
            "label": row.label,
            "models": _plain(row.models),
            "replications": _plain(row.replications),
        }
        + (
            " "
            + _("Besides, count only (no list kept): %(count)s.")
            % {"count": _plain(row.count_only)}
            if row.count_only
            else ""
        )
        for row in models
    ] or [_("No good model recorded.")]
    return lines


def _plain(value: object) -> str:
    """A figure as the report's language writes it (55,61 in Vietnamese), its decimals kept."""
    if value is None:
        return "—"
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        value = value.normalize()
        exponent = value.as_tuple().exponent  # a letter for a NaN or an infinity
        return format_number(value, max(0, -exponent) if isinstance(exponent, int) else 0)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, 0)
    return str(value)


def _docx_ranking(ranking: Table) -> list[list[Any]]:
    """The ranking as printed: rank, unit, index, its band, places gained."""
    return [
        [*ranking.headers[:3], _("95 per cent band"), ranking.headers[5]],
        *(
            [*row[:3], "" if row[3] is None else f"{_plain(row[3])}–{_plain(row[4])}", row[5]]
            for row in ranking.rows
        ),
    ]


def report_docx(report: ReportFigures, provenance: Provenance) -> bytes:
    """The report as a .docx, drawn from `report` alone (no query)."""
    unit, period, today = report.unit, report.period, report.today
    sections = report_sections(report)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for section in document.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells

    def lines(cell: _Cell, items: list[tuple[str, bool, bool]]) -> None:
        cell.paragraphs[0].text = ""
        for position, (text, bold, italic) in enumerate(items):
            paragraph = cell.paragraphs[0] if position == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic

    issuer = [(report.superior, False, False)] if report.superior else []
    lines(
        left,
        [
            *issuer,
            (unit.display_name.upper(), True, False),
            (_("No.: ……/BC-……"), False, False),
        ],
    )
    lines(
        right,
        [
            (_("SOCIALIST REPUBLIC OF VIETNAM"), True, False),
            (_("Independence – Freedom – Happiness"), True, False),
            (
                _("%(place)s, day %(day)02d month %(month)02d year %(year)d")
                % {
                    "place": report.place,
                    "day": today.day,
                    "month": today.month,
                    "year": today.year,
                },
                False,
                True,
            ),
        ],
    )
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("REPORT"))
    run.bold = True
    run.font.size = Pt(14)
    subject = document.add_paragraph()
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subject.add_run(
        _(
            "Results of building the public-service culture and carrying out the codes of "
            "conduct, %(period)s"
        )
        % {"period": period.label}
    ).bold = True
    for heading, paragraphs in sections:
        document.add_paragraph().add_run(heading).bold = True
        for text in paragraphs:
            document.add_paragraph(text)
    ranking = _docx_ranking(_ranking_table(unit, period, report.ranking))
    if len(ranking) > 1:
        document.add_paragraph().add_run(_("Ranking of the units under it")).bold = True
        grid = document.add_table(rows=1, cols=len(ranking[0]))
        grid.style = "Table Grid"
        for cell, label in zip(grid.rows[0].cells, ranking[0], strict=True):
            cell.text = str(label)
        for row in ranking[1:]:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = "" if value is None else _plain(value)
    signature = document.add_table(rows=1, cols=2)
    recipients, signer = signature.rows[0].cells
    recipients.paragraphs[0].text = ""
    recipients.paragraphs[0].add_run(_("Recipients:")).bold = True
    recipients.add_paragraph(_("- As above;"))
    recipients.add_paragraph(_("- Filed: Office."))
    lines(
        signer,
        [
            (_("ON BEHALF OF %(unit)s") % {"unit": unit.display_name.upper()}, True, False),
            (_("HEAD"), True, False),
            (_("(Signature, full name, seal)"), False, True),
        ],
    )
    data = [[heading, text] for heading, texts in sections for text in texts]
    data += ranking
    return core_exports.save_docx(document, provenance, data=data)


def report_xlsx(report: ReportFigures, provenance: Provenance) -> bytes:
    """The report's tables as an .xlsx, drawn from `report` alone (no query)."""
    unit, period = report.unit, report.period
    summary = Table(
        title=_("Report of %(unit)s, %(period)s")
        % {"unit": unit.display_name, "period": period.label},
        headers=[_("Section"), _("Figure")],
        rows=[[heading, text] for heading, texts in report_sections(report) for text in texts],
    )
    conduct = report.conduct
    units = Table(
        title=_("Violations by unit"),
        headers=[
            _("Unit"),
            _("Records"),
            _("Confirmed about officials"),
            _("Officials"),
            _("Per 100 officials"),
        ],
        rows=[
            [row.unit.display_name, row.records, row.confirmed, row.officials, row.per_100]
            for row in conduct.units
        ],
    )
    inspections = Table(
        title=_("Inspection scores by unit"),
        headers=[_("Unit"), _("Place"), _("Inspections"), _("Mean score")],
        rows=[
            [row["name"], row["place"], row["count"], row["average"]]
            for row in report.inspection_units
        ],
    )
    components = _components_table(unit, period, report.entry, report.components)
    ranking = _ranking_table(unit, period, report.ranking)
    return xlsx_bytes([summary, components, ranking, units, inspections], provenance)
