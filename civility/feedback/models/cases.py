"""Follow-up cases: a dissatisfied citizen left contact details with a rating, and the
service point answers them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.files import RandomName
from civility.core.models import StoredFile, UnitAudited
from civility.feedback import conf
from civility.feedback.models.ratings import Channel, rating_link
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Reader, scope_of


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Answered and closed")


class FollowUpCaseQuerySet(models.QuerySet["FollowUpCase"]):
    def visible_to(self, user: Reader) -> FollowUpCaseQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> FollowUpCaseQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def open(self) -> FollowUpCaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def to_escalate(self, now: datetime.datetime) -> FollowUpCaseQuerySet:
        late = now - datetime.timedelta(days=conf.case_escalate_days())
        return self.open().filter(escalated_at__isnull=True, due_at__lt=late)


class FollowUpCase(UnitAudited):
    """A dissatisfied citizen left contact details with a rating: the service point answers,
    with evidence, and the citizen says whether it settled the matter. The contact details
    live here, never on the rating, and only the unit's staff see them."""

    receipt = models.CharField(_("receipt code"), max_length=9, unique=True, editable=False)
    # The citizen's secret (civility.core.receipts), shown once with the receipt: only it
    # lets them say whether the answer settled the matter. Older cases have none.
    secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="followup_cases", verbose_name=_("unit")
    )
    counter = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("counter")
    )
    rating = rating_link(verbose_name=_("rating"))
    rating_client_id = models.UUIDField(unique=True, editable=False)
    rated_on = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    citizen_settled = models.BooleanField(_("settled for the citizen"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )

    objects = FollowUpCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["unit", "status"], name="case_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(contact_phone="") | ~Q(contact_email=""), name="case_has_contact"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    def get_absolute_url(self) -> str:
        return reverse("feedback:case_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("feedback:case_public", args=[self.receipt])

    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.is_open() and self.due_at < (now or timezone.now())

    def public_steps(self) -> models.QuerySet[CaseStep]:
        return self.steps.filter(is_public=True).prefetch_related("evidence")


class StepKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    REPLY = "reply", _("Reply")
    CLOSED = "closed", _("Closed")
    SETTLED = "settled", _("The citizen says it is settled")
    NOT_SETTLED = "not_settled", _("The citizen says it is not settled")
    ESCALATED = "escalated", _("Escalated")


class CaseStep(UnitAudited):
    """A step in a case's handling; public ones (replies, the citizen's answers) are shown
    on the citizen's page."""

    case = models.ForeignKey(FollowUpCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices)
    text = models.TextField(_("text"), blank=True, max_length=4000)
    is_public = models.BooleanField(default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    audit_unit = "case.unit"

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.kind}"


class CaseEvidence(UnitAudited, StoredFile):
    """A document (PDF) or photo (re-encoded, no EXIF) attached to a reply."""

    step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=RandomName("feedback/cases/%Y/%m/"))
    added_at = models.DateTimeField(default=timezone.now)

    audit_unit = "step.case.unit"
    download_prefix = "evidence"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "pk"]

    def is_photo(self) -> bool:
        return not (self.file.name or "").endswith(".pdf")
