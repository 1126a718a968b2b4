"""Violation records with their handling, the steps of their handling and their evidence.

A record is reported → being verified → confirmed (with handling) or dismissed (with a
reason) → closed. Every step is a `RecordStep` with who and when; records, steps, evidence and
messages are never deleted (database triggers, migration 0002). Records are confidential by
default: `visible_to(user)` lets through the handlers of the record's subtree and the official
concerned only; reads are written to the audit trail (actions.read_record).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.conduct.models.catalogue import ViolationType
from civility.conduct.rules import (
    RULE_SET_CHOICES,
    DisciplineForm,
    RuleSet,
    Severity,
    rule_set_by_key,
)
from civility.core.files import RandomName
from civility.core.models import Evidence, UnitAudited
from civility.orgs.models import Official, OrgUnit, Place
from civility.orgs.scopes import Reader, Role, scope_of

# Who may edit the catalogue (of their province or unit).
CATALOGUE_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
# Who reads confidential records of their subtree, reports and verifies.
READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.INSPECTOR)
# Who decides (confirms, dismisses) and closes.
DECIDER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)


# --- Records -----------------------------------------------------------------------------


class Source(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SURPRISE_CHECK = "surprise_check", _("Surprise check")
    CITIZEN = "citizen", _("Citizen rating or report")
    ANONYMOUS = "anonymous", _("Anonymous report")
    SUPERVISOR = "supervisor", _("Supervisor")
    SELF_REPORT = "self_report", _("Self-report")
    OTHER_AGENCY = "other_agency", _("Other agency")


class RecordStatus(models.TextChoices):
    # Opened by an inspection's finding about an official: the handlers of the official's
    # unit review it (type, severity) before verifying; it counts nowhere until confirmed.
    DRAFT = "draft", _("Draft from an inspection")
    REPORTED = "reported", _("Reported")
    VERIFYING = "verifying", _("Being verified")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    NONE = "", _("Not decided")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class Handling(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    CRITICISM = "criticism", _("Criticism in a meeting")
    DISCIPLINARY = "disciplinary", _("Disciplinary measure")
    TRANSFER = "transfer", _("Transfer from post")


OPEN_STATUSES = (RecordStatus.DRAFT, RecordStatus.REPORTED, RecordStatus.VERIFYING)

# The workflow: which status may follow which. Anything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RecordStatus.DRAFT: (RecordStatus.VERIFYING,),
    RecordStatus.REPORTED: (RecordStatus.VERIFYING,),
    RecordStatus.VERIFYING: (RecordStatus.CONFIRMED, RecordStatus.DISMISSED),
    RecordStatus.CONFIRMED: (RecordStatus.CLOSED,),
    RecordStatus.DISMISSED: (RecordStatus.CLOSED,),
    RecordStatus.CLOSED: (),
}


class ViolationRecordQuerySet(models.QuerySet["ViolationRecord"]):
    def visible_to(self, user: Reader) -> ViolationRecordQuerySet:
        """Confidential records: handlers of the subtree and the official concerned.
        Records marked not confidential: anyone whose scope covers the unit, too."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=READER_ROLES)
        condition |= Q(confidential=False) & scope.q("unit__path")
        if user is not None and user.is_authenticated:
            condition |= Q(official__user=user)
        return self.filter(condition)

    def handled_by(self, user: Reader) -> ViolationRecordQuerySet:
        """Records the user reads by role (not merely as the official concerned)."""
        return self.filter(scope_of(user).q("unit__path", roles=READER_ROLES))

    def reporter_hidden_from(self, user: Reader) -> ViolationRecordQuerySet:
        """Records `user` may read without learning who reported them: the official
        concerned, and readers who do not handle the record (actions.may_see_reporter for
        one record)."""
        about_user = (
            Q(official__user=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        )
        scope = scope_of(user)
        readers = scope.paths_with_role(*READER_ROLES)
        if scope.is_global or all(
            any(path.startswith(reader) for reader in readers) for path in scope.paths
        ):
            # Every record the scope reaches is handled: only those about the user remain.
            # Decided here so that the audit log's check for them (conduct.audit) reads the
            # user's own records, not the whole city's (0.1-0.5 s on every page).
            return self.filter(about_user)
        # "Not handled" is the negation of handled_by's row condition.
        not_handled = ~scope.q("unit__path", roles=READER_ROLES)
        return self.visible_to(user).filter(about_user | not_handled)

    def under(self, unit: OrgUnit) -> ViolationRecordQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def between(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> ViolationRecordQuerySet:
        """Records of violations that happened from `start` to `end`, both included."""
        records = self
        if start is not None:
            records = records.filter(occurred_on__gte=start)
        if end is not None:
            records = records.filter(occurred_on__lte=end)
        return records

    def confirmed(self) -> ViolationRecordQuerySet:
        """Confirmed, whether still open or since closed."""
        return self.filter(outcome=Outcome.CONFIRMED)

    def open(self) -> ViolationRecordQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def with_related(self) -> ViolationRecordQuerySet:
        return self.select_related("unit", "official", "type__group", "place")

    def disciplinary_decisions(
        self,
        *,
        year: int | None = None,
        officials: Iterable[int | Official] | None = None,
    ) -> ViolationRecordQuerySet:
        """The one definition of "disciplined in year Y", for every app: confirmed records
        handled with a disciplinary measure, counted in the year of the DECISION (not of the
        violation). Each row carries the form, decision date, violation date (`occurred_on`),
        whether it was related to duties and the disciplinary rule set.

        `officials`: ids, officials or a queryset of them. Unscoped: the caller decides who
        may see the result."""
        records = self.confirmed().filter(handling=Handling.DISCIPLINARY)
        if year is not None:
            records = records.filter(decision_date__year=year)
        if officials is not None:
            records = records.filter(official__in=officials)
        return records.select_related("official", "type").order_by("decision_date", "pk")


class ViolationRecord(UnitAudited):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="violation_records",
        verbose_name=_("unit"),
        help_text=_("The unit concerned; for an official, their unit at the time."),
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violation_records",
        verbose_name=_("official"),
    )
    type = models.ForeignKey(
        ViolationType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("violation type"),
        help_text=_("May stay empty while a citizen's report is verified."),
    )
    occurred_on = models.DateField(_("happened on"))
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violation_records",
        verbose_name=_("public place"),
    )
    location = models.CharField(_("where"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=32, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=300,
        blank=True,
        help_text=_("The inspection, report or document that revealed it (number, date)."),
    )
    source_url = models.CharField(
        _("link to the source"),
        max_length=500,
        blank=True,
        help_text=_("A link to the inspection or report in Civility, or elsewhere."),
    )
    description = models.TextField(_("what happened"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=True,
        help_text=_(
            "Confidential records are read only by the unit head, coordinators and inspectors "
            "of the unit's subtree and by the official concerned; every read is audited. "
            "Records about an official are always confidential."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.REPORTED
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    handling = models.CharField(_("handling"), max_length=16, choices=Handling.choices, blank=True)
    handling_note = models.TextField(_("handling details"), blank=True)
    discipline_form = models.CharField(
        _("disciplinary form"), max_length=32, choices=DisciplineForm.choices, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    rule_set = models.CharField(
        _("rule set"),
        max_length=32,
        choices=RULE_SET_CHOICES,
        blank=True,
        help_text=_("The disciplinary rules in force on the decision date."),
    )
    # Decided with the handling, not derived from the type later: whether a decision counts
    # against the annual classification depends on it (Decree 90/2020 Art. 11 point c;
    # Decree 335/2025 Art. 20), and the type only suggests it.
    related_to_duties = models.BooleanField(
        _("related to duties"),
        null=True,
        blank=True,
        help_text=_(
            "Whether the violation was committed in performing official duties (public-service "
            "activity). Required for a disciplinary decision."
        ),
    )
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The inspection finding that opened this record (a draft), one record per finding.
    finding = models.OneToOneField(
        "inspections.Finding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="violation_record",
        verbose_name=_("inspection finding"),
    )

    objects = ViolationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation record")
        verbose_name_plural = _("violation records")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["official", "outcome", "occurred_on"], name="record_official"),
            models.Index(fields=["occurred_on"], name="record_occurred"),
            # The records list's default order.
            models.Index(fields=["reported_at", "id"], name="record_reported_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "reported", "verifying"], outcome="")
                | Q(status="confirmed", outcome="confirmed")
                | Q(status="dismissed", outcome="dismissed")
                | (Q(status="closed") & ~Q(outcome="")),
                name="record_status_matches_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="confirmed")
                | (
                    Q(type__isnull=False, decided_at__isnull=False)
                    & ~Q(severity="")
                    & ~Q(handling="")
                    & ~Q(rule_set="")
                ),
                name="record_confirmed_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="dismissed")
                | (Q(decided_at__isnull=False) & ~Q(dismissal_reason="")),
                name="record_dismissed_has_reason",
            ),
            # Only records about a unit as a whole may be opened up beyond the handlers.
            models.CheckConstraint(
                condition=Q(official__isnull=True) | Q(confidential=True),
                name="record_about_official_is_confidential",
            ),
            models.CheckConstraint(
                condition=~Q(handling="disciplinary")
                | (
                    Q(official__isnull=False, decision_date__isnull=False)
                    & ~Q(discipline_form="")
                    & ~Q(decision_number="")
                ),
                name="record_discipline_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(handling="disciplinary") | Q(related_to_duties__isnull=False),
                name="record_discipline_states_duties",
            ),
        ]

    def __str__(self) -> str:
        return _("Record %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("conduct:record_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"VP-{self.pk:06d}" if self.pk else "VP-?"

    def allowed_next(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_about(self, user: Reader) -> bool:
        """Whether `user` is the official the record is about."""
        return bool(
            user is not None
            and user.is_authenticated
            and self.official is not None
            and self.official.user_id == user.pk
        )

    def rule_set_obj(self) -> RuleSet | None:
        return rule_set_by_key(self.rule_set)

    def days_to_decision(self) -> int | None:
        if self.decided_at is None:
            return None
        return (self.decided_at - self.reported_at).days


class StepKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFICATION_STARTED = "verification_started", _("Verification started")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    CLOSED = "closed", _("Closed")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    QUESTION_ASKED = "question_asked", _("Question to the reporter")
    REPORTER_ANSWERED = "reporter_answered", _("Reporter answered")
    DETAILS_CHANGED = "details_changed", _("Details completed")


class RecordStep(UnitAudited):
    """One step of a record's handling: who did what, when. Never changed or deleted."""

    audit_unit = "record.unit"

    record = models.ForeignKey(
        ViolationRecord, on_delete=models.PROTECT, related_name="steps", verbose_name=_("record")
    )
    kind = models.CharField(_("step"), max_length=32, choices=StepKind.choices)
    from_status = models.CharField(
        _("from"), max_length=16, choices=RecordStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=RecordStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("record step")
        verbose_name_plural = _("record steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_kind_display()}"


class RecordEvidence(Evidence):
    """An anonymous reporter's file keeps no `filename`: the name could tell who they are."""

    audit_unit = "record.unit"

    record = models.ForeignKey(
        ViolationRecord, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("record")
    )
    file = models.FileField(_("file"), upload_to=RandomName("conduct/evidence/%Y/%m/"), blank=True)

    def get_absolute_url(self) -> str:
        return reverse("conduct:evidence_file", args=[self.pk])


# --- Selector for other apps -------------------------------------------------------------


def confirmed_records(
    *,
    official: Official | None = None,
    unit: OrgUnit | None = None,
    start: datetime.date,
    end: datetime.date,
) -> ViolationRecordQuerySet:
    """Confirmed violation records that happened from `start` to `end` (both included).

    For evaluations and award eligibility: `official` narrows to one person, `unit` to the
    unit's subtree (records about the unit itself or anyone in it). A record counts from the
    moment it is confirmed, and still counts after it is closed. Unscoped: the caller decides
    who may see the result.
    """
    records = ViolationRecord.objects.confirmed().between(start, end)
    if official is not None:
        records = records.filter(official=official)
    if unit is not None:
        records = records.under(unit)
    return records.select_related("type__group", "official", "unit")
