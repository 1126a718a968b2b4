"""Workflows for codes, versions, commitments and dissemination. Views, the API and tasks
call these; they check permission, validate, write in one transaction and audit."""

from __future__ import annotations

import datetime
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.codes.documents import ParsedCode
from civility.codes.models import (
    COORDINATOR_ROLES,
    PLACE_KIND_OF_PLACE,
    Article,
    Chapter,
    Clause,
    Code,
    CodeVersion,
    Commitment,
    CommitmentCampaign,
    DisseminationActivity,
    DisseminationAttachment,
    Reminder,
    SignatureMethod,
    VersionStatus,
)
from civility.core.attachments import OFFICE_AND_TEXT, PHOTOS_AND_PDF, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.i18n import format_number
from civility.orgs.models import Official, OrgUnit, Place
from civility.orgs.provinces import ensure_shipped_for
from civility.orgs.scopes import MANAGER_ROLES, scope_of

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
# The codes Civility ships, by the official code of the province that issued them: a
# province's codes of conduct are its own and are never loaded for another.
SEEDS = {"01": ("hanoi-522", "hanoi-1665")}
# Days before a campaign's deadline on which the reminder job writes to those who have not
# signed (settings.COMMITMENT_REMINDER_DAYS overrides).
DEFAULT_REMINDER_DAYS = (7, 3, 1)
DEFAULT_RECOMMITMENT_DAYS = 30

VERSION_FIELDS = frozenset(
    {
        "label",
        "effective_from",
        "target_groups",
        "is_summary",
        "requires_recommitment",
        "note",
        "note_en",
    }
)


def can_manage_code(user, code: Code) -> bool:
    return scope_of(user).covers(code.unit, roles=COORDINATOR_ROLES)


def ensure_can_manage_code(actor, code: Code) -> None:
    if not can_manage_code(actor, code):
        raise PermissionDenied


def ensure_draft(version: CodeVersion) -> None:
    if not version.is_draft():
        raise ValidationError(
            _("Version %(number)d is %(status)s and read-only; start a new draft to change it.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )


# --- Codes and versions ----------------------------------------------------------------


def seed_data(slug: str) -> dict:
    return json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))


@transaction.atomic
def load_code_seed(*, actor, unit: OrgUnit, slug: str) -> Code:
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


def _write_structure(version: CodeVersion, chapters: list[dict]) -> None:
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


def _structure_of(version: CodeVersion) -> list[dict]:
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
def create_draft_version(*, actor, code: Code) -> CodeVersion:
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
            _write_structure(draft, _structure_of(latest))
    return draft


@transaction.atomic
def update_version(*, actor, version: CodeVersion, **changes) -> CodeVersion:
    unknown = set(changes) - VERSION_FIELDS
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
def update_article(*, actor, article: Article, title: str, title_en: str, is_key: bool) -> Article:
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
    actor,
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
    from civility.codes.documents import DocumentError

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
    actor,
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


# --- Commitments ------------------------------------------------------------------------


@transaction.atomic
def start_campaign(
    *,
    actor,
    version: CodeVersion,
    unit: OrgUnit,
    deadline: datetime.date,
    title: str = "",
    historical: bool = False,
    starts_on: datetime.date | None = None,
) -> CommitmentCampaign:
    """A campaign from today to `deadline`; or, `historical`, one of earlier years entered
    afterwards, from `starts_on` to a deadline that may be past, to record paper signatures
    with their real dates."""
    if not scope_of(actor).covers(unit, roles=COORDINATOR_ROLES):
        raise PermissionDenied
    if version.status != VersionStatus.PUBLISHED and not historical:
        raise ValidationError({"version": _("Only the published version can be signed.")})
    today = timezone.localdate()
    if historical:
        if starts_on is None:
            raise ValidationError({"starts_on": _("Enter the day the campaign opened.")})
        if starts_on > today:
            raise ValidationError(
                {"starts_on": _("A historical campaign cannot open in the future.")}
            )
        if deadline < starts_on:
            raise ValidationError({"deadline": _("The deadline is before the campaign opened.")})
    else:
        if deadline < today:
            raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
        starts_on = today
    campaign = CommitmentCampaign(
        version=version,
        unit=unit,
        starts_on=starts_on,
        deadline=deadline,
        historical=historical,
        started_by=actor,
        title=title.strip()
        or _("Commitment to %(code)s, %(unit)s") % {"code": version.code.title, "unit": unit.name},
    )
    campaign.full_clean()
    with acting_as(actor):
        campaign.save()
    return campaign


@transaction.atomic
def close_campaign(*, actor, campaign: CommitmentCampaign) -> CommitmentCampaign:
    if not scope_of(actor).covers(campaign.unit, roles=COORDINATOR_ROLES):
        raise PermissionDenied
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        with acting_as(actor):
            campaign.save(update_fields=["closed_at"])
    return campaign


def official_of(user) -> Official | None:
    if user is None or not user.is_authenticated:
        return None
    return Official.objects.select_related("unit").filter(user=user, left_on__isnull=True).first()


@transaction.atomic
def sign_commitment(*, actor, campaign: CommitmentCampaign) -> tuple[Commitment, bool]:
    """The signed-in official acknowledges the campaign's code version.

    Returns (commitment, created); signing again returns the first signature unchanged.
    """
    official = official_of(actor)
    if official is None or not official.unit.path.startswith(campaign.unit.path):
        raise PermissionDenied
    existing = Commitment.objects.filter(campaign=campaign, official=official).first()
    if existing is not None:
        return existing, False
    if not campaign.is_open():
        raise ValidationError(_("This campaign is closed; it no longer takes signatures."))
    commitment = Commitment(
        campaign=campaign,
        official=official,
        method=SignatureMethod.ONLINE,
        signed_at=timezone.now(),
        recorded_by=actor,
    )
    try:
        with transaction.atomic(), acting_as(actor):
            commitment.save()
    except IntegrityError:  # a second tab won the race: still a no-op
        return Commitment.objects.get(campaign=campaign, official=official), False
    Reminder.objects.filter(campaign=campaign, official=official, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return commitment, True


@transaction.atomic
def record_paper_commitment(
    *, actor, campaign: CommitmentCampaign, official: Official, scan, signed_on: datetime.date
) -> Commitment:
    """A unit head records that an official signed on paper, with the scanned sheet."""
    if not scope_of(actor).covers(official.unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    if not campaign.officials().filter(pk=official.pk).exists():
        raise ValidationError({"official": _("This official is not asked to sign here.")})
    if Commitment.objects.filter(campaign=campaign, official=official).exists():
        raise ValidationError({"official": _("This official has already signed.")})
    if not scan:
        raise ValidationError({"scan": _("Attach the scanned, signed sheet.")})
    scan = clean_attachment(scan, field="scan", accept=PHOTOS_AND_PDF)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if not campaign.covers_day(signed_on):
        raise ValidationError(
            {
                "signed_on": _(
                    "Signed on %(day)s, outside the campaign's period (%(start)s to %(end)s): "
                    "record it in the campaign of that time, entered as historical."
                )
                % {
                    "day": signed_on.strftime("%d/%m/%Y"),
                    "start": campaign.starts_on.strftime("%d/%m/%Y"),
                    "end": campaign.deadline.strftime("%d/%m/%Y"),
                }
            }
        )
    if official.left_on is not None and official.left_on < signed_on:
        raise ValidationError({"signed_on": _("The official had left the unit by that day.")})
    signed_at = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12)))
    commitment = Commitment(
        campaign=campaign,
        official=official,
        method=SignatureMethod.PAPER,
        signed_at=signed_at,
        recorded_by=actor,
        scan=scan,
    )
    with acting_as(actor):
        commitment.save()
    return commitment


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "COMMITMENT_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


@transaction.atomic
def send_commitment_reminders(*, today: datetime.date) -> int:
    """Remind every official who has not signed an open campaign due in 7, 3 or 1 days.

    Writes an in-app reminder for officials with an account and e-mails those with an
    address. Safe to run twice a day: one reminder per official, campaign and day.
    """
    due = [today + datetime.timedelta(days=days) for days in reminder_days()]
    sent = 0
    campaigns = (
        CommitmentCampaign.objects.open(on=today)
        .filter(deadline__in=due)
        .select_related("version__code", "unit")
    )
    for campaign in campaigns:
        unsigned = (
            campaign.officials()
            .exclude(commitments__campaign=campaign)
            .exclude(code_reminders__campaign=campaign, code_reminders__sent_on=today)
            .select_related("user")
        )
        for official in unsigned:
            if official.user_id is None and not _email_of(official):
                continue
            reminder = Reminder.objects.create(campaign=campaign, official=official, sent_on=today)
            if _email_of(official):
                reminder.emailed = _email_reminder(official, campaign, today)
                reminder.save(update_fields=["emailed"])
            sent += 1
    return sent


def _email_of(official: Official) -> str:
    return official.email or (official.user.email if official.user_id else "")


def _language_of(official: Official) -> str:
    profile = getattr(official.user, "profile", None) if official.user_id else None
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def _email_reminder(official: Official, campaign: CommitmentCampaign, today) -> bool:
    base = settings.SITE_URL
    with translation.override(_language_of(official)):
        link = base + reverse("codes:my_commitments")
        subject = _("Reminder: sign the code of conduct by %(date)s") % {
            "date": campaign.deadline.strftime("%d/%m/%Y")
        }
        days = (campaign.deadline - today).days
        body = ngettext(
            'Dear %(name)s,\n\nYou have not yet signed your commitment to "%(code)s" '
            "(campaign: %(campaign)s). The deadline is %(date)s, in %(days)s day.\n\n"
            "Read the code and sign here: %(link)s\n",
            'Dear %(name)s,\n\nYou have not yet signed your commitment to "%(code)s" '
            "(campaign: %(campaign)s). The deadline is %(date)s, in %(days)s days.\n\n"
            "Read the code and sign here: %(link)s\n",
            days,
        ) % {
            "name": official.full_name,
            "code": campaign.version.code.title,
            "campaign": campaign.title,
            "date": campaign.deadline.strftime("%d/%m/%Y"),
            "days": format_number(days),
            "link": link,
        }
    try:
        send_mail(subject, body, None, [_email_of(official)])
    except Exception:  # an SMTP failure must not lose the in-app reminders  # noqa: BLE001
        logger.exception("Could not e-mail a commitment reminder to official %s", official.pk)
        return False
    return True


@transaction.atomic
def mark_reminders_read(*, official: Official) -> int:
    return Reminder.objects.filter(official=official, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Dissemination ----------------------------------------------------------------------


@transaction.atomic
def record_activity(
    *,
    actor,
    unit: OrgUnit,
    kind: str,
    target_groups: list[str],
    held_on: datetime.date,
    reached: int = 0,
    code: Code | None = None,
    place_kind: str = "",
    place: Place | None = None,
    notes: str = "",
    files=(),
) -> DisseminationActivity:
    if not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    if place is not None and not place.unit.path.startswith(unit.path):
        raise ValidationError({"place": _("The place must be in the unit or below it.")})
    if place is not None and not place_kind:
        place_kind = PLACE_KIND_OF_PLACE.get(place.kind, "")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    activity = DisseminationActivity(
        unit=unit,
        kind=kind,
        target_groups=list(dict.fromkeys(target_groups)),
        held_on=held_on,
        reached=reached,
        code=code,
        place_kind=place_kind,
        place=place,
        notes=notes.strip(),
        recorded_by=actor,
    )
    activity.full_clean()
    contents = [
        clean_attachment(upload, field="attachments", accept=OFFICE_AND_TEXT) for upload in files
    ]
    with acting_as(actor):
        activity.save()
        for content in contents:
            DisseminationAttachment.objects.create(
                activity=activity, file=content, filename=display_name(content.name)
            )
    return activity


def can_verify_activity(user, activity: DisseminationActivity) -> bool:
    """A manager of a unit above the activity's unit (the level that asked for the report)
    verifies it, never the person who recorded it."""
    if activity.recorded_by_id is not None and activity.recorded_by_id == user.pk:
        return False
    scope = scope_of(user)
    if scope.is_global:
        return True
    return any(
        activity.unit.path.startswith(path) and path != activity.unit.path
        for path in scope.paths_with_role(*MANAGER_ROLES)
    )


@transaction.atomic
def verify_activity(
    *,
    actor,
    activity: DisseminationActivity,
    reached: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> DisseminationActivity:
    """Record the number of people reached that the evidence supports, next to the unit's
    own figure (which stays as reported). Done once; a differing figure needs a note."""
    activity = (
        DisseminationActivity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    )
    if not can_verify_activity(actor, activity):
        raise PermissionDenied
    if activity.is_verified():
        raise ValidationError(_("This activity is already verified."))
    if reached < 0:
        raise ValidationError({"reached": _("The number of people reached cannot be negative.")})
    if reached != activity.reached and not note.strip():
        raise ValidationError(
            {"note": _("Say why the verified number differs from the one reported.")}
        )
    with acting_as(actor):
        activity.verify(by=actor, note=note, now=now, verified_reached=reached)
    return activity


def _reporting_path(unit: OrgUnit, recorder) -> str | None:
    """The outermost unit through which `recorder` reported on `unit` (None: from the top)."""
    if recorder is None:
        return unit.path
    scope = scope_of(recorder)
    if scope.is_global:
        return None
    paths = [p for p in scope.paths_with_role(*MANAGER_ROLES) if unit.path.startswith(p)]
    return min(paths, key=len) if paths else unit.path


def can_verify_commitment(user, commitment: Commitment) -> bool:
    """A paper signature is verified by a manager of a unit above the one that recorded it,
    never by the person who recorded it."""
    if commitment.method != SignatureMethod.PAPER or commitment.recorded_by_id == user.pk:
        return False
    scope = scope_of(user)
    if scope.is_global:
        return True
    reported_from = _reporting_path(commitment.official.unit, commitment.recorded_by)
    if reported_from is None:
        return False
    return any(
        reported_from.startswith(path) and path != reported_from
        for path in scope.paths_with_role(*MANAGER_ROLES)
    )


@transaction.atomic
def verify_commitment(
    *,
    actor,
    commitment: Commitment,
    confirmed: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Commitment:
    """Record whether the scanned sheet of a paper signature holds, next to the record
    (which stays as recorded). Done once; a sheet that does not hold needs a note."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("official__unit", "recorded_by")
        .get(pk=commitment.pk)
    )
    if not can_verify_commitment(actor, commitment):
        raise PermissionDenied
    if commitment.is_verified():
        raise ValidationError(_("This signature is already verified."))
    if not confirmed and not note.strip():
        raise ValidationError({"note": _("Say what is wrong with the scanned sheet.")})
    with acting_as(actor):
        commitment.verify(by=actor, note=note, now=now, scan_confirmed=confirmed)
    return commitment
