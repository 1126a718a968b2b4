"""Workflows for codes and their versions: load a shipped code, draft, edit, import the
text, publish."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.codes.actions.commitments import DEFAULT_RECOMMITMENT_DAYS
from civility.codes.documents import DocumentError, ParsedCode
from civility.codes.models import (
    COORDINATOR_ROLES,
    Article,
    Chapter,
    Clause,
    Code,
    CodeVersion,
    CommitmentCampaign,
    VersionStatus,
)
from civility.core.audit import acting_as
from civility.core.i18n import format_number
from civility.orgs.models import OrgUnit
from civility.orgs.provinces import ensure_shipped_for
from civility.orgs.scopes import scope_of

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The codes Civility ships, by the official code of the province that issued them: a
# province's codes of conduct are its own and are never loaded for another.
SEEDS = {"01": ("hanoi-522", "hanoi-1665")}


# What an editor may change on a draft version, in the order its form shows them.
VERSION_FIELDS = (
    "label",
    "effective_from",
    "target_groups",
    "is_summary",
    "requires_recommitment",
    "note",
    "note_en",
)


def can_manage_code(user: User | None, code: Code) -> bool:
    return scope_of(user).covers(code.unit, roles=COORDINATOR_ROLES)


def ensure_can_manage_code(actor: User | None, code: Code) -> None:
    if not can_manage_code(actor, code):
        raise PermissionDenied


def ensure_draft(version: CodeVersion) -> None:
    if not version.is_draft():
        raise ValidationError(
            _("Version %(number)d is %(status)s and read-only; start a new draft to change it.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )


def seed_data(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))
    return data


@transaction.atomic
def load_code_seed(*, actor: User | None, unit: OrgUnit, slug: str) -> Code:
    """Create a shipped code (summaries, published as version 1) under `unit`, once; only
    for the province that issued it."""
    if actor is not None and not scope_of(actor).covers(unit, roles=COORDINATOR_ROLES):
        raise PermissionDenied
    ensure_shipped_for(unit, slug, SEEDS)
    data = seed_data(slug)
    existing = Code.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    with acting_as(actor):
        code = Code.objects.create(
            unit=unit,
            slug=data["slug"],
            audience=data["audience"],
            title=data["title"],
            title_en=data["title_en"],
            decision_no=data["decision_no"],
            issued_on=datetime.date.fromisoformat(data["issued_on"]) if data["issued_on"] else None,
        )
        version = CodeVersion.objects.create(
            code=code,
            number=1,
            label=data["version"]["label"],
            effective_from=datetime.date.fromisoformat(data["version"]["effective_from"]),
            target_groups=data["version"]["target_groups"],
            is_summary=True,
            note=data["version"]["note"],
            note_en=data["version"]["note_en"],
        )
        _write_structure(version, data["chapters"])
    publish_version(actor=actor, version=version, _check=False)
    return code


def _write_structure(version: CodeVersion, chapters: list[dict[str, Any]]) -> None:
    for c_pos, chapter_data in enumerate(chapters, start=1):
        chapter = Chapter.objects.create(
            version=version,
            position=c_pos,
            number=chapter_data["number"],
            title=chapter_data["title"],
            title_en=chapter_data.get("title_en", ""),
        )
        for a_pos, article_data in enumerate(chapter_data["articles"], start=1):
            article = Article.objects.create(
                chapter=chapter,
                position=a_pos,
                number=article_data["number"],
                title=article_data["title"],
                title_en=article_data.get("title_en", ""),
                is_key=article_data.get("is_key", False),
            )
            Clause.objects.bulk_create(
                Clause(
                    article=article,
                    position=k_pos,
                    kind=clause.get("kind", ""),
                    text=clause["text"],
                    text_en=clause.get("text_en", ""),
                )
                for k_pos, clause in enumerate(article_data["clauses"], start=1)
            )


def structure_of(version: CodeVersion) -> list[dict[str, Any]]:
    """A version's chapters, articles and clauses as data: the shape the shipped files have
    and _write_structure takes, and the chapters the API answers."""
    return [
        {
            "number": chapter.number,
            "title": chapter.title,
            "title_en": chapter.title_en,
            "articles": [
                {
                    "number": article.number,
                    "title": article.title,
                    "title_en": article.title_en,
                    "is_key": article.is_key,
                    "clauses": [
                        {"kind": clause.kind, "text": clause.text, "text_en": clause.text_en}
                        for clause in article.clauses.all()
                    ],
                }
                for article in chapter.articles.all()
            ],
        }
        for chapter in version.chapters.prefetch_related("articles__clauses")
    ]


@transaction.atomic
def create_draft_version(*, actor: User, code: Code) -> CodeVersion:
    """A new draft, starting from the latest version's text."""
    ensure_can_manage_code(actor, code)
    code = Code.objects.select_for_update().get(pk=code.pk)
    if code.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("This code already has a draft version; edit that one."))
    latest = code.versions.order_by("-number").first()
    with acting_as(actor):
        draft = CodeVersion.objects.create(
            code=code,
            number=(latest.number + 1) if latest else 1,
            label="",
            effective_from=None,
            target_groups=list(latest.target_groups) if latest else [],
            is_summary=latest.is_summary if latest else True,
            note=latest.note if latest else "",
            note_en=latest.note_en if latest else "",
        )
        if latest is not None:
            _write_structure(draft, structure_of(latest))
    return draft


@transaction.atomic
def update_version(*, actor: User, version: CodeVersion, **changes: Any) -> CodeVersion:
    unknown = set(changes).difference(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"update_version() got unknown fields: {sorted(unknown)}")
    ensure_can_manage_code(actor, version.code)
    ensure_draft(version)
    for name, value in changes.items():
        setattr(version, name, value)
    version.full_clean()
    with acting_as(actor):
        version.save()
    return version


@transaction.atomic
def update_article(
    *, actor: User, article: Article, title: str, title_en: str, is_key: bool
) -> Article:
    version = article.chapter.version
    ensure_can_manage_code(actor, version.code)
    ensure_draft(version)
    article.title, article.title_en, article.is_key = title.strip(), title_en.strip(), is_key
    article.full_clean()
    with acting_as(actor):
        article.save()
    return article


@transaction.atomic
def import_version_text(
    *,
    actor: User,
    version: CodeVersion,
    parsed: ParsedCode,
    language: str = "vi",
    is_summary: bool = True,
) -> CodeVersion:
    """Replace a draft's Vietnamese text with a parsed document, or fill in its English.

    English must follow the Vietnamese structure exactly (same chapters, articles and clause
    counts), so each English sentence lands beside its Vietnamese one.
    """
    ensure_can_manage_code(actor, version.code)
    version = CodeVersion.objects.select_for_update().get(pk=version.pk)
    ensure_draft(version)
    with acting_as(actor):
        if language == "en":
            _import_english(version, parsed)
        else:
            old_keys = set(
                Article.objects.filter(chapter__version=version, is_key=True).values_list(
                    "number", flat=True
                )
            )
            Clause.objects.filter(article__chapter__version=version).delete()
            Article.objects.filter(chapter__version=version).delete()
            Chapter.objects.filter(version=version).delete()
            _write_structure(
                version,
                [
                    {
                        "number": chapter.number,
                        "title": chapter.title,
                        "articles": [
                            {
                                "number": article.number,
                                "title": article.title,
                                "is_key": article.number in old_keys,
                                "clauses": [
                                    {"kind": clause.kind, "text": clause.text}
                                    for clause in article.clauses
                                ],
                            }
                            for article in chapter.articles
                        ],
                    }
                    for chapter in parsed.chapters
                ],
            )
            version.is_summary = is_summary
            version.save(update_fields=["is_summary"])
    return version


def _import_english(version: CodeVersion, parsed: ParsedCode) -> None:
    chapters = list(version.chapters.prefetch_related("articles__clauses"))
    if len(chapters) != len(parsed.chapters):
        raise DocumentError(
            parsed.chapters[min(len(chapters), len(parsed.chapters) - 1)].line,
            ngettext(
                "the English text has %(found)s chapter, the Vietnamese %(expected)s.",
                "the English text has %(found)s chapters, the Vietnamese %(expected)s.",
                len(parsed.chapters),
            )
            % {
                "found": format_number(len(parsed.chapters)),
                "expected": format_number(len(chapters)),
            },
        )
    for chapter, parsed_chapter in zip(chapters, parsed.chapters, strict=True):
        articles = list(chapter.articles.all())
        if [a.number for a in articles] != [a.number for a in parsed_chapter.articles]:
            raise DocumentError(
                parsed_chapter.line,
                _("the articles of this chapter differ from the Vietnamese text."),
            )
        chapter.title_en = parsed_chapter.title
        chapter.save(update_fields=["title_en"])
        for article, parsed_article in zip(articles, parsed_chapter.articles, strict=True):
            clauses = list(article.clauses.all())
            if len(clauses) != len(parsed_article.clauses):
                raise DocumentError(
                    parsed_article.line,
                    ngettext(
                        "article %(number)d has %(found)s clause, the Vietnamese %(expected)s.",
                        "article %(number)d has %(found)s clauses, the Vietnamese %(expected)s.",
                        len(parsed_article.clauses),
                    )
                    % {
                        "number": article.number,
                        "found": format_number(len(parsed_article.clauses)),
                        "expected": format_number(len(clauses)),
                    },
                )
            article.title_en = parsed_article.title
            article.save(update_fields=["title_en"])
            for clause, parsed_clause in zip(clauses, parsed_article.clauses, strict=True):
                clause.text_en = parsed_clause.text
                clause.save(update_fields=["text_en"])


@transaction.atomic
def publish_version(
    *,
    actor: User | None,
    version: CodeVersion,
    recommitment_deadline: datetime.date | None = None,
    _check: bool = True,
) -> CodeVersion:
    """Publish a draft: the published one before it is superseded; when the version asks for
    re-commitment, every unit that ran a campaign for an earlier version gets a new one."""
    if _check:
        ensure_can_manage_code(actor, version.code)
    Code.objects.select_for_update().get(pk=version.code_id)
    version = CodeVersion.objects.select_for_update().get(pk=version.pk)
    ensure_draft(version)
    if not Article.objects.filter(chapter__version=version).exists():
        raise ValidationError(_("A version with no articles cannot be published."))
    now = timezone.now()
    with acting_as(actor):
        for previous in version.code.versions.filter(status=VersionStatus.PUBLISHED):
            previous.status = VersionStatus.SUPERSEDED
            previous.superseded_at = now
            previous.save(update_fields=["status", "superseded_at"])
        version.status = VersionStatus.PUBLISHED
        version.published_at = now
        version.published_by = actor
        version.save(update_fields=["status", "published_at", "published_by"])
        if version.requires_recommitment:
            deadline = recommitment_deadline or (
                timezone.localdate() + datetime.timedelta(days=DEFAULT_RECOMMITMENT_DAYS)
            )
            unit_ids = (
                CommitmentCampaign.objects.filter(version__code=version.code)
                .exclude(version=version)
                .values_list("unit", flat=True)
                .distinct()
            )
            for unit in OrgUnit.objects.filter(pk__in=list(unit_ids)):
                CommitmentCampaign.objects.create(
                    version=version,
                    unit=unit,
                    title=_("Re-commitment: %(code)s, version %(number)d, %(unit)s")
                    % {"code": version.code.title, "number": version.number, "unit": unit.name},
                    deadline=deadline,
                    started_by=actor,
                )
    return version
