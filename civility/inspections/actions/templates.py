"""Workflows for checklist templates: seeds, versions, structure and criteria edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from civility.codes.models import Article, Code, VersionStatus
from civility.core.audit import acting_as
from civility.inspections.actions.permissions import can_manage_template, ensure_allowed
from civility.inspections.kinds import ANSWER_KINDS, missing_requirement
from civility.inspections.models import (
    MANAGER_ROLES,
    AnswerKind,
    ChecklistTemplate,
    Criterion,
    Section,
    TemplateVersion,
)
from civility.orgs.models import OrgUnit
from civility.orgs.provinces import ensure_shipped_for
from civility.orgs.scopes import scope_of

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The checklists Civility ships, by the official code of the province they were written
# for: Hanoi's cite its two codes (Decisions 522 and 1665), so they are offered to Hanoi only.
SEEDS = {"01": ("one-stop-counter", "office-culture", "public-place")}
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


# --- Templates ---------------------------------------------------------------------------


def seed_data(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))
    return data


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


def validate_structure(sections: list[dict[str, Any]]) -> None:
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
            if kind not in ANSWER_KINDS:
                raise ValidationError(
                    _("Criterion %(ref)s: unknown answer kind %(kind)s.")
                    % {"ref": ref, "kind": kind}
                )
            missing = missing_requirement(kind, item)
            if missing is not None:
                raise ValidationError(str(missing.in_structure) % {"ref": ref})
            try:
                weight = float(item.get("weight", 1))
            except (TypeError, ValueError):
                weight = 0
            if weight <= 0:
                raise ValidationError(
                    _("Criterion %(ref)s: the weight must be greater than 0.") % {"ref": ref}
                )


def _write_structure(version: TemplateVersion, sections: list[dict[str, Any]]) -> None:
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


def structure_of(version: TemplateVersion) -> list[dict[str, Any]]:
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
    *,
    actor: User | None,
    unit: OrgUnit,
    slug: str,
    subject: str,
    name: str,
    name_en: str,
    sections: list[dict[str, Any]],
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
    *,
    actor: User | None,
    template: ChecklistTemplate,
    sections: list[dict[str, Any]],
    note: str = "",
) -> TemplateVersion:
    """A new version with the given structure; earlier versions stay as they are."""
    ensure_allowed(actor is None or can_manage_template(actor, template))
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
def load_template_seed(*, actor: User | None, unit: OrgUnit, slug: str) -> ChecklistTemplate:
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
def update_criterion(
    *, actor: User, criterion: Criterion, note: str = "", **changes: Any
) -> Criterion:
    """Change a criterion. When its version is already used by an inspection, a new version
    is made with the change, so past inspections keep what they were run against; the
    returned criterion is then the one in the new version."""
    unknown = set(changes) - CRITERION_FIELDS
    if unknown:
        raise TypeError(f"update_criterion() got unknown fields: {sorted(unknown)}")
    version = criterion.section.version
    ensure_allowed(can_manage_template(actor, version.template))
    latest = version.template.current_version()
    if latest is None or latest.pk != version.pk:
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
