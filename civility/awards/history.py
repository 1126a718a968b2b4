"""Earlier commendation decisions from one spreadsheet: one row per recipient.

A city moving in brings years of decisions on paper and in Excel. The file lists, on each
row, the decision (number, date, issuing unit — a former one too, if it existed on that
date —, signatory, movement, year of the achievements), the title and the recipient: a unit
for a collective title, an official for an individual one, found by code and, only where
that is unique, by name with diacritics and case ignored. Rows with the same issuing unit
and number are one decision.

Like the officials import (civility.orgs.imports) it reads the same file format, checks
every row before writing anything, reports problems by row, and runs as a core job with
progress; each decision is then written by `actions.record_earlier_decision`, which audits.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.awards.actions import (
    PastAward,
    can_decide,
    past_award_problem,
    past_decision_problems,
    record_earlier_decision,
)
from civility.awards.eligibility import title_for
from civility.awards.models import Award, AwardDecision, AwardTitle, Movement, ancestor_paths
from civility.core.jobs import NO_PROGRESS, Progress
from civility.core.models import Job
from civility.orgs.imports import Column, ImportResult, Table, normalize
from civility.orgs.imports.cells import (
    Sheet,
    UnitsUnder,
    code_key,
    only_one,
    parse_date,
    parse_year,
)
from civility.orgs.imports.stored import enqueue_stored_import
from civility.orgs.imports.templates import spreadsheet_template
from civility.orgs.models import Folded, Official, OrgUnit

KIND = "awards.import_past_decisions"

COLUMNS = (
    Column(
        "number",
        "Số quyết định",
        True,
        gettext_lazy(
            "The decision's number. Rows with the same number and issuing unit are one decision."
        ),
        aliases=("so qd", "so quyet dinh", "decision number"),
        max_length=64,
        example="125/QĐ-UBND",
        text_format=True,
    ),
    Column(
        "decided_on",
        "Ngày quyết định",
        True,
        gettext_lazy("The decision's date, as dd/mm/yyyy."),
        aliases=("ngay qd", "ngay ky", "decision date"),
        example="20/01/2022",
    ),
    Column(
        "issuing_unit",
        "Đơn vị ban hành",
        True,
        gettext_lazy(
            "Code (or exact name) of the issuing unit, under the unit you import into. A "
            "former unit is accepted if it still existed on the decision date."
        ),
        aliases=("ma don vi ban hanh", "co quan ban hanh", "issuing unit"),
        max_length=255,
        example="HUYEN-DA",
        text_format=True,
    ),
    Column(
        "issuer",
        "Người ký",
        True,
        gettext_lazy("Office and name of the signatory."),
        aliases=("nguoi ky quyet dinh", "signed by"),
        max_length=300,
        example="Chủ tịch UBND huyện Đông Anh",
    ),
    Column(
        "movement",
        "Phong trào thi đua",
        False,
        gettext_lazy(
            "Name or launching document of the emulation movement the decision commends "
            "(optional). It must already be recorded in Civility."
        ),
        aliases=("phong trao", "movement"),
        max_length=300,
    ),
    Column(
        "year",
        "Năm thành tích",
        False,
        gettext_lazy("The year of the achievements. Blank: the year of the decision."),
        aliases=("nam", "year of achievements"),
        example="2021",
    ),
    Column(
        "title",
        "Danh hiệu, hình thức khen thưởng",
        True,
        gettext_lazy(
            "The title as named in the catalogue (Vietnamese or English name, or its key). "
            "A decision before 2024 uses the pre-2024 catalogue."
        ),
        aliases=("danh hieu", "hinh thuc khen thuong", "title"),
        max_length=300,
        example="Tập thể lao động tiên tiến",
    ),
    Column(
        "recipient_code",
        "Mã đơn vị / Mã nhân sự",
        False,
        gettext_lazy(
            "For a collective title, the code of the unit commended; for a title given to "
            "people, the official's staff code."
        ),
        aliases=("ma", "ma nhan su", "ma don vi", "recipient code"),
        max_length=32,
        text_format=True,
    ),
    Column(
        "recipient_name",
        "Tên tập thể / Họ và tên",
        False,
        gettext_lazy(
            "The unit's or the official's name. Used only when there is no code, and only "
            "if exactly one unit or official under the issuing unit has that name."
        ),
        aliases=("ho va ten", "ho ten", "ten tap the", "recipient"),
        max_length=255,
        example="Phòng Văn hóa và Thông tin",
    ),
    Column(
        "recipient_unit",
        "Đơn vị công tác",
        False,
        gettext_lazy(
            "For a person: code of the unit they worked in, when the same staff code or name "
            "exists in several units (optional)."
        ),
        aliases=("ma don vi cong tac", "workplace"),
        max_length=32,
        text_format=True,
    ),
)


@dataclass
class PlannedDecision:
    row: int  # the first row of the decision
    unit: OrgUnit
    number: str
    decided_on: datetime.date
    issuer: str
    year: int
    movement: Movement | None
    awards: list[PastAward] = field(default_factory=list)


@dataclass
class Row:
    number: int
    decision: PlannedDecision
    title_text: str
    code: str
    name: str
    workplace: str
    title: AwardTitle | None = None
    award: PastAward | None = None


# --- the template --------------------------------------------------------------------------


def template_xlsx() -> bytes:
    return spreadsheet_template(
        COLUMNS,
        date_keys=("decided_on",),
        instructions=_(
            "One row per recipient, from row 2; repeat the decision's number, date, issuing "
            "unit and signatory on each of its rows. Delete the example row first."
        ),
    )


# --- checking the file ---------------------------------------------------------------------


def plan_past_decisions(
    *, root: OrgUnit, table: Table, progress: Progress | None = None
) -> tuple[list[PlannedDecision], ImportResult]:
    """Check every row against the file and the database; nothing is written. Returns the
    decisions to record and the result (its errors, by row)."""
    sheet = Sheet(table, COLUMNS)
    result = ImportResult(errors=sheet.errors, warnings=sheet.warnings)
    if sheet.errors:
        return [], result
    if progress is not None:
        progress.start(len(table.rows), _("Checking the rows"))
    units = UnitsUnder(root, names=True)
    movements = list(
        Movement.objects.filter(
            Q(unit__path__in=ancestor_paths(root)) | Q(unit__path__startswith=root.path)
        ).select_related("unit")
    )
    movements_by_name = defaultdict(list)
    for known in movements:
        for text in {known.name, known.name_en, known.reference} - {""}:
            movements_by_name[normalize(text)].append(known)

    decisions: dict[tuple[int, str], PlannedDecision] = {}
    rows: list[Row] = []
    for number, values in table.rows:
        before = len(sheet.errors)
        decision_number = sheet.value(number, values, "number")
        decided_on = sheet.value(number, values, "decided_on", parse_date)
        issuer = sheet.value(number, values, "issuer")
        year = sheet.value(number, values, "year", parse_year)
        issuing_text = sheet.value(number, values, "issuing_unit")
        issuing = None
        if issuing_text:
            issuing, problem = units.by_code_or_name(issuing_text)
            if problem:
                sheet.error(number, "issuing_unit", problem)
        movement_text = sheet.value(number, values, "movement")
        movement = None
        if movement_text:
            movement, problem = only_one(
                movements_by_name.get(normalize(movement_text), []), _("movement"), movement_text
            )
            if problem:
                sheet.error(number, "movement", problem)
        title_text = sheet.value(number, values, "title")
        code = sheet.value(number, values, "recipient_code") or ""
        name = sheet.value(number, values, "recipient_name") or ""
        workplace = sheet.value(number, values, "recipient_unit") or ""
        if not code and not name:
            sheet.error(number, "recipient_name", _("give the recipient's code or name"))
        if decided_on is None and "decided_on" in sheet.index and before == len(sheet.errors):
            sheet.error(number, "decided_on", _("is required"))
        if len(sheet.errors) > before or issuing is None or decided_on is None:
            continue  # both are required columns: a row without them has its error above
        year = year or decided_on.year
        key = (issuing.pk, normalize(decision_number))
        decision = decisions.get(key)
        if decision is None:
            decision = decisions[key] = PlannedDecision(
                number, issuing, decision_number, decided_on, issuer, year, movement
            )
            for name_, problem in past_decision_problems(
                unit=issuing, decided_on=decided_on, year=year, movement=movement
            ).items():
                sheet.error(number, {"unit": "issuing_unit"}.get(name_, name_), problem)
        else:
            for column, mine, theirs in (
                ("decided_on", decided_on, decision.decided_on),
                ("issuer", issuer, decision.issuer),
                ("year", year, decision.year),
                ("movement", movement, decision.movement),
            ):
                if mine != theirs:
                    sheet.error(
                        number,
                        column,
                        _("differs from row %(row)s of the same decision") % {"row": decision.row},
                    )
        rows.append(Row(number, decision, title_text, code, name, workplace))
        if progress is not None:
            progress.advance(message=_("Checking the rows"))
    _check_decisions_are_new(sheet, decisions.values())
    _match_recipients(sheet, rows, units)
    if sheet.errors:
        return [], result
    planned = list(decisions.values())
    result.created = sum(len(decision.awards) for decision in planned)
    return planned, result


def _check_decisions_are_new(sheet: Sheet, decisions: Collection[PlannedDecision]) -> None:
    condition = Q(pk__in=[])
    for decision in decisions:
        condition |= Q(unit=decision.unit, number__iexact=decision.number)
    for unit_id, number in AwardDecision.objects.filter(condition).values_list("unit", "number"):
        for decision in decisions:
            if decision.unit.pk == unit_id and normalize(decision.number) == normalize(number):
                sheet.error(
                    decision.row,
                    "number",
                    _("decision %(number)s of this unit is already recorded") % {"number": number},
                )


def _titles(rows: list[Row]) -> dict[tuple[int, str, int], AwardTitle | None]:
    """Each row's title version (in force at the end of its year), by issuing unit, the
    text written and the year; None where the catalogue has no such title."""
    found = {}
    for row in rows:
        decision = row.decision
        key = (decision.unit.pk, normalize(row.title_text), decision.year)
        if key in found:
            continue
        words = normalize(row.title_text)
        keys = {
            title.key
            for title in AwardTitle.objects.for_unit(decision.unit)
            if words in (normalize(title.key), normalize(title.name), normalize(title.name_en))
        }
        found[key] = title_for(decision.unit, keys.pop(), decision.year) if len(keys) == 1 else None
    return found


def _officials(rows: list[Row]) -> list[Official]:
    """The officials a row may mean: by staff code, or by folded name (at most a few
    hundred queries' worth of names in one statement)."""
    codes = {code_key(row.code) for row in rows if row.code}
    names = {row.name for row in rows if row.name and not row.code}
    condition = Q(staff_upper__in=codes) if codes else Q(pk__in=[])
    for name in names:
        condition |= Q(search_name=Folded(Value(name)))
    roots = {row.decision.unit.path for row in rows}
    under = Q(pk__in=[])
    for path in roots:
        under |= Q(unit__path__startswith=path)
    return list(
        Official.objects.annotate(staff_upper=Upper("staff_code"))
        .filter(under, condition)
        .select_related("unit")
    )


def _match_recipients(sheet: Sheet, rows: list[Row], units: UnitsUnder) -> None:
    titles = _titles(rows)
    individual_rows: list[tuple[Row, AwardTitle]] = []
    for row in rows:
        title = titles[(row.decision.unit.pk, normalize(row.title_text), row.decision.year)]
        if title is None:
            sheet.error(
                row.number,
                "title",
                _("'%(title)s' is not a title of the catalogue in force in %(year)s")
                % {"title": row.title_text, "year": row.decision.year},
            )
            continue
        row.title = title
        if not title.is_collective():
            individual_rows.append((row, title))
            continue
        issuer = row.decision.unit
        unit, problem = (
            units.by_code_or_name(row.code, under=issuer, names=False)
            if row.code
            else units.by_code_or_name(row.name, under=issuer, codes=False)
        )
        if problem:
            sheet.error(row.number, "recipient_code" if row.code else "recipient_name", problem)
            continue
        _add(sheet, row, PastAward(title.key, unit=unit))
    by_code, by_name = defaultdict(list), defaultdict(list)
    for official in _officials([row for row, _t in individual_rows]) if individual_rows else []:
        by_code[code_key(official.staff_code)].append(official)
        by_name[normalize(official.full_name)].append(official)
    for row, title in individual_rows:
        found = by_code[code_key(row.code)] if row.code else by_name[normalize(row.name)]
        candidates = [
            official
            for official in found
            if official.unit.path.startswith(row.decision.unit.path)
            and (not row.workplace or code_key(official.unit.code) == code_key(row.workplace))
        ]
        official, problem = only_one(candidates, _("official"), row.code or row.name)
        if problem:
            sheet.error(row.number, "recipient_code" if row.code else "recipient_name", problem)
            continue
        _add(sheet, row, PastAward(title.key, official=official))
    _check_not_held(sheet, rows)


def _add(sheet: Sheet, row: Row, award: PastAward) -> None:
    decided_on = row.decision.decided_on
    problem = past_award_problem(row.title, award, row.decision.unit, decided_on)
    official = award.official
    if not problem and official and official.left_on and not official.is_in_post_on(decided_on):
        problem = _("%(name)s had left on %(left)s, before the decision date.") % {
            "name": official.full_name,
            "left": official.left_on.strftime("%d/%m/%Y"),
        }
    if problem:
        sheet.error(row.number, "recipient_code" if row.code else "recipient_name", problem)
        return
    row.award = award
    row.decision.awards.append(award)


# A title held in a year: its key, the year, and "official" or "unit" with the holder's id.
Holder = tuple[str, int, str, int | None]


def _check_not_held(sheet: Sheet, rows: list[Row]) -> None:
    """A title is held once a year: not twice in the file, not again if already recorded."""
    placed = [(row, row.award) for row in rows if row.award is not None]
    seen: dict[Holder, int] = {}

    def holder(row: Row, award: PastAward) -> Holder:
        official, unit = award.official, award.unit
        who = ("official", official.pk) if official else ("unit", unit.pk if unit else None)
        return (award.title_key, row.decision.year, *who)

    for row, award in placed:
        key = holder(row, award)
        if key in seen:
            sheet.error(
                row.number,
                "recipient_code",
                _("%(name)s already has this title for %(year)s in row %(row)s")
                % {"name": award.name, "year": row.decision.year, "row": seen[key]},
            )
        seen.setdefault(key, row.number)
    if not placed:
        return
    held = Award.objects.filter(
        title_key__in={award.title_key for _row, award in placed},
        year__in={row.decision.year for row, _award in placed},
    ).filter(
        Q(official__in=[award.official for _row, award in placed if award.official])
        | Q(official__isnull=True, unit__in=[award.unit for _row, award in placed if award.unit])
    )
    existing = {
        (key, year, "official", official) if official else (key, year, "unit", unit)
        for key, year, official, unit in held.values_list("title_key", "year", "official", "unit")
    }
    for row, award in placed:
        if holder(row, award) in existing:
            sheet.error(
                row.number,
                "recipient_code",
                _("%(name)s already holds this title for %(year)s (an earlier decision)")
                % {"name": award.name, "year": row.decision.year},
            )


# --- importing -----------------------------------------------------------------------------


def import_past_decisions(
    *,
    actor: User,
    root: OrgUnit,
    table: Table,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[list[PlannedDecision], ImportResult]:
    """Record every decision of the file, or none: the whole file is checked first."""
    progress = progress or NO_PROGRESS
    if not can_decide(actor, root):
        raise PermissionDenied
    planned, result = plan_past_decisions(root=root, table=table, progress=progress)
    result.dry_run = dry_run
    if result.errors or dry_run:
        return planned, result
    progress.start(result.created, _("Recording the decisions"))
    for decision in planned:
        record_earlier_decision(
            actor=actor,
            unit=decision.unit,
            number=decision.number,
            decided_on=decision.decided_on,
            issuer=decision.issuer,
            year=decision.year,
            movement=decision.movement,
            awards=decision.awards,
        )
        progress.advance(len(decision.awards))
    return planned, result


def request_import(
    *, actor: User, root: OrgUnit, upload: UploadedFile[bytes], dry_run: bool = False
) -> Job:
    """Have a background job record the decisions of the uploaded file; a small file is
    imported at once, by the same job. Returns the core Job."""
    if not can_decide(actor, root):
        raise PermissionDenied
    title = _("Check a file of earlier decisions") if dry_run else _("Import earlier decisions")
    return enqueue_stored_import(
        actor=actor, kind=KIND, title=title, root=root, upload=upload, dry_run=dry_run
    )
