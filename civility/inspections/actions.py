"""Workflows for templates, plans, inspections, findings and corrective actions.

Views, the API and tasks call these; each checks permission, validates, writes in one
transaction and is audited (`acting_as`).
"""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.codes.models import Article, Code, VersionStatus
from civility.conduct.actions import draft_record_from_finding
from civility.conduct.models import READER_ROLES as RECORD_READER_ROLES
from civility.core.attachments import OFFICE, PHOTOS, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.i18n import format_number, person_name
from civility.core.photos import clean_photo
from civility.inspections import scoring
from civility.inspections.models import (
    ESCALATION_ROLES,
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    RESPONDER_ROLES,
    ActionEscalation,
    ActionReminder,
    ActionStatus,
    ActionStep,
    Amendment,
    Answer,
    AnswerKind,
    ChecklistTemplate,
    CorrectiveAction,
    Criterion,
    EvidenceFile,
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    Photo,
    Section,
    TemplateVersion,
)
from civility.orgs.models import Official, OrgUnit, Place, RoleAssignment, UnitKind
from civility.orgs.provinces import ensure_shipped_for
from civility.orgs.scopes import Role, scope_of

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
# The checklists Civility ships, by the official code of the province they were written
# for: Hanoi's cite its two codes (Decisions 522 and 1665), so they are offered to Hanoi only.
SEEDS = {"01": ("one-stop-counter", "office-culture", "public-place")}
# Days to the deadline on which owners of an unfinished action are reminded (negative: after
# it); settings.INSPECTION_ACTION_REMINDER_DAYS overrides.
DEFAULT_REMINDER_DAYS = (3, 1, -1, -3, -7)
# Days after the deadline on which an action still open escalates one level up (step 1 to the
# parent unit, step 2 to the grandparent...); settings.INSPECTION_ACTION_ESCALATION_DAYS.
DEFAULT_ESCALATION_DAYS = (14, 30)
DOCUMENT_NUMBER_FORMAT = "%(number)d/BB-KT"
CRITERION_FIELDS = frozenset(
    {
        "text",
        "text_en",
        "guidance",
        "guidance_en",
        "answer_kind",
        "max_score",
        "options",
        "weight",
        "photo_required",
        "allows_not_applicable",
        "provision",
    }
)


# --- Permissions -------------------------------------------------------------------------


def can_manage_template(user, template: ChecklistTemplate) -> bool:
    return scope_of(user).covers(template.unit, roles=MANAGER_ROLES)


def can_manage_plan(user, plan: InspectionPlan) -> bool:
    return scope_of(user).covers(plan.unit, roles=MANAGER_ROLES)


def can_conduct(user, inspection: Inspection) -> bool:
    """Inspectors of the inspecting unit, and the delegation's members."""
    if scope_of(user).covers(inspection.inspecting_unit, roles=INSPECTOR_ROLES):
        return True
    return user.is_authenticated and inspection.team.filter(pk=user.pk).exists()


def can_respond(user, action: CorrectiveAction) -> bool:
    return scope_of(user).covers(action.unit, roles=RESPONDER_ROLES)


def can_verify(user, action: CorrectiveAction) -> bool:
    """Whether `user` may close a corrective action or send it back. Verification is
    someone else's than the answer's: never a user who responded to the action, and only
    from the side that issued the recommendation: an inspecting role on the inspecting
    unit (or a unit above it) held outside the responsible unit, or a seat on the
    delegation for a member with no role in the responsible unit. Without this a
    coordinator of the responsible unit could answer an action and close it."""
    if not user.is_authenticated:
        return False
    # Read through .all() so that lists prefetch the steps and the delegation once.
    if action.responded_by_id == user.pk or any(
        step.kind == ActionStep.Kind.RESPONDED and step.by_id == user.pk
        for step in action.steps.all()
    ):
        return False
    scope = scope_of(user)
    if scope.is_global:
        return True
    inspection = action.finding.inspection
    owner = action.unit.path
    if any(
        inspection.inspecting_unit.path.startswith(path) and not path.startswith(owner)
        for path in scope.paths_with_role(*INSPECTOR_ROLES)
    ):
        return True
    if any(path.startswith(owner) for _role, path in scope.grants):
        return False
    return any(member.pk == user.pk for member in inspection.team.all())


def may_see_official(user, finding: Finding, *, conducting: bool | None = None) -> bool:
    """Whether `user` may read the name of the official a finding is about: it is as
    confidential as the violation record the finding opens, so only the inspecting side,
    the record's handlers (conduct READER_ROLES over the official's unit) and the official.
    `conducting`: can_conduct(user, finding.inspection), when the caller knows it."""
    official = finding.official
    if official is None:
        return True
    if conducting is None:
        conducting = can_conduct(user, finding.inspection)
    if conducting or (user.is_authenticated and official.user_id == user.pk):
        return True
    return scope_of(user).covers(official.unit, roles=RECORD_READER_ROLES)


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _ensure_open(inspection: Inspection) -> None:
    if inspection.is_locked():
        raise ValidationError(
            _("This inspection is %(status)s and locked; corrections are made as amendments.")
            % {"status": inspection.get_status_display().lower()}
        )


# --- Templates ---------------------------------------------------------------------------


def seed_data(slug: str) -> dict:
    return json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def _provision(reference: str | None, *, unit: OrgUnit) -> Article | None:
    """ "hanoi-522:4" → article 4 of the published version of that code, if it is loaded and
    applies to `unit` (issued by it or a unit above it: never another province's code)."""
    if not reference:
        return None
    slug, _sep, number = reference.partition(":")
    code = Code.objects.filter(slug=slug).select_related("unit").first()
    if code is None or not unit.path.startswith(code.unit.path) or not number.isdigit():
        return None
    return (
        Article.objects.filter(
            chapter__version__code=code,
            chapter__version__status=VersionStatus.PUBLISHED,
            number=int(number),
        )
        .order_by("pk")
        .first()
    )


def provision_reference(article: Article | None) -> str:
    if article is None:
        return ""
    return f"{article.chapter.version.code.slug}:{article.number}"


def validate_structure(sections: list[dict]) -> None:
    """Check a template's structure (from seeds, forms or .xlsx) before writing anything."""
    if not sections or not any(section.get("criteria") for section in sections):
        raise ValidationError(_("A checklist needs at least one section with one criterion."))
    refs: set[str] = set()
    for section in sections:
        if not str(section.get("title", "")).strip():
            raise ValidationError(_("Every section needs a title."))
        for item in section.get("criteria", []):
            ref = str(item.get("ref", "")).strip()
            where = ref or str(item.get("text", ""))[:40]
            if not ref:
                raise ValidationError(_("Criterion %(text)s has no reference.") % {"text": where})
            if ref in refs:
                raise ValidationError(
                    _("Reference %(ref)s is used twice.") % {"ref": ref}, code="duplicate"
                )
            refs.add(ref)
            if not str(item.get("text", "")).strip():
                raise ValidationError(_("Criterion %(ref)s has no text.") % {"ref": ref})
            kind = item.get("answer_kind", AnswerKind.YES_NO)
            if kind not in AnswerKind.values:
                raise ValidationError(
                    _("Criterion %(ref)s: unknown answer kind %(kind)s.")
                    % {"ref": ref, "kind": kind}
                )
            if kind == AnswerKind.SCORE and not item.get("max_score"):
                raise ValidationError(
                    _("Criterion %(ref)s: a score answer needs its highest score.") % {"ref": ref}
                )
            if kind == AnswerKind.CHOICE and not item.get("options"):
                raise ValidationError(
                    _("Criterion %(ref)s: a choice answer needs choices.") % {"ref": ref}
                )
            try:
                weight = float(item.get("weight", 1))
            except (TypeError, ValueError):
                weight = 0
            if weight <= 0:
                raise ValidationError(
                    _("Criterion %(ref)s: the weight must be greater than 0.") % {"ref": ref}
                )


def _write_structure(version: TemplateVersion, sections: list[dict]) -> None:
    for s_pos, section_data in enumerate(sections, start=1):
        section = Section.objects.create(
            version=version,
            position=s_pos,
            title=section_data["title"].strip(),
            title_en=section_data.get("title_en", "").strip(),
        )
        for c_pos, item in enumerate(section_data.get("criteria", []), start=1):
            provision = item.get("provision")
            if not isinstance(provision, Article):
                provision = _provision(provision, unit=version.template.unit)
            criterion = Criterion(
                section=section,
                position=c_pos,
                ref=str(item["ref"]).strip(),
                text=item["text"].strip(),
                text_en=item.get("text_en", "").strip(),
                guidance=item.get("guidance", ""),
                guidance_en=item.get("guidance_en", ""),
                answer_kind=item.get("answer_kind", AnswerKind.YES_NO),
                max_score=item.get("max_score") or None,
                options=item.get("options") or [],
                weight=item.get("weight", 1),
                photo_required=bool(item.get("photo_required", False)),
                allows_not_applicable=bool(item.get("allows_not_applicable", True)),
                provision=provision,
            )
            criterion.full_clean(exclude=["section"])
            criterion.save()


def structure_of(version: TemplateVersion) -> list[dict]:
    sections = version.sections.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.select_related("provision__chapter"))
    )
    return [
        {
            "title": section.title,
            "title_en": section.title_en,
            "criteria": [
                {
                    "ref": c.ref,
                    "text": c.text,
                    "text_en": c.text_en,
                    "guidance": c.guidance,
                    "guidance_en": c.guidance_en,
                    "answer_kind": c.answer_kind,
                    "max_score": c.max_score,
                    "options": c.options,
                    "weight": c.weight,
                    "photo_required": c.photo_required,
                    "allows_not_applicable": c.allows_not_applicable,
                    "provision": c.provision,
                }
                for c in section.criteria.all()
            ],
        }
        for section in sections
    ]


@transaction.atomic
def create_template(
    *, actor, unit: OrgUnit, slug: str, subject: str, name: str, name_en: str, sections
) -> ChecklistTemplate:
    if actor is not None and not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    if ChecklistTemplate.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A template with this short name already exists.")})
    validate_structure(sections)
    template = ChecklistTemplate(unit=unit, slug=slug, subject=subject, name=name, name_en=name_en)
    template.full_clean()
    with acting_as(actor):
        template.save()
        version = TemplateVersion.objects.create(template=template, number=1, created_by=actor)
        _write_structure(version, sections)
    return template


@transaction.atomic
def create_template_version(
    *, actor, template: ChecklistTemplate, sections: list[dict], note: str = ""
) -> TemplateVersion:
    """A new version with the given structure; earlier versions stay as they are."""
    _ensure(actor is None or can_manage_template(actor, template))
    validate_structure(sections)
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    latest = template.current_version()
    with acting_as(actor):
        version = TemplateVersion.objects.create(
            template=template,
            number=(latest.number + 1) if latest else 1,
            note=note.strip()[:500],
            created_by=actor,
        )
        _write_structure(version, sections)
    return version


@transaction.atomic
def load_template_seed(*, actor, unit: OrgUnit, slug: str) -> ChecklistTemplate:
    """Create a shipped template under `unit`, once; only for the province it was written
    for."""
    ensure_shipped_for(unit, slug, SEEDS)
    existing = ChecklistTemplate.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    data = seed_data(slug)
    return create_template(
        actor=actor,
        unit=unit,
        slug=slug,
        subject=data["subject"],
        name=data["name"],
        name_en=data["name_en"],
        sections=data["sections"],
    )


@transaction.atomic
def update_criterion(*, actor, criterion: Criterion, note: str = "", **changes) -> Criterion:
    """Change a criterion. When its version is already used by an inspection, a new version
    is made with the change, so past inspections keep what they were run against; the
    returned criterion is then the one in the new version."""
    unknown = set(changes) - CRITERION_FIELDS
    if unknown:
        raise TypeError(f"update_criterion() got unknown fields: {sorted(unknown)}")
    version = criterion.section.version
    _ensure(can_manage_template(actor, version.template))
    latest = version.template.current_version()
    if latest.pk != version.pk:
        raise ValidationError(_("Only the latest version of a template can be changed."))
    if version.is_in_use():
        sections = structure_of(version)
        for section in sections:
            for item in section["criteria"]:
                if item["ref"] == criterion.ref:
                    item.update(changes)
        new_version = create_template_version(
            actor=actor,
            template=version.template,
            sections=sections,
            note=note or _("Criterion %(ref)s changed.") % {"ref": criterion.ref},
        )
        return Criterion.objects.get(section__version=new_version, ref=criterion.ref)
    for name, value in changes.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    with acting_as(actor):
        criterion.save()
    return criterion


# --- Plans and inspections ---------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor, unit: OrgUnit, year: int, title: str, notes: str = "") -> InspectionPlan:
    _ensure(scope_of(actor).covers(unit, roles=MANAGER_ROLES))
    plan = InspectionPlan(
        unit=unit, year=year, title=title.strip(), notes=notes.strip(), created_by=actor
    )
    plan.full_clean()
    with acting_as(actor):
        plan.save()
    return plan


def _check_target(
    *, kind: str, inspecting_unit: OrgUnit, unit: OrgUnit, actor, where: str = "unit"
) -> None:
    inside = unit.path.startswith(inspecting_unit.path)
    if kind == InspectionKind.CROSS:
        if inside or inspecting_unit.path.startswith(unit.path):
            raise ValidationError(
                {where: _("A cross inspection is of a peer unit, not one above or below.")}
            )
        # Arranged by someone who oversees the inspected unit too (usually the level above).
        if not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
            raise PermissionDenied
    elif not inside:
        raise ValidationError({where: _("The unit or place must be under the inspecting unit.")})


def _new_inspection(
    *,
    actor,
    kind: str,
    inspecting_unit: OrgUnit,
    template: ChecklistTemplate,
    unit: OrgUnit | None,
    place: Place | None,
    planned_on: datetime.date | None,
    plan: InspectionPlan | None = None,
    team=(),
    team_note: str = "",
    status: str = InspectionStatus.PLANNED,
) -> Inspection:
    if place is not None:
        unit = place.unit
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit or the public place to inspect.")})
    _check_target(kind=kind, inspecting_unit=inspecting_unit, unit=unit, actor=actor)
    version = template.current_version()
    if version is None:
        raise ValidationError({"template": _("This template has no version yet.")})
    inspection = Inspection(
        plan=plan,
        kind=kind,
        status=status,
        template_version=version,
        inspecting_unit=inspecting_unit,
        unit=unit,
        place=place,
        planned_on=planned_on,
        team_note=team_note.strip(),
        created_by=actor,
        started_at=timezone.now() if status == InspectionStatus.IN_PROGRESS else None,
    )
    inspection.full_clean()
    inspection.save()
    members = list(team)
    if actor is not None and status == InspectionStatus.IN_PROGRESS:
        members.append(actor)
    if members:
        inspection.team.add(*members)
    return inspection


@transaction.atomic
def add_plan_inspections(
    *,
    actor,
    plan: InspectionPlan,
    template: ChecklistTemplate,
    planned_on: datetime.date,
    units=(),
    places=(),
    kind: str = InspectionKind.PLANNED,
    inspecting_unit: OrgUnit | None = None,
    team=(),
    team_note: str = "",
) -> list[Inspection]:
    """Schedule one inspection per unit and per place on `planned_on`."""
    _ensure(can_manage_plan(actor, plan))
    inspecting_unit = inspecting_unit or plan.unit
    if not inspecting_unit.path.startswith(plan.unit.path):
        raise ValidationError({"inspecting_unit": _("The inspecting unit must be in the plan's.")})
    if planned_on.year != plan.year:
        raise ValidationError(
            {"planned_on": _("The date must be in %(year)d.") % {"year": plan.year}}
        )
    if not units and not places:
        raise ValidationError({"units": _("Choose at least one unit or public place.")})
    created = []
    with acting_as(actor):
        for target_unit in units:
            created.append(
                _new_inspection(
                    actor=actor,
                    kind=kind,
                    inspecting_unit=inspecting_unit,
                    template=template,
                    unit=target_unit,
                    place=None,
                    planned_on=planned_on,
                    plan=plan,
                    team=team,
                    team_note=team_note,
                )
            )
        for place in places:
            created.append(
                _new_inspection(
                    actor=actor,
                    kind=kind,
                    inspecting_unit=inspecting_unit,
                    template=template,
                    unit=None,
                    place=place,
                    planned_on=planned_on,
                    plan=plan,
                    team=team,
                    team_note=team_note,
                )
            )
    return created


@transaction.atomic
def start_inspection_on_the_spot(
    *,
    actor,
    inspecting_unit: OrgUnit,
    template: ChecklistTemplate,
    unit: OrgUnit | None = None,
    place: Place | None = None,
    kind: str = InspectionKind.SURPRISE,
) -> Inspection:
    """A surprise (or cross) inspection created by an inspector where they stand."""
    _ensure(scope_of(actor).covers(inspecting_unit, roles=INSPECTOR_ROLES))
    if kind not in (InspectionKind.SURPRISE, InspectionKind.CROSS):
        raise ValidationError({"kind": _("Only surprise or cross inspections start on the spot.")})
    with acting_as(actor):
        return _new_inspection(
            actor=actor,
            kind=kind,
            inspecting_unit=inspecting_unit,
            template=template,
            unit=unit,
            place=place,
            planned_on=timezone.localdate(),
            status=InspectionStatus.IN_PROGRESS,
        )


@transaction.atomic
def cancel_inspection(*, actor, inspection: Inspection) -> Inspection:
    _ensure(
        scope_of(actor).covers(inspection.inspecting_unit, roles=MANAGER_ROLES)
        or (inspection.plan is not None and can_manage_plan(actor, inspection.plan))
    )
    _ensure_open(inspection)
    inspection.status = InspectionStatus.CANCELLED
    with acting_as(actor):
        inspection.save(update_fields=["status"])
    return inspection


@dataclass
class AnswerIn:
    client_id: uuid.UUID
    criterion_id: int
    value: str = ""
    not_applicable: bool = False
    note: str = ""
    answered_at: datetime.datetime | None = None


@dataclass
class AnswerResult:
    client_id: uuid.UUID
    criterion_id: int
    status: str  # "saved", "stale" (a newer answer is kept), "rejected"
    message: str = ""


_UPSERT = """
INSERT INTO inspections_answer
    (inspection_id, criterion_id, client_id, value, not_applicable, note, answered_at,
     answered_by_id, received_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (inspection_id, criterion_id) DO UPDATE SET
    client_id = EXCLUDED.client_id, value = EXCLUDED.value,
    not_applicable = EXCLUDED.not_applicable, note = EXCLUDED.note,
    answered_at = EXCLUDED.answered_at, answered_by_id = EXCLUDED.answered_by_id,
    received_at = EXCLUDED.received_at
WHERE inspections_answer.answered_at <= EXCLUDED.answered_at
RETURNING id
"""


def _validated(criterion: Criterion, item: AnswerIn) -> tuple[str, bool]:
    if item.not_applicable:
        if not criterion.allows_not_applicable:
            raise ValidationError(
                _("Criterion %(ref)s cannot be marked not applicable.") % {"ref": criterion.ref}
            )
        return "", True
    return scoring.parse_value(criterion, item.value), False


@transaction.atomic
def record_answers(*, actor, inspection: Inspection, answers: list[AnswerIn]) -> list[AnswerResult]:
    """Store answers sent by the phone, each exactly once.

    An answer carries the id the phone generated for it. One row is kept per criterion: a
    resent answer (same id) changes nothing, and an older answer arriving after a newer one
    (the phone was offline) does not overwrite it. Each answer is judged on its own, so one
    bad value does not lose the others.
    """
    _ensure(can_conduct(actor, inspection))
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    criteria = {c.pk: c for c in inspection.template_version.criteria()}
    now = timezone.now()
    # One query for the resends, instead of one per answer.
    stored_here = set(
        Answer.objects.filter(
            client_id__in=[item.client_id for item in answers], inspection=inspection
        ).values_list("client_id", flat=True)
    )
    results = []
    for item in answers:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            results.append(
                AnswerResult(
                    item.client_id,
                    item.criterion_id,
                    "rejected",
                    _("This criterion is not in the inspection's checklist."),
                )
            )
            continue
        if item.client_id in stored_here:
            results.append(AnswerResult(item.client_id, criterion.pk, "saved"))  # a resend
            continue
        if inspection.is_locked():
            message = _(
                "This inspection is %(status)s and locked; corrections are made as amendments."
            ) % {"status": inspection.get_status_display().lower()}
            results.append(AnswerResult(item.client_id, criterion.pk, "rejected", message))
            continue
        try:
            value, not_applicable = _validated(criterion, item)
        except ValidationError as error:
            results.append(
                AnswerResult(item.client_id, criterion.pk, "rejected", " ".join(error.messages))
            )
            continue
        answered_at = min(item.answered_at or now, now)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    _UPSERT,
                    [
                        inspection.pk,
                        criterion.pk,
                        item.client_id,
                        value,
                        not_applicable,
                        item.note.strip()[:5000],
                        answered_at,
                        getattr(actor, "pk", None),
                        now,  # the clock answered_at is capped by, not the database's
                    ],
                )
                row = cursor.fetchone()
        except IntegrityError:
            results.append(
                AnswerResult(
                    item.client_id,
                    criterion.pk,
                    "rejected",
                    _("This answer id was already used for another answer."),
                )
            )
            continue
        results.append(AnswerResult(item.client_id, criterion.pk, "saved" if row else "stale"))
    if inspection.status == InspectionStatus.PLANNED and any(r.status == "saved" for r in results):
        inspection.status = InspectionStatus.IN_PROGRESS
        inspection.started_at = now
        with acting_as(actor):
            inspection.save(update_fields=["status", "started_at"])
    return results


@transaction.atomic
def add_photo(
    *,
    actor,
    inspection: Inspection,
    upload,
    client_id: uuid.UUID | None = None,
    criterion: Criterion | None = None,
) -> tuple[Photo, bool]:
    """Store a photo without its metadata; the same client id sent twice stores it once."""
    _ensure(can_conduct(actor, inspection))
    client_id = client_id or uuid.uuid4()
    existing = Photo.objects.filter(client_id=client_id, inspection=inspection).first()
    if existing is not None:
        return existing, False
    _ensure_open(inspection)
    if criterion is not None and criterion.section.version_id != inspection.template_version_id:
        raise ValidationError({"criterion": _("This criterion is not in the checklist.")})
    clean = clean_photo(upload)
    photo = Photo(
        inspection=inspection,
        criterion=criterion,
        client_id=client_id,
        width=clean.width,
        height=clean.height,
        original_format=clean.original_format,
        uploaded_by=actor,
    )
    photo.image.save(clean.content.name, clean.content, save=False)
    with acting_as(actor):
        photo.save()
    return photo, True


@transaction.atomic
def delete_photo(*, actor, photo: Photo) -> None:
    _ensure(can_conduct(actor, photo.inspection))
    _ensure_open(photo.inspection)
    with acting_as(actor):
        photo.image.delete(save=False)
        photo.delete()


def compute_score(inspection: Inspection) -> scoring.Result:
    sections = inspection.template_version.sections.prefetch_related("criteria")
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    return scoring.score(sections, answers)


def missing_items(inspection: Inspection) -> list[str]:
    """What stops submission: unanswered criteria and required photos not taken."""
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    with_photos = set(inspection.photos.values_list("criterion_id", flat=True))
    problems = []
    for criterion in inspection.template_version.criteria():
        answer = answers.get(criterion.pk)
        if answer is None:
            problems.append(_("%(ref)s is not answered.") % {"ref": criterion.ref})
        elif (
            criterion.photo_required
            and not answer.not_applicable
            and criterion.pk not in with_photos
        ):
            problems.append(_("%(ref)s needs a photo.") % {"ref": criterion.ref})
    return problems


def _next_document_number(inspection: Inspection, day: datetime.date) -> str:
    OrgUnit.objects.select_for_update().get(pk=inspection.inspecting_unit_id)
    count = (
        Inspection.objects.filter(
            inspecting_unit=inspection.inspecting_unit_id,
            submitted_at__year=day.year,
            status=InspectionStatus.SUBMITTED,
        )
        .exclude(pk=inspection.pk)
        .count()
    )
    return DOCUMENT_NUMBER_FORMAT % {"number": count + 1}


@transaction.atomic
def submit_inspection(
    *, actor, inspection: Inspection, inspected_on: datetime.date | None = None
) -> Inspection:
    """Compute the score and lock the inspection. `inspected_on`: the day it took place,
    for one entered afterwards (default: today); its documents carry that day."""
    _ensure(can_conduct(actor, inspection))
    if inspected_on is not None and inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("The inspection date cannot be in the future.")})
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _ensure_open(inspection)
    problems = missing_items(inspection)
    if problems:
        raise ValidationError(
            _("The inspection cannot be submitted yet: %(problems)s")
            % {"problems": " ".join(problems)}
        )
    result = compute_score(inspection)
    now = timezone.now()
    inspection.score = result.percent
    inspection.section_scores = result.as_json()
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = now
    inspection.submitted_by = actor
    inspection.started_at = inspection.started_at or now
    if inspected_on is not None and inspected_on != timezone.localdate(now):
        inspection.inspected_on = inspected_on
    if not inspection.document_number:
        inspection.document_number = _next_document_number(inspection, inspection.day)
    with acting_as(actor):
        inspection.save()
    return inspection


@transaction.atomic
def amend_answer(
    *,
    actor,
    inspection: Inspection,
    criterion: Criterion,
    value: str = "",
    not_applicable: bool = False,
    note: str | None = None,
    reason: str,
) -> Amendment:
    """Correct an answer of a submitted inspection: the score is recomputed and the change,
    its reason and its author are kept (and audited)."""
    _ensure(can_conduct(actor, inspection))
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not inspection.is_submitted():
        raise ValidationError(_("Only a submitted inspection is amended; change the answer."))
    if criterion.section.version_id != inspection.template_version_id:
        raise ValidationError({"criterion": _("This criterion is not in the checklist.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is corrected.")})
    item = AnswerIn(uuid.uuid4(), criterion.pk, value, not_applicable, note or "")
    try:
        new_value, new_na = _validated(criterion, item)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None
    answer = Answer.objects.filter(inspection=inspection, criterion=criterion).first()
    before = (
        {"value": answer.value, "not_applicable": answer.not_applicable, "note": answer.note}
        if answer
        else {}
    )
    score_before = inspection.score
    with acting_as(actor):
        if answer is None:
            answer = Answer(
                inspection=inspection,
                criterion=criterion,
                client_id=item.client_id,
                answered_at=timezone.now(),
            )
        answer.value, answer.not_applicable = new_value, new_na
        if note is not None:
            answer.note = note.strip()
        answer.answered_by = actor
        answer.answered_at = timezone.now()
        answer.save()
        result = compute_score(inspection)
        inspection.score = result.percent
        inspection.section_scores = result.as_json()
        inspection.save(update_fields=["score", "section_scores"])
        return Amendment.objects.create(
            inspection=inspection,
            criterion=criterion,
            before=before,
            after={
                "value": answer.value,
                "not_applicable": answer.not_applicable,
                "note": answer.note,
            },
            reason=reason.strip(),
            score_before=score_before,
            score_after=inspection.score,
            made_by=actor,
        )


# --- Findings and corrective actions -----------------------------------------------------


@transaction.atomic
def record_finding(
    *,
    actor,
    inspection: Inspection,
    description: str,
    kind: str = FindingKind.SHORTCOMING,
    criterion: Criterion | None = None,
    recommendation: str = "",
    official: Official | None = None,
    deadline: datetime.date | None = None,
) -> Finding:
    """A finding; with a recommendation and a deadline it becomes a corrective action for
    the inspected unit."""
    _ensure(can_conduct(actor, inspection))
    if inspection.status == InspectionStatus.CANCELLED:
        raise ValidationError(_("This inspection was cancelled."))
    if criterion is not None and criterion.section.version_id != inspection.template_version_id:
        raise ValidationError({"criterion": _("This criterion is not in the checklist.")})
    if official is not None and not official.unit.path.startswith(inspection.unit.path):
        raise ValidationError({"official": _("The official must work in the inspected unit.")})
    if official is not None and kind != FindingKind.VIOLATION:
        raise ValidationError({"official": _("Only a violation is recorded against a person.")})
    if deadline is not None and not recommendation.strip():
        raise ValidationError({"recommendation": _("A deadline needs a recommendation.")})
    finding = Finding(
        inspection=inspection,
        criterion=criterion,
        kind=kind,
        description=description.strip(),
        recommendation=recommendation.strip(),
        official=official,
        recorded_by=actor,
    )
    finding.full_clean()
    with acting_as(actor):
        finding.save()
    if official is not None:
        # A person's conduct is handled as a (confidential) violation record by the
        # official's unit: the finding opens it as a draft for that unit's handlers.
        draft_record_from_finding(actor=actor, finding=finding)
    if deadline is not None:
        create_corrective_action(
            actor=actor, finding=finding, description=finding.recommendation, deadline=deadline
        )
    return finding


@transaction.atomic
def create_corrective_action(
    *,
    actor,
    finding: Finding,
    description: str,
    deadline: datetime.date,
    unit: OrgUnit | None = None,
) -> CorrectiveAction:
    _ensure(can_conduct(actor, finding.inspection))
    unit = unit or finding.inspection.unit
    if not unit.path.startswith(finding.inspection.unit.path):
        raise ValidationError({"unit": _("The action belongs to the inspected unit.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    action = CorrectiveAction(
        finding=finding, unit=unit, description=description.strip(), deadline=deadline
    )
    action.full_clean()
    with acting_as(actor):
        action.save()
        ActionStep.objects.create(action=action, kind=ActionStep.Kind.CREATED, by=actor)
    return action


@transaction.atomic
def respond_to_action(
    *, actor, action: CorrectiveAction, response: str, files=(), photos=()
) -> CorrectiveAction:
    """The responsible unit (its head, coordinators or staff) says what was done, with
    documents and photos as evidence; the inspecting side then verifies."""
    _ensure(can_respond(actor, action))
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status == ActionStatus.CLOSED:
        raise ValidationError(_("This action is closed."))
    if not response.strip():
        raise ValidationError({"response": _("Say what was done.")})
    contents = [clean_attachment(upload, field="evidence", accept=OFFICE) for upload in files]
    contents += [clean_attachment(upload, field="photos", accept=PHOTOS) for upload in photos]
    action.status = ActionStatus.RESPONDED
    action.response = response.strip()
    action.responded_at = timezone.now()
    action.responded_by = actor
    with acting_as(actor):
        action.save()
        for content in contents:
            EvidenceFile.objects.create(
                action=action,
                file=content,
                filename=display_name(content.name),
                uploaded_by=actor,
            )
        ActionStep.objects.create(
            action=action, kind=ActionStep.Kind.RESPONDED, note=action.response, by=actor
        )
    return action


@transaction.atomic
def verify_action(
    *, actor, action: CorrectiveAction, accept: bool, note: str = ""
) -> CorrectiveAction:
    """The inspector closes the action, or sends it back to the unit with a note."""
    _ensure(can_verify(actor, action))
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.RESPONDED:
        raise ValidationError(_("Only an action the unit has responded to can be verified."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    return _record_verification(actor=actor, action=action, accept=accept, note=note)


def _record_verification(
    *,
    actor,
    action: CorrectiveAction,
    accept: bool,
    note: str,
    during: Inspection | None = None,
    photo=None,
) -> CorrectiveAction:
    """The one place an inspector's verdict on an action is written: closed, or left open
    (sent back after a response; checked on a revisit otherwise), with its history step."""
    action.verification_note = note.strip()
    action.verified_by = actor
    if accept:
        action.status = ActionStatus.CLOSED
        action.closed_at = timezone.now()
        kind = ActionStep.Kind.CLOSED
    else:
        responded = action.status == ActionStatus.RESPONDED
        action.status = ActionStatus.OPEN
        kind = ActionStep.Kind.SENT_BACK if responded else ActionStep.Kind.CHECKED_OPEN
    step = ActionStep(action=action, kind=kind, note=action.verification_note, by=actor)
    step.inspection = during
    if photo is not None:
        clean = clean_photo(photo)
        step.photo.save(f"{uuid.uuid4().hex}.jpg", clean.content, save=False)
    with acting_as(actor):
        action.save()
        step.save()
    return action


# --- Revisits ------------------------------------------------------------------------------


@dataclass
class Revisit:
    """What a new inspection of a unit or place starts from: the previous inspection, the
    corrective actions still open from earlier ones, and (for a counter or service point) the
    assistance calls missed or answered slowly since the previous inspection."""

    previous: Inspection | None
    open_actions: list[CorrectiveAction]
    missed_calls: list | None  # None: not a counter or service point, or no previous visit

    def is_empty(self) -> bool:
        return self.previous is None and not self.open_actions


def revisit_of(inspection: Inspection, *, user) -> Revisit:
    """The revisit context of `inspection` as `user` may see it (scoped reads)."""
    previous = inspection.previous()
    if previous is not None and not Inspection.objects.visible_to(user).filter(pk=previous.pk):
        previous = None
    if previous is not None:
        prefetch_related_objects(
            [previous], Prefetch("findings", queryset=Finding.objects.select_related("criterion"))
        )
    open_actions = CorrectiveAction.objects.visible_to(user).of_target(inspection).not_closed()
    if inspection.submitted_at is not None:  # an old report: what was open before it
        open_actions = open_actions.filter(finding__created_at__lt=inspection.submitted_at)
    open_actions = list(
        open_actions.select_related(
            "finding__inspection__inspecting_unit", "finding__criterion", "unit"
        ).order_by("deadline", "pk")
    )
    missed = None
    if previous is not None and inspection.unit.kind in (UnitKind.COUNTER, UnitKind.SERVICE_POINT):
        missed = missed_calls(unit=inspection.unit, since=previous.submitted_at)
    return Revisit(previous=previous, open_actions=open_actions, missed_calls=missed)


def missed_calls(*, unit: OrgUnit, since: datetime.datetime) -> list:
    """Assistance calls at the counter or service point missed or answered slowly since
    `since` (civility.feedback decides what counts as slow)."""
    from civility.feedback.models import AssistanceCall

    calls = AssistanceCall.objects.missed_or_slow(unit=unit, since=since)
    return list(calls.select_related("counter").order_by("raised_at"))


@transaction.atomic
def check_action_on_revisit(
    *,
    actor,
    inspection: Inspection,
    action: CorrectiveAction,
    closed: bool,
    note: str = "",
    photo=None,
) -> CorrectiveAction:
    """During a new inspection of the same unit or place, the inspector verifies an open
    action on the spot: closed, or still open with a note (and a photo)."""
    _ensure(can_conduct(actor, inspection))
    _ensure_open(inspection)
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if not CorrectiveAction.objects.of_target(inspection).filter(pk=action.pk).exists():
        raise ValidationError(
            {"action": _("This action is not from an earlier inspection of this unit or place.")}
        )
    _ensure(can_verify(actor, action))
    if action.status == ActionStatus.CLOSED:
        raise ValidationError({"action": _("This action is already closed.")})
    if not closed and not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    return _record_verification(
        actor=actor, action=action, accept=closed, note=note, during=inspection, photo=photo
    )


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "INSPECTION_ACTION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def owners_of(unit: OrgUnit) -> list:
    """The unit heads answering for a unit: those granted on it, else on the nearest unit
    above it that has one."""
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    grants = RoleAssignment.objects.filter(role=Role.UNIT_HEAD, unit_id__in=ids).select_related(
        "user", "unit"
    )
    by_depth: dict[int, list] = {}
    for grant in grants:
        if grant.user.is_active:
            by_depth.setdefault(grant.unit.depth, []).append(grant.user)
    if not by_depth:
        return []
    return by_depth[max(by_depth)]


@transaction.atomic
def send_action_reminders(*, today: datetime.date) -> int:
    """Remind the owners of unfinished corrective actions a few days before and after the
    deadline. Safe to run twice a day: one reminder per action and day."""
    days = reminder_days()
    due = [today + datetime.timedelta(days=d) for d in days]
    actions = (
        CorrectiveAction.objects.not_closed()
        .filter(deadline__in=due, status=ActionStatus.OPEN)
        .exclude(reminders__sent_on=today)
        .select_related("unit", "finding__inspection")
    )
    sent = 0
    for action in actions:
        recipients = [user for user in owners_of(action.unit) if user.email]
        emailed = sum(_email_reminder(user, action, today) for user in recipients)
        ActionReminder.objects.create(
            action=action,
            sent_on=today,
            days_to_deadline=(action.deadline - today).days,
            recipients=emailed,
        )
        sent += 1
    return sent


def _email_reminder(user, action: CorrectiveAction, today: datetime.date) -> bool:
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        days = (action.deadline - today).days
        date = action.deadline.strftime("%d/%m/%Y")
        if days >= 0:
            subject = _("Corrective action due on %(date)s") % {"date": date}
        else:
            subject = _("Corrective action overdue since %(date)s") % {"date": date}
        body = _(
            "Dear %(name)s,\n\nThe corrective action for %(unit)s is not finished:\n\n"
            "%(description)s\n\nDeadline: %(date)s.\nRespond here: %(link)s\n"
        ) % {
            "name": person_name(user),
            "unit": action.unit.name,
            "description": action.description,
            "date": date,
            "link": settings.SITE_URL + reverse("inspections:action_detail", args=[action.pk]),
        }
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # an SMTP failure must not stop the other reminders  # noqa: BLE001
        logger.exception("Could not e-mail a corrective action reminder to user %s", user.pk)
        return False
    return True


# --- Escalation ----------------------------------------------------------------------------


def escalation_days() -> tuple[int, ...]:
    return tuple(
        sorted(getattr(settings, "INSPECTION_ACTION_ESCALATION_DAYS", DEFAULT_ESCALATION_DAYS))
    )


def _escalation_unit(unit: OrgUnit, step: int) -> OrgUnit | None:
    """The unit `step` levels above `unit`, or the top one when the tree is shallower."""
    ancestors = [a for a in unit.ancestors() if a.pk != unit.pk]
    if not ancestors:
        return None
    return ancestors[max(0, len(ancestors) - step)]


def escalation_recipients(unit: OrgUnit) -> list:
    """Coordinators and unit heads granted on `unit`, else on the nearest unit above it that
    has some."""
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    grants = RoleAssignment.objects.filter(
        role__in=ESCALATION_ROLES, unit_id__in=ids
    ).select_related("user", "unit")
    by_depth: dict[int, list] = {}
    for grant in grants:
        if grant.user.is_active and grant.user not in by_depth.get(grant.unit.depth, []):
            by_depth.setdefault(grant.unit.depth, []).append(grant.user)
    if not by_depth:
        return []
    return by_depth[max(by_depth)]


@transaction.atomic
def escalate_overdue_actions(*, today: datetime.date) -> int:
    """Escalate actions the unit has still not answered past the escalation days: one step at
    a time up the tree, each step once, recorded on the action and e-mailed. Actions the unit
    responded to wait for the inspectors, not the unit, and are not escalated."""
    days = escalation_days()
    if not days:
        return 0
    latest_deadline = today - datetime.timedelta(days=days[0])
    actions = (
        CorrectiveAction.objects.filter(status=ActionStatus.OPEN, deadline__lte=latest_deadline)
        .select_related("unit", "finding__inspection")
        .prefetch_related("escalations")
        .select_for_update(of=("self",))
    )
    made = 0
    for action in actions:
        done = {escalation.step for escalation in action.escalations.all()}
        for step, after in enumerate(days, start=1):
            if step in done or action.deadline + datetime.timedelta(days=after) > today:
                continue
            target = _escalation_unit(action.unit, step)
            if target is None:
                continue
            recipients = [user for user in escalation_recipients(target) if user.email]
            emailed = sum(_email_escalation(user, action, target, today) for user in recipients)
            ActionEscalation.objects.create(
                action=action,
                step=step,
                unit=target,
                escalated_on=today,
                days_overdue=action.days_overdue(today),
                recipients=emailed,
            )
            ActionStep.objects.create(
                action=action,
                kind=ActionStep.Kind.ESCALATED,
                note=ngettext(
                    "To %(unit)s, %(days)s day after the deadline.",
                    "To %(unit)s, %(days)s days after the deadline.",
                    action.days_overdue(today),
                )
                % {"unit": target.name, "days": format_number(action.days_overdue(today))},
            )
            made += 1
    return made


def _email_escalation(user, action: CorrectiveAction, target: OrgUnit, today) -> bool:
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        date = action.deadline.strftime("%d/%m/%Y")
        subject = _("Escalated: corrective action of %(unit)s overdue since %(date)s") % {
            "unit": action.unit.name,
            "date": date,
        }
        body = ngettext(
            "Dear %(name)s,\n\nA corrective action of %(unit)s, under %(target)s, is "
            "%(days)s day past its deadline (%(date)s) and still not answered:\n\n"
            "%(description)s\n\nIt is escalated to you as the level above.\nSee it here: "
            "%(link)s\n",
            "Dear %(name)s,\n\nA corrective action of %(unit)s, under %(target)s, is "
            "%(days)s days past its deadline (%(date)s) and still not answered:\n\n"
            "%(description)s\n\nIt is escalated to you as the level above.\nSee it here: "
            "%(link)s\n",
            action.days_overdue(today),
        ) % {
            "name": person_name(user),
            "unit": action.unit.name,
            "target": target.name,
            "days": format_number(action.days_overdue(today)),
            "date": date,
            "description": action.description,
            "link": settings.SITE_URL + reverse("inspections:action_detail", args=[action.pk]),
        }
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # an SMTP failure must not stop the other escalations  # noqa: BLE001
        logger.exception("Could not e-mail a corrective action escalation to user %s", user.pk)
        return False
    return True
