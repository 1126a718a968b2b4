"""Checklist templates as .xlsx: export a version, import a file as a new version.

One sheet "criteria", one row per criterion, sections repeated on each row (a new section
starts when the section title changes). Choice options are written
`value=score|label|label_en; …`; provisions `<code slug>:<article number>`.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from civility.core.exports import append_row, save_xlsx
from civility.core.provenance import Provenance
from civility.inspections.actions import provision_reference, structure_of, validate_structure
from civility.inspections.models import AnswerKind, TemplateVersion

COLUMNS = [
    "section",
    "section_en",
    "ref",
    "text",
    "text_en",
    "answer_kind",
    "max_score",
    "options",
    "weight",
    "photo_required",
    "allows_not_applicable",
    "provision",
    "guidance",
    "guidance_en",
]
TRUE = {"1", "yes", "true", "x", "có", "co"}
FALSE = {"", "0", "no", "false", "không", "khong"}


def _options_text(options: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{o['value']}={o.get('score', 0)}|{o.get('label', '')}|{o.get('label_en', '')}"
        for o in options
    )


def export_version(version: TemplateVersion, *, by: User) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "criteria"
    append_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for section in structure_of(version):
        for item in section["criteria"]:
            append_row(
                sheet,
                [
                    section["title"],
                    section["title_en"],
                    item["ref"],
                    item["text"],
                    item["text_en"],
                    item["answer_kind"],
                    item["max_score"],
                    _options_text(item["options"]),
                    float(item["weight"]),
                    "yes" if item["photo_required"] else "no",
                    "yes" if item["allows_not_applicable"] else "no",
                    provision_reference(item["provision"]),
                    item["guidance"],
                    item["guidance_en"],
                ],
            )
    for column, width in zip(
        "ABCDEFGHIJKLMN", (30, 30, 6, 50, 50, 10, 8, 30, 7, 8, 8, 14, 30, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    meta = workbook.create_sheet("template")
    template = version.template
    for key, value in (
        ("slug", template.slug),
        ("subject", template.subject),
        ("name", template.name),
        ("name_en", template.name_en),
        ("version", version.number),
    ):
        meta.append([key, value])
    provenance = Provenance.start(
        title=template.display_name,
        filters=[(_("Checklist"), template.slug), (_("Version"), version.number)],
        by=by,
    )
    return save_xlsx(workbook, provenance)


def _row_error(row: int, message: str) -> ValidationError:
    return ValidationError(_("Row %(row)d: %(message)s") % {"row": row, "message": message})


def _flag(value: object, row: int, column: str) -> bool:
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise _row_error(row, _("%(column)s must be yes or no.") % {"column": column})


def _options(text: object, row: int) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in str(text or "").split(";"))):
        head, _bar, labels = part.partition("|")
        value, _eq, score = head.partition("=")
        label, _bar2, label_en = labels.partition("|")
        try:
            number = float(score or 0)
        except ValueError:
            raise _row_error(
                row, _("the score of choice %(value)s is not a number.") % {"value": value}
            ) from None
        if not 0 <= number <= 1:
            raise _row_error(row, _("choice scores run from 0 to 1."))
        options.append(
            {
                "value": value.strip(),
                "score": number,
                "label": label.strip() or value.strip(),
                "label_en": label_en.strip(),
            }
        )
    return options


def parse_workbook(data: bytes) -> list[dict[str, Any]]:
    """The sections of a checklist .xlsx, or ValidationError naming the row."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook  # noqa: BLE001
        raise ValidationError(_("This file is not a readable .xlsx workbook.")) from None
    sheet = workbook["criteria"] if "criteria" in workbook.sheetnames else workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    missing = [name for name in ("section", "ref", "text") if name not in header]
    if missing:
        raise ValidationError(
            _("Row 1: missing column(s) %(columns)s.") % {"columns": ", ".join(missing)}
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    sections: list[dict[str, Any]] = []
    for number, values in enumerate(rows, start=2):

        def get(name: str, values: tuple[Any, ...] = values) -> Any:
            """The cell's value as openpyxl reads it (a string, number, date or None;
            openpyxl has no types)."""
            position = index.get(name)
            if position is None or position >= len(values):
                return None
            return values[position]

        if not any(value not in (None, "") for value in values):
            continue
        section_title = str(get("section") or "").strip()
        if not section_title:
            raise _row_error(number, _("the section is empty."))
        if not sections or sections[-1]["title"] != section_title:
            sections.append(
                {
                    "title": section_title,
                    "title_en": str(get("section_en") or "").strip(),
                    "criteria": [],
                }
            )
        kind = str(get("answer_kind") or AnswerKind.YES_NO).strip()
        if kind not in AnswerKind.values:
            raise _row_error(
                number,
                _("answer_kind must be one of %(kinds)s.")
                % {"kinds": ", ".join(AnswerKind.values)},
            )
        try:
            weight = Decimal(str(get("weight") if get("weight") not in (None, "") else 1))
        except InvalidOperation:
            raise _row_error(number, _("the weight is not a number.")) from None
        max_score = get("max_score")
        try:
            max_score = int(max_score) if max_score not in (None, "") else None
        except (TypeError, ValueError):
            raise _row_error(number, _("max_score is not a whole number.")) from None
        sections[-1]["criteria"].append(
            {
                "ref": str(get("ref") or "").strip(),
                "text": str(get("text") or "").strip(),
                "text_en": str(get("text_en") or "").strip(),
                "answer_kind": kind,
                "max_score": max_score,
                "options": _options(get("options"), number),
                "weight": weight,
                "photo_required": _flag(get("photo_required"), number, "photo_required"),
                "allows_not_applicable": _flag(
                    get("allows_not_applicable")
                    if get("allows_not_applicable") is not None
                    else "yes",
                    number,
                    "allows_not_applicable",
                ),
                "provision": str(get("provision") or "").strip() or None,
                "guidance": str(get("guidance") or ""),
                "guidance_en": str(get("guidance_en") or ""),
                "_row": number,
            }
        )
    for section in sections:
        for item in section["criteria"]:
            row = item.pop("_row")
            try:
                validate_structure([{"title": section["title"], "criteria": [item]}])
            except ValidationError as error:
                raise _row_error(row, " ".join(error.messages)) from None
    return sections
