"""Follow-up cases: a dissatisfied citizen who leaves a phone number or an e-mail address
with a rating gets a case at the service point, with a receipt code. The service point
replies; a reply must carry evidence (a document or a photo) before the case can be closed;
the citizen, with the receipt code, the secret given with it and no account, says whether it
settled the matter ("not settled" reopens it). A case still open past its due date plus
FEEDBACK_CASE_ESCALATE_DAYS goes to the level above."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.attachments import PHOTOS_AND_PDF, clean_attachment
from civility.core.audit import acting_as, anonymously
from civility.core.receipts import new_secret, secret_matches
from civility.feedback import conf
from civility.feedback.models import (
    STAFF_ROLES,
    CaseEvidence,
    CaseStatus,
    CaseStep,
    FollowUpCase,
    ServiceRating,
    StepKind,
    new_receipt,
)
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role, scope_of

if TYPE_CHECKING:
    # For annotations only: the ratings actions import this module when they load.
    from civility.feedback.actions.ratings import RatingInput, Stored

logger = logging.getLogger(__name__)

ESCALATION_ROLES = (Role.COORDINATOR, Role.UNIT_HEAD)


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""

    def is_given(self) -> bool:
        return bool(self.phone.strip() or self.email.strip())


def check_contact(contact: Contact, prefix: str = "") -> Contact:
    """Trimmed, or ValidationError naming the field."""
    name, phone, email = contact.name.strip(), contact.phone.strip(), contact.email.strip()
    if len(name) > 120:
        raise ValidationError({f"{prefix}contact_name": _("The name is too long.")})
    digits = [c for c in phone if c.isdigit()]
    if phone and (
        len(phone) > 32 or not 8 <= len(digits) <= 15 or set(phone) - set("+0123456789 .-()")
    ):
        raise ValidationError({f"{prefix}contact_phone": _("This is not a phone number.")})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {f"{prefix}contact_email": _("This is not an e-mail address.")}
            ) from None
    return Contact(name=name, phone=phone, email=email)


def service_point_of(counter: OrgUnit) -> OrgUnit:
    return counter.parent if counter.parent is not None else counter


def open_cases(
    *, counter: OrgUnit, channel: str, ratings: list[tuple[uuid.UUID, Contact]]
) -> dict[uuid.UUID, tuple[str, str]]:
    """The ingest hook: for dissatisfied ratings stored with contact details, a case each
    (a retried rating finds its case again). Returns (receipt code, secret) by rating
    client id; the secret only when the case is opened now, since only its hash is kept."""
    # The kiosk's counter is built from one hand-written query, without its parent.
    counter = OrgUnit.objects.select_related("parent").get(pk=counter.pk)
    stored = {
        row["client_id"]: row
        for row in ServiceRating.objects.filter(
            client_id__in=[client_id for client_id, _contact in ratings], counter=counter
        ).values("id", "client_id", "rated_on", "side")
    }
    receipts = {
        client_id: (receipt, "")
        for client_id, receipt in FollowUpCase.objects.filter(
            rating_client_id__in=stored
        ).values_list("rating_client_id", "receipt")
    }
    for client_id, contact in ratings:
        row = stored.get(client_id)
        if row is None or row["side"] >= 0 or client_id in receipts:
            continue
        case, secret = _open_case(counter=counter, channel=channel, row=row, contact=contact)
        receipts[client_id] = (case.receipt, secret)
    return receipts


def _open_case(
    *, counter: OrgUnit, channel: str, row: Mapping[str, Any], contact: Contact
) -> tuple[FollowUpCase, str]:
    now = timezone.now()
    secret, secret_hash = new_secret()
    case = FollowUpCase(
        secret_hash=secret_hash,
        unit=service_point_of(counter),
        counter=counter,
        rating_id=row["id"],
        rating_client_id=row["client_id"],
        rated_on=row["rated_on"],
        channel=channel,
        contact_name=contact.name,
        contact_phone=contact.phone,
        contact_email=contact.email,
        opened_at=now,
        due_at=now + datetime.timedelta(days=conf.case_due_days()),
    )
    with transaction.atomic(), anonymously():  # a citizen: no actor, no address logged
        for _attempt in range(5):
            case.receipt = new_receipt()
            try:
                with transaction.atomic():
                    case.save()
                break
            except IntegrityError:
                if FollowUpCase.objects.filter(rating_client_id=row["client_id"]).exists():
                    return FollowUpCase.objects.get(rating_client_id=row["client_id"]), ""
                case.pk = None
        CaseStep.objects.create(case=case, kind=StepKind.OPENED, at=now)
    if case.contact_email:
        transaction.on_commit(lambda: _email_receipt(case, secret))
    return case, secret


def _email_receipt(case: FollowUpCase, secret: str) -> None:
    subject = _("Your feedback %(receipt)s") % {"receipt": case.receipt}
    body = _(
        "Thank you for your feedback. %(unit)s will answer you by %(date)s.\n"
        "Follow the answer with your receipt code %(receipt)s: %(link)s\n"
        "Your secret, which alone lets you say whether the answer settled the matter: "
        "%(secret)s\n"
    ) % {
        "unit": case.unit.name,
        "date": timezone.localtime(case.due_at).strftime("%d/%m/%Y"),
        "receipt": case.receipt,
        "link": settings.SITE_URL + case.get_public_url(),
        "secret": secret,
    }
    try:
        send_mail(subject, body, None, [case.contact_email])
    except Exception:  # an SMTP failure must not lose the case  # noqa: BLE001
        logger.exception("Could not e-mail the receipt of case %s", case.pk)


def _check_case(actor: User, case: FollowUpCase) -> None:
    if not scope_of(actor).covers(case.unit, roles=STAFF_ROLES):
        raise PermissionDenied


@transaction.atomic
def reply_to_case(
    *,
    actor: User,
    case: FollowUpCase,
    text: str,
    files: Sequence[UploadedFile[bytes]] = (),
    close: bool = False,
) -> CaseStep:
    """A public reply, with evidence files (PDF or photos). With `close`, the case closes
    too, which needs evidence on a reply since the case was last (re)opened."""
    _check_case(actor, case)
    if not case.is_open():
        raise ValidationError(_("This case is closed."))
    if not text.strip():
        raise ValidationError({"text": _("Write the reply.")})
    contents = [clean_attachment(upload, field="files", accept=PHOTOS_AND_PDF) for upload in files]
    with acting_as(actor):
        step = CaseStep.objects.create(
            case=case, kind=StepKind.REPLY, text=text.strip(), author=actor
        )
        for content in contents:
            evidence = CaseEvidence(step=step, filename=content.name)
            evidence.file.save(content.name, content, save=False)
            evidence.save()
    if close:
        close_case(actor=actor, case=case)
    return step


def has_evidence_since_opened(case: FollowUpCase) -> bool:
    last_opened = (
        case.steps.filter(kind__in=(StepKind.OPENED, StepKind.NOT_SETTLED))
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    replies = CaseEvidence.objects.filter(step__case=case, step__kind=StepKind.REPLY)
    if last_opened is not None:
        replies = replies.filter(step__at__gte=last_opened)
    return replies.exists()


@transaction.atomic
def close_case(*, actor: User, case: FollowUpCase) -> FollowUpCase:
    """Close after answering: refused unless a reply carries evidence (a document or a
    photo) since the case was opened or reopened, so no answer goes out without proof."""
    _check_case(actor, case)
    case = FollowUpCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open():
        raise ValidationError(_("This case is already closed."))
    if not has_evidence_since_opened(case):
        raise ValidationError(
            {"files": _("Attach a document or a photo to a reply before closing the case.")}
        )
    now = timezone.now()
    case.status, case.closed_at = CaseStatus.CLOSED, now
    with acting_as(actor):
        case.save(update_fields=["status", "closed_at"])
        CaseStep.objects.create(case=case, kind=StepKind.CLOSED, author=actor, at=now)
    if case.contact_email:
        transaction.on_commit(lambda: _email_answer(case))
    return case


def _email_answer(case: FollowUpCase) -> None:
    subject = _("Your feedback %(receipt)s has been answered") % {"receipt": case.receipt}
    body = _(
        "%(unit)s has answered your feedback, with proof of what was done.\n"
        "Read the answer and tell us whether it settled the matter: %(link)s\n"
    ) % {"unit": case.unit.name, "link": settings.SITE_URL + case.get_public_url()}
    try:
        send_mail(subject, body, None, [case.contact_email])
    except Exception:  # the answer is on the receipt page anyway  # noqa: BLE001
        logger.exception("Could not e-mail the answer of case %s", case.pk)


@transaction.atomic
def answer_case(
    *, case: FollowUpCase, secret: str, settled: bool, comment: str = ""
) -> FollowUpCase:
    """The citizen, on the receipt page with the secret given with the receipt: settled,
    or not settled with a comment (which reopens the case with a new due date)."""
    case = FollowUpCase.objects.select_for_update().get(pk=case.pk)
    if case.is_open():
        raise ValidationError(_("You can answer once the case has been answered and closed."))
    if not secret_matches(secret, case.secret_hash):
        raise ValidationError({"secret": _("This secret does not match the receipt code.")})
    comment = comment.strip()
    if not settled and not comment:
        raise ValidationError({"comment": _("Tell us what is still wrong.")})
    if len(comment) > 2000:
        raise ValidationError({"comment": _("The comment is longer than 2,000 characters.")})
    now = timezone.now()
    with anonymously():
        if settled:
            case.citizen_settled = True
            case.save(update_fields=["citizen_settled"])
            CaseStep.objects.create(case=case, kind=StepKind.SETTLED, text=comment, at=now)
        else:
            case.citizen_settled = False
            case.status, case.closed_at = CaseStatus.OPEN, None
            case.reopened += 1
            case.due_at = now + datetime.timedelta(days=conf.case_due_days())
            case.escalated_at = case.escalated_to = None
            case.save(
                update_fields=[
                    "citizen_settled",
                    "status",
                    "closed_at",
                    "reopened",
                    "due_at",
                    "escalated_at",
                    "escalated_to",
                ]
            )
            CaseStep.objects.create(case=case, kind=StepKind.NOT_SETTLED, text=comment, at=now)
    return case


def escalation_target(unit: OrgUnit) -> tuple[OrgUnit | None, list[User]]:
    """The level above: the nearest ancestor whose coordinators or head hold a role on it."""
    User = get_user_model()
    above = unit.parent
    while above is not None:
        users = list(
            User.objects.filter(
                is_active=True,
                role_assignments__unit=above,
                role_assignments__role__in=ESCALATION_ROLES,
            ).distinct()
        )
        if users:
            return above, users
        above = above.parent
    return None, []


def escalate_overdue_cases(*, now: datetime.datetime | None = None) -> int:
    """Open cases past due + FEEDBACK_CASE_ESCALATE_DAYS go to the level above: listed
    there as escalated (in-app) and e-mailed to its coordinators and head."""
    now = now or timezone.now()
    escalated = 0
    for case in FollowUpCase.objects.to_escalate(now).select_related("unit"):
        with transaction.atomic():
            target, users = escalation_target(case.unit)
            case.escalated_at, case.escalated_to = now, target or case.unit
            with acting_as(None):
                case.save(update_fields=["escalated_at", "escalated_to"])
                CaseStep.objects.create(
                    case=case,
                    kind=StepKind.ESCALATED,
                    text=(target or case.unit).name,
                    is_public=False,
                    at=now,
                )
            transaction.on_commit(partial(_email_escalation, case, users))
        escalated += 1
    return escalated


def _email_escalation(case: FollowUpCase, users: list[User]) -> None:
    for user in users:
        if not user.email:
            continue
        subject = _("Follow-up case %(receipt)s is overdue") % {"receipt": case.receipt}
        body = _(
            "The follow-up case %(receipt)s of %(unit)s was due on %(date)s and is still "
            "open. It is escalated to you.\n%(link)s\n"
        ) % {
            "receipt": case.receipt,
            "unit": case.unit.name,
            "date": timezone.localtime(case.due_at).strftime("%d/%m/%Y"),
            "link": settings.SITE_URL + reverse("feedback:case_detail", args=[case.pk]),
        }
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:  # one SMTP failure must not stop the others  # noqa: BLE001
            logger.exception("Could not e-mail the escalation of case %s", case.pk)


def contacts_of(ratings: list[RatingInput]) -> list[tuple[uuid.UUID, Contact]]:
    """Checked contact details of the ratings that carry some (ValidationError names the
    item and field); a name alone is not enough to answer."""
    many = len(ratings) > 1
    found: list[tuple[uuid.UUID, Contact]] = []
    for index, item in enumerate(ratings):
        contact = item.contact
        if contact is None or not (contact.name or contact.phone or contact.email).strip():
            continue
        prefix = f"ratings.{index}." if many else ""
        if not contact.is_given():
            raise ValidationError(
                {f"{prefix}contact_phone": _("Give a phone number or an e-mail address.")}
            )
        found.append((item.client_id, check_contact(contact, prefix)))
    return found


def with_receipts(
    results: list[Stored],
    counter: OrgUnit,
    channel: str,
    contacts: list[tuple[uuid.UUID, Contact]],
) -> list[Stored]:
    """The ingest hook's second half: open the cases, give each result its receipt code
    (and, for a case opened now, its secret)."""
    receipts = open_cases(counter=counter, channel=channel, ratings=contacts)
    given = []
    for result in results:
        receipt, secret = receipts.get(result.client_id, ("", ""))
        given.append(replace(result, case_receipt=receipt, case_secret=secret))
    return given
