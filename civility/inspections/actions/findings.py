"""Workflows for findings and corrective actions: recording, responding, verifying,
checking on a revisit, reminders and escalation."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.conduct.actions import draft_record_from_finding
from civility.core.attachments import OFFICE, PHOTOS, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.i18n import format_number, person_name
from civility.core.photos import clean_photo
from civility.feedback.models import AssistanceCall
from civility.inspections.actions.permissions import (
    can_conduct,
    can_respond,
    can_verify,
    ensure_allowed,
    ensure_open,
)
from civility.inspections.models import (
    ESCALATION_ROLES,
    ActionEscalation,
    ActionReminder,
    ActionStatus,
    ActionStep,
    CorrectiveAction,
    Criterion,
    EvidenceFile,
    Finding,
    FindingKind,
    Inspection,
    InspectionStatus,
    Viewer,
)
from civility.orgs.models import Official, OrgUnit, RoleAssignment, UnitKind
from civility.orgs.scopes import Role

logger = logging.getLogger(__name__)

# Days to the deadline on which owners of an unfinished action are reminded (negative: after
# it); settings.INSPECTION_ACTION_REMINDER_DAYS overrides.
DEFAULT_REMINDER_DAYS = (3, 1, -1, -3, -7)
# Days after the deadline on which an action still open escalates one level up (step 1 to the
# parent unit, step 2 to the grandparent...); settings.INSPECTION_ACTION_ESCALATION_DAYS.
DEFAULT_ESCALATION_DAYS = (14, 30)


# --- Findings and corrective actions -----------------------------------------------------


@transaction.atomic
def record_finding(
    *,
    actor: User,
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
    ensure_allowed(can_conduct(actor, inspection))
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
    actor: User,
    finding: Finding,
    description: str,
    deadline: datetime.date,
    unit: OrgUnit | None = None,
) -> CorrectiveAction:
    ensure_allowed(can_conduct(actor, finding.inspection))
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
    *,
    actor: User,
    action: CorrectiveAction,
    response: str,
    files: Iterable[UploadedFile[bytes]] = (),
    photos: Iterable[UploadedFile[bytes]] = (),
) -> CorrectiveAction:
    """The responsible unit (its head, coordinators or staff) says what was done, with
    documents and photos as evidence; the inspecting side then verifies."""
    ensure_allowed(can_respond(actor, action))
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
    *, actor: User, action: CorrectiveAction, accept: bool, note: str = ""
) -> CorrectiveAction:
    """The inspector closes the action, or sends it back to the unit with a note."""
    ensure_allowed(can_verify(actor, action))
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.RESPONDED:
        raise ValidationError(_("Only an action the unit has responded to can be verified."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    return _record_verification(actor=actor, action=action, accept=accept, note=note)


def _record_verification(
    *,
    actor: User,
    action: CorrectiveAction,
    accept: bool,
    note: str,
    during: Inspection | None = None,
    photo: UploadedFile[bytes] | None = None,
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
    # None: not a counter or service point, or no previous visit.
    missed_calls: list[AssistanceCall] | None

    def is_empty(self) -> bool:
        return self.previous is None and not self.open_actions


def revisit_of(inspection: Inspection, *, user: Viewer) -> Revisit:
    """The revisit context of `inspection` as `user` may see it (scoped reads)."""
    previous = inspection.previous()
    if previous is not None and not Inspection.objects.visible_to(user).filter(pk=previous.pk):
        previous = None
    if previous is not None:
        prefetch_related_objects(
            [previous], Prefetch("findings", queryset=Finding.objects.select_related("criterion"))
        )
    still_open = CorrectiveAction.objects.visible_to(user).of_target(inspection).not_closed()
    if inspection.submitted_at is not None:  # an old report: what was open before it
        still_open = still_open.filter(finding__created_at__lt=inspection.submitted_at)
    open_actions = list(
        still_open.select_related(
            "finding__inspection__inspecting_unit", "finding__criterion", "unit"
        ).order_by("deadline", "pk")
    )
    missed = None
    if (
        previous is not None
        and previous.submitted_at is not None  # previous() is a submitted inspection
        and inspection.unit.kind in (UnitKind.COUNTER, UnitKind.SERVICE_POINT)
    ):
        missed = missed_calls(unit=inspection.unit, since=previous.submitted_at)
    return Revisit(previous=previous, open_actions=open_actions, missed_calls=missed)


def missed_calls(*, unit: OrgUnit, since: datetime.datetime) -> list[AssistanceCall]:
    """Assistance calls at the counter or service point missed or answered slowly since
    `since` (civility.feedback decides what counts as slow)."""
    calls = AssistanceCall.objects.missed_or_slow(unit=unit, since=since)
    return list(calls.select_related("counter").order_by("raised_at"))


@transaction.atomic
def check_action_on_revisit(
    *,
    actor: User,
    inspection: Inspection,
    action: CorrectiveAction,
    closed: bool,
    note: str = "",
    photo: UploadedFile[bytes] | None = None,
) -> CorrectiveAction:
    """During a new inspection of the same unit or place, the inspector verifies an open
    action on the spot: closed, or still open with a note (and a photo)."""
    ensure_allowed(can_conduct(actor, inspection))
    ensure_open(inspection)
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if not CorrectiveAction.objects.of_target(inspection).filter(pk=action.pk).exists():
        raise ValidationError(
            {"action": _("This action is not from an earlier inspection of this unit or place.")}
        )
    ensure_allowed(can_verify(actor, action))
    if action.status == ActionStatus.CLOSED:
        raise ValidationError({"action": _("This action is already closed.")})
    if not closed and not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    return _record_verification(
        actor=actor, action=action, accept=closed, note=note, during=inspection, photo=photo
    )


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "INSPECTION_ACTION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def owners_of(unit: OrgUnit) -> list[User]:
    """The unit heads answering for a unit: those granted on it, else on the nearest unit
    above it that has one."""
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    grants = RoleAssignment.objects.filter(role=Role.UNIT_HEAD, unit_id__in=ids).select_related(
        "user", "unit"
    )
    by_depth: dict[int, list[User]] = {}
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


def _email_reminder(user: User, action: CorrectiveAction, today: datetime.date) -> bool:
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


def escalation_recipients(unit: OrgUnit) -> list[User]:
    """Coordinators and unit heads granted on `unit`, else on the nearest unit above it that
    has some."""
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    grants = RoleAssignment.objects.filter(
        role__in=ESCALATION_ROLES, unit_id__in=ids
    ).select_related("user", "unit")
    by_depth: dict[int, list[User]] = {}
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


def _email_escalation(
    user: User, action: CorrectiveAction, target: OrgUnit, today: datetime.date
) -> bool:
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
