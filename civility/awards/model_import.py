"""A city's good models from one spreadsheet, and the count-only entries of years that kept
only totals.

The file is read and checked with the organisation app's import pieces (civility.orgs.imports:
the table, row-numbered problems, dates); every row is checked before anything is written,
then each model is registered through `actions.register_good_model` (the one way a model is
created, audited), all in the job's one transaction: all rows or none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.awards import actions
from civility.awards.models import (
    AwardLevel,
    GoodModel,
    ModelCategory,
    ModelKind,
    ModelStatus,
    ModelTally,
)
from civility.core.audit import acting_as
from civility.core.jobs import NO_PROGRESS, Progress
from civility.core.models import Job
from civility.orgs.imports import Column, ImportResult, Table, normalize
from civility.orgs.imports.cells import Sheet, UnitsUnder, parse_date
from civility.orgs.imports.columns import vocabulary_of
from civility.orgs.imports.stored import enqueue_stored_import
from civility.orgs.imports.templates import spreadsheet_csv, spreadsheet_template
from civility.orgs.models import OrgUnit

KIND = "awards.import_good_models"
# Files up to this size (a few thousand models) are imported within the request, by the job.

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    ModelCategory.ONE_STOP: ("Một cửa thân thiện", "Một cửa"),
    ModelCategory.GREEN_OFFICE: ("Công sở xanh",),
    ModelCategory.SCHOOL_CULTURE: ("Văn hóa học đường", "Văn hoá học đường"),
    ModelCategory.CIVILIZED_MARKET: ("Chợ văn minh", "Chợ văn minh an toàn"),
    ModelCategory.CULTURAL_RESIDENTIAL: ("Tổ dân phố văn hóa", "Khu dân cư văn hóa"),
    ModelCategory.RELIC_SITE: ("Di tích kiểu mẫu",),
    ModelCategory.DIGITAL: ("Chuyển đổi số",),
    ModelCategory.OTHER: ("Khác",),
}
KIND_WORDS: dict[str, tuple[str, ...]] = {
    ModelKind.MODEL: ("Mô hình", "Mô hình điển hình"),
    ModelKind.INITIATIVE: ("Sáng kiến",),
}
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    ModelStatus.PILOT: ("Thí điểm",),
    ModelStatus.EFFECTIVE: ("Hiệu quả", "Đang hiệu quả"),
    ModelStatus.RECOGNISED: ("Được công nhận", "Công nhận"),
    ModelStatus.STOPPED: ("Dừng", "Ngừng"),
}
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    AwardLevel.GRASSROOTS: ("Cơ sở",),
    AwardLevel.CITY: ("Thành phố", "Tỉnh"),
    AwardLevel.NATIONAL: ("Toàn quốc", "Trung ương"),
}
_WORDS = {
    "category": (CATEGORY_WORDS, ModelCategory),
    "kind": (KIND_WORDS, ModelKind),
    "status": (STATUS_WORDS, ModelStatus),
    "recognition_level": (LEVEL_WORDS, AwardLevel),
}
DATE_COLUMNS = ("started_on", "recognised_on")

# The Vietnamese titles are part of the file format, as in civility.orgs.imports.columns.
COLUMNS = (
    Column(
        "name",
        "Tên mô hình",
        True,
        gettext_lazy("The model's name in Vietnamese."),
        aliases=("ten", "ten mo hinh, sang kien", "model"),
        max_length=300,
        example="Chợ Đồng Xuân văn minh, an toàn",
    ),
    Column(
        "name_en",
        "Tên tiếng Anh",
        False,
        gettext_lazy("The model's name in English (optional)."),
        aliases=("english name",),
        max_length=300,
    ),
    Column(
        "category",
        "Lĩnh vực",
        True,
        gettext_lazy("One of the categories listed below, in Vietnamese or English."),
        aliases=("nhom", "linh vuc mo hinh"),
        example="Chợ văn minh",
    ),
    Column(
        "kind",
        "Loại",
        False,
        gettext_lazy("Good model or initiative; blank means a good model."),
        aliases=("loai mo hinh",),
        example="Mô hình",
    ),
    Column(
        "unit_code",
        "Mã đơn vị",
        False,
        gettext_lazy(
            "Code of the unit that started the model, under the unit you import into (a "
            "former unit too). Leave blank for the unit you import into itself."
        ),
        aliases=("ma don vi chu tri", "unit"),
        max_length=32,
        example="",
        text_format=True,
    ),
    Column(
        "started_on",
        "Ngày bắt đầu",
        True,
        gettext_lazy("The day the model started, as dd/mm/yyyy."),
        aliases=("ngay trien khai", "start date"),
        example="15/03/2021",
    ),
    Column(
        "status",
        "Tình trạng",
        False,
        gettext_lazy("Pilot, effective, recognised or stopped; blank means effective."),
        aliases=("trang thai",),
        example="Được công nhận",
    ),
    Column(
        "recognised_on",
        "Ngày công nhận",
        False,
        gettext_lazy("The day it was recognised, as dd/mm/yyyy (required when recognised)."),
        aliases=("ngay quyet dinh cong nhan",),
        example="20/12/2022",
    ),
    Column(
        "recognised_by",
        "Cơ quan, quyết định công nhận",
        False,
        gettext_lazy("The body and decision number (required when recognised)."),
        aliases=("quyet dinh cong nhan", "recognised by"),
        max_length=300,
        example="UBND quận, Quyết định 1234/QĐ-UBND",
    ),
    Column(
        "recognition_level",
        "Cấp công nhận",
        False,
        gettext_lazy("Grassroots, city/province or national (optional)."),
        aliases=("cap",),
        example="Cơ sở",
    ),
    Column(
        "description",
        "Mô tả",
        False,
        gettext_lazy("What the model does (optional)."),
        aliases=("noi dung",),
    ),
    Column(
        "evidence",
        "Minh chứng",
        False,
        gettext_lazy("Links or references, separated by new lines (optional)."),
        aliases=("tai lieu",),
    ),
)


@dataclass
class ModelsPlan:
    rows: list[tuple[int, OrgUnit, dict[str, Any]]] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)


def _choice(
    sheet: Sheet,
    number: int,
    values: list[Any],
    key: str,
    default: str,
    vocabularies: dict[str, dict[str, str]],
) -> str | None:
    words, _choices = _WORDS[key]
    text = sheet.text(values, key)
    if not text:
        return default
    value = vocabularies[key].get(normalize(text))
    if value is None:
        allowed = ", ".join(aliases[0] for aliases in words.values())
        sheet.error(
            number,
            key,
            _("'%(value)s' is not one of: %(allowed)s") % {"value": text, "allowed": allowed},
        )
    return value


def plan_good_models(*, root: OrgUnit, table: Table, today: datetime.date) -> ModelsPlan:
    """Every row checked against the file and the units under `root`; nothing written."""
    sheet = Sheet(table, COLUMNS)
    plan = ModelsPlan(result=ImportResult(errors=sheet.errors, warnings=sheet.warnings))
    if sheet.errors:
        return plan
    vocabularies = {key: vocabulary_of(words, choices) for key, (words, choices) in _WORDS.items()}
    units = UnitsUnder(root)
    existing = set(
        GoodModel.objects.filter(unit__path__startswith=root.path).values_list("unit_id", "name")
    )
    seen: dict[tuple[int, str], int] = {}
    for number, values in table.rows:
        errors_before = len(sheet.errors)
        data = {
            key: sheet.value(number, values, key)
            for key in ("name", "name_en", "recognised_by", "description", "evidence")
        }
        for key, default in (
            ("category", ""),
            ("kind", ModelKind.MODEL),
            ("status", ModelStatus.EFFECTIVE),
            ("recognition_level", ""),
        ):
            data[key] = _choice(sheet, number, values, key, default, vocabularies)
        if data["category"] == "":
            sheet.error(number, "category", _("is required"))
        for key in DATE_COLUMNS:
            data[key] = sheet.value(number, values, key, parse_date)
        unit = _unit(sheet, number, values, units)
        started_on, recognised_on = data["started_on"], data["recognised_on"]
        if started_on is None and len(sheet.errors) == errors_before:
            sheet.error(number, "started_on", _("is required"))
        for key in DATE_COLUMNS:
            if data[key] and data[key] > today:
                sheet.error(number, key, _("the date is in the future"))
        if started_on and recognised_on and recognised_on < started_on:
            sheet.error(number, "recognised_on", _("is before the day the model started"))
        if data["status"] == ModelStatus.RECOGNISED:
            if recognised_on is None and not sheet.text(values, "recognised_on"):
                sheet.error(number, "recognised_on", _("a recognised model needs this date"))
            if not data["recognised_by"]:
                sheet.error(number, "recognised_by", _("a recognised model needs the decision"))
        if len(sheet.errors) > errors_before or unit is None:
            continue
        same = (unit.pk, normalize(data["name"]))
        if same in seen:
            sheet.error(
                number,
                "name",
                _("the same model of the same unit is already in row %(row)s")
                % {"row": seen[same]},
            )
            continue
        seen[same] = number
        if (unit.pk, data["name"].strip()) in existing:
            sheet.warning(number, "name", _("already recorded for this unit; left as it is"))
            plan.result.unchanged += 1
            continue
        if data["status"] != ModelStatus.RECOGNISED:
            data.update(recognised_on=None, recognised_by="", recognition_level="")
        plan.rows.append((number, unit, data))
    plan.result.created = len(plan.rows)
    return plan


def _unit(sheet: Sheet, number: int, values: list[Any], units: UnitsUnder) -> OrgUnit | None:
    code = sheet.value(number, values, "unit_code")
    if not code:
        return units.root if code == "" else None
    unit, problem = units.by_code_only(code)
    if problem:
        sheet.error(number, "unit_code", problem)
    return unit


@transaction.atomic
def import_good_models(
    *,
    actor: User,
    root: OrgUnit,
    table: Table,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> ImportResult:
    """All the file's models or none; each registered (and audited) as if entered by hand."""
    progress = progress or NO_PROGRESS
    if not actions.can_manage(actor, root):
        raise PermissionDenied
    plan = plan_good_models(root=root, table=table, today=today or timezone.localdate())
    result = plan.result
    result.dry_run = dry_run
    if result.errors or dry_run:
        return result
    progress.start(len(plan.rows), _("Writing the good models"))
    for number, unit, data in plan.rows:
        try:
            actions.register_good_model(actor=actor, unit=unit, **data)
        except ValidationError as error:  # a check the plan does not make: still row-numbered
            raise ValidationError(
                _("Row %(row)s: %(message)s") % {"row": number, "message": " ".join(error.messages)}
            ) from None
        progress.advance(1)
    return result


def request_good_models_import(
    *, actor: User, root: OrgUnit, upload: UploadedFile[bytes], dry_run: bool = False
) -> Job:
    """Have a background job register the good models of the uploaded file; a small file is
    imported at once, by the same job. Returns the core Job."""
    if not actions.can_manage(actor, root):
        raise PermissionDenied
    title = _("Check a file of good models") if dry_run else _("Import good models")
    return enqueue_stored_import(
        actor=actor, kind=KIND, title=title, root=root, upload=upload, dry_run=dry_run
    )


# --- the template ------------------------------------------------------------------------


def _allowed(key: str) -> str:
    if key in _WORDS:
        words, choices = _WORDS[key]
        return "; ".join(
            f"{aliases[0]} = {choices(value).label}" for value, aliases in words.items()
        )
    if key in DATE_COLUMNS:
        return "dd/mm/yyyy"
    return ""


def template_xlsx() -> bytes:
    return spreadsheet_template(COLUMNS, allowed=_allowed, date_keys=DATE_COLUMNS)


def template_csv() -> bytes:
    return spreadsheet_csv(COLUMNS)


# --- count-only entries ------------------------------------------------------------------


@transaction.atomic
def record_model_tally(
    *,
    actor: User,
    unit: OrgUnit,
    year: int,
    category: str,
    count: int,
    source: str = "",
    today: datetime.date | None = None,
) -> ModelTally:
    """The number of good models a unit had in a category in a year, where only the total was
    kept; entering the same unit, year and category again replaces the number."""
    if not actions.can_manage(actor, unit):
        raise PermissionDenied
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("The year is in the future.")})
    if unit.valid_from and year < unit.valid_from.year:
        raise ValidationError({"year": _("The unit did not exist in that year.")})
    if unit.valid_to and year > unit.valid_to.year:
        raise ValidationError({"year": _("The unit no longer existed in that year.")})
    if count < 0:
        raise ValidationError({"count": _("The number cannot be negative.")})
    tally = ModelTally.objects.filter(unit=unit, year=year, category=category).first()
    tally = tally or ModelTally(unit=unit, year=year, category=category)
    tally.count, tally.source, tally.recorded_by = count, source.strip(), actor
    tally.full_clean(validate_unique=False)
    with acting_as(actor):
        tally.save()
    return tally
