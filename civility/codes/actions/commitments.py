"""Workflows for commitment campaigns: start, close, sign (online or on paper), verify a
paper signature, and the reminders to sign."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.codes.models import (
    COORDINATOR_ROLES,
    CodeVersion,
    Commitment,
    CommitmentCampaign,
    Reminder,
    SignatureMethod,
    VersionStatus,
)
from civility.core.attachments import PHOTOS_AND_PDF, clean_attachment
from civility.core.audit import acting_as
from civility.core.i18n import format_number
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of

logger = logging.getLogger(__name__)


# Days before a campaign's deadline on which the reminder job writes to those who have not
# signed (settings.COMMITMENT_REMINDER_DAYS overrides).
DEFAULT_REMINDER_DAYS = (7, 3, 1)
DEFAULT_RECOMMITMENT_DAYS = 30


@transaction.atomic
def start_campaign(
    *,
    actor: User,
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
def close_campaign(*, actor: User, campaign: CommitmentCampaign) -> CommitmentCampaign:
    if not scope_of(actor).covers(campaign.unit, roles=COORDINATOR_ROLES):
        raise PermissionDenied
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        with acting_as(actor):
            campaign.save(update_fields=["closed_at"])
    return campaign


def official_of(user: User | AnonymousUser | None) -> Official | None:
    if user is None or not user.is_authenticated:
        return None
    return Official.objects.select_related("unit").filter(user=user, left_on__isnull=True).first()


@transaction.atomic
def sign_commitment(*, actor: User, campaign: CommitmentCampaign) -> tuple[Commitment, bool]:
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
    *,
    actor: User,
    campaign: CommitmentCampaign,
    official: Official,
    scan: UploadedFile[bytes] | None,
    signed_on: datetime.date,
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
    clean_scan = clean_attachment(scan, field="scan", accept=PHOTOS_AND_PDF)
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
        scan=clean_scan,
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
    return official.email or (official.user.email if official.user is not None else "")


def _language_of(official: Official) -> str:
    profile = getattr(official.user, "profile", None) if official.user_id else None
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def _email_reminder(official: Official, campaign: CommitmentCampaign, today: datetime.date) -> bool:
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


def _reporting_path(unit: OrgUnit, recorder: User | None) -> str | None:
    """The outermost unit through which `recorder` reported on `unit` (None: from the top)."""
    if recorder is None:
        return unit.path
    scope = scope_of(recorder)
    if scope.is_global:
        return None
    paths = [p for p in scope.paths_with_role(*MANAGER_ROLES) if unit.path.startswith(p)]
    return min(paths, key=len) if paths else unit.path


def can_verify_commitment(user: User, commitment: Commitment) -> bool:
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
    actor: User,
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
