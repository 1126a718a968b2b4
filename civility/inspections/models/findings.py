"""Findings of an inspection and the corrective actions they lead to: their steps, evidence,
reminders and escalations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.files import RandomName, extension_of
from civility.core.models import StoredFile, UnitAudited
from civility.core.search import trigram_index
from civility.inspections.models.inspections import Inspection
from civility.inspections.models.roles import (
    ESCALATION_ROLES,
    INSPECTOR_ROLES,
    RESPONDER_ROLES,
    Viewer,
)
from civility.inspections.models.templates import Criterion
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of

# --- Findings and corrective actions -----------------------------------------------------


class FindingKind(models.TextChoices):
    SHORTCOMING = "shortcoming", _("Shortcoming")
    VIOLATION = "violation", _("Violation")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class FindingQuerySet(models.QuerySet["Finding"]):
    def visible_to(self, user: Viewer) -> FindingQuerySet:
        return self.filter(inspection__in=Inspection.objects.visible_to(user).values("pk"))


class Finding(UnitAudited):
    audit_unit = "inspection.unit"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("criterion"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=FindingKind.choices, default=FindingKind.SHORTCOMING
    )
    description = models.TextField(_("what was found"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_findings",
        verbose_name=_("official concerned"),
        help_text=_("For a violation by a person; leave empty when it is the unit's."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Responded, to verify")
    CLOSED = "closed", _("Closed")


def _prefixes(path: str) -> list[str]:
    """Every string that `path` starts with: the unit paths it lies under or at."""
    return [path[:end] for end in range(1, len(path) + 1)]


def _visible_actions(user: Viewer) -> Q:
    """The actions of the units in `user`'s scope, and of the inspections they may see
    (Inspection.visible_to: the inspected or inspecting unit's subtree, or a seat on the
    delegation). Every test is "a column of the action or its inspection IN (a small set)":
    written as LIKE on three joined units, ORed, the planner joined every inspection to every
    unit and a ward head's list took seconds, or minutes with a text filter."""
    units = OrgUnit.objects.visible_to(user).values("pk")
    condition = (
        Q(unit__in=units)
        | Q(finding__inspection__unit__in=units)
        | Q(finding__inspection__inspecting_unit__in=units)
    )
    if user is not None and user.is_authenticated:
        seats = Inspection.team.through.objects.filter(user=user).values("inspection_id")
        condition |= Q(finding__inspection__in=seats)
    return condition


class CorrectiveActionQuerySet(models.QuerySet["CorrectiveAction"]):
    def visible_to(self, user: Viewer) -> CorrectiveActionQuerySet:
        return self if scope_of(user).is_global else self.filter(_visible_actions(user))

    def readable_by(self, user: Viewer) -> CorrectiveActionQuerySet:
        """visible_to, and the actions of the counters serving the user's ward (read-only:
        no responder or verifier role reaches them; views audit those reads)."""
        if scope_of(user).is_global:
            return self
        serving = OrgUnit.objects.serving_scope_of(user).values("pk")
        return self.filter(_visible_actions(user) | Q(unit__in=serving))

    def serving_only_for(self, user: Viewer) -> CorrectiveActionQuerySet:
        """Those of readable_by that visible_to does not reach, whose reads are audited."""
        return self.filter(unit__in=OrgUnit.objects.serving_scope_of(user).values("pk")).exclude(
            pk__in=self.visible_to(user).values("pk")
        )

    def not_closed(self) -> CorrectiveActionQuerySet:
        return self.exclude(status=ActionStatus.CLOSED)

    def overdue(self, on: datetime.date | None = None) -> CorrectiveActionQuerySet:
        day = on or timezone.localdate()
        return self.not_closed().filter(deadline__lt=day)

    def closed_on_time(self) -> CorrectiveActionQuerySet:
        """Closed by the deadline, the day of closing counted in local time."""
        return self.filter(status=ActionStatus.CLOSED, closed_at__date__lte=models.F("deadline"))

    def to_respond_by(self, user: Viewer) -> CorrectiveActionQuerySet:
        """Open actions of the units where `user` answers for them or works (a responder
        role), except those their own inspecting unit issued: there they are the side that
        verifies."""
        scope = scope_of(user)
        responsible = scope.q("unit__path", roles=RESPONDER_ROLES)
        issued = scope.q("finding__inspection__inspecting_unit__path", roles=INSPECTOR_ROLES)
        actions = self.filter(responsible, status=ActionStatus.OPEN)
        return actions if scope.is_global else actions.exclude(issued)

    def awaiting_verification_by(self, user: Viewer) -> CorrectiveActionQuerySet:
        """Responded actions on the side that issued them (inspecting roles over the
        inspecting unit, or the delegation); `actions.can_verify` has the last word."""
        responded = self.filter(status=ActionStatus.RESPONDED)
        scope = scope_of(user)
        if scope.is_global:
            return responded
        if user is None or not user.is_authenticated:
            return self.none()
        members = Inspection.team.through.objects.filter(
            inspection=OuterRef("finding__inspection"), user=user
        )
        return responded.filter(
            scope.q("finding__inspection__inspecting_unit__path", roles=INSPECTOR_ROLES)
            | Q(Exists(members))
        )

    def verifiable_by(self, user: Viewer) -> CorrectiveActionQuerySet:
        """Responded actions `user` may verify: the SQL form of `actions.can_verify`, so a
        list of them costs one query instead of a check per row (the city coordinator's
        to-do home read 200 candidates with their steps and delegations to count them)."""
        actions = self.awaiting_verification_by(user)
        if user is None or not user.is_authenticated:
            return actions
        answered_by_user = ActionStep.objects.filter(
            action=OuterRef("pk"), kind=ActionStep.Kind.RESPONDED, by=user
        )
        actions = actions.exclude(responded_by=user).exclude(Exists(answered_by_user))
        scope = scope_of(user)
        if scope.is_global:
            return actions
        # `owner.startswith` tests of can_verify, as "the owner's path is one of the
        # prefixes of the path": an index-free IN on the joined unit.
        issued = Q(pk__in=[])
        for path in scope.paths_with_role(*INSPECTOR_ROLES):
            issued |= Q(finding__inspection__inspecting_unit__path__startswith=path) & ~Q(
                unit__path__in=_prefixes(path)
            )
        granted = {prefix for _role, path in scope.grants for prefix in _prefixes(path)}
        members = Inspection.team.through.objects.filter(
            inspection=OuterRef("finding__inspection"), user=user
        )
        delegation = ~Q(unit__path__in=sorted(granted)) & Q(Exists(members))
        return actions.filter(issued | delegation)

    def with_related(self) -> CorrectiveActionQuerySet:
        return self.select_related(
            "unit",
            "finding__inspection__unit",
            "finding__inspection__inspecting_unit",
            "finding__criterion",
        )

    def of_target(self, inspection: Inspection) -> CorrectiveActionQuerySet:
        """Actions from earlier inspections of the same unit or place as `inspection`."""
        return self.filter(
            finding__inspection__unit_id=inspection.unit_id,
            # None matches inspections of no place (IS NULL); django-stubs lets None
            # through on the relation, not on its _id column.
            finding__inspection__place=inspection.place_id,
        ).exclude(finding__inspection_id=inspection.pk)

    def escalated_to(self, user: Viewer) -> CorrectiveActionQuerySet:
        """Actions escalated to a unit where the user is a coordinator or unit head."""
        scope = scope_of(user)
        if scope.is_global:
            return self.filter(escalations__isnull=False).distinct()
        return self.filter(
            escalations__in=ActionEscalation.objects.filter(
                scope.q("unit__path", roles=ESCALATION_ROLES)
            )
        ).distinct()


class CorrectiveAction(UnitAudited):
    """A recommendation turned into work for the inspected unit, with a deadline:
    open → responded (what was done, evidence) → closed by the inspector, or sent back."""

    finding = models.ForeignKey(
        Finding,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("finding"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
        verbose_name=_("responsible unit"),
    )
    description = models.TextField(_("what to do"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    response = models.TextField(_("what was done"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="action_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="action_status_deadline"),
            # The list's order: the first page of a city's 15,000 open actions walks it and
            # stops after one page instead of joining and sorting all of them.
            models.Index(fields=["deadline", "id"], name="action_deadline_id"),
            # Their statistics tell the planner how many actions a typed text matches.
            trigram_index("description", name="action_description_trgm"),
            trigram_index("response", name="action_response_trgm"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("inspections:action_detail", args=[self.pk])

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.status != ActionStatus.CLOSED and self.deadline < day

    def days_overdue(self, on: datetime.date | None = None) -> int:
        day = on or timezone.localdate()
        return max(0, (day - self.deadline).days)


class ActionStep(UnitAudited):
    """The history of a corrective action: responded, sent back, closed."""

    audit_unit = "action.unit"

    class Kind(models.TextChoices):
        CREATED = "created", _("Assigned")
        RESPONDED = "responded", _("Responded")
        SENT_BACK = "sent_back", _("Sent back")
        CLOSED = "closed", _("Verified and closed")
        CHECKED_OPEN = "checked_open", _("Checked on a revisit: still open")
        ESCALATED = "escalated", _("Escalated to the level above")

    action = models.ForeignKey(
        CorrectiveAction, on_delete=models.CASCADE, related_name="steps", verbose_name=_("action")
    )
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_checks",
        verbose_name=_("checked during"),
        help_text=_("The revisit during which the action was checked on the spot."),
    )
    photo = models.ImageField(
        _("photo"), upload_to=RandomName("inspections/checks/%Y/%m/"), blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} · {self.get_kind_display()}"

    def get_photo_url(self) -> str:
        return reverse("inspections:step_photo", args=[self.pk])

    @property
    def photo_download_name(self) -> str:
        return f"action-{self.action_id}-check-{self.pk}{extension_of(self.photo.name or '')}"


class EvidenceFile(UnitAudited, StoredFile):
    audit_unit = "action.unit"
    download_prefix = "evidence"

    action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("action"),
    )
    file = models.FileField(_("file"), upload_to=RandomName("inspections/evidence/%Y/"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def get_absolute_url(self) -> str:
        return reverse("inspections:evidence_file", args=[self.pk])

    @property
    def is_photo(self) -> bool:
        # Stored names carry the extension of what the cleaner found the content to be.
        return extension_of(self.file.name or "") in (".jpg", ".jpeg", ".png")


class ActionReminder(models.Model):
    """One reminder about one corrective action on one day (the daily job runs once)."""

    action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("action"),
    )
    sent_on = models.DateField(_("sent on"))
    days_to_deadline = models.SmallIntegerField(_("days to deadline"))
    recipients = models.PositiveSmallIntegerField(_("recipients e-mailed"), default=0)

    class Meta:
        verbose_name = _("action reminder")
        verbose_name_plural = _("action reminders")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "sent_on"], name="action_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.sent_on}"


class ActionEscalation(UnitAudited):
    """One step of the escalation ladder of an overdue action: step n goes to the n-th unit
    above the responsible unit (settings.INSPECTION_ACTION_ESCALATION_DAYS). Once per step."""

    audit_unit = "action.unit"

    action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name=_("action"),
    )
    step = models.PositiveSmallIntegerField(_("step"))
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    escalated_on = models.DateField(_("escalated on"))
    days_overdue = models.PositiveSmallIntegerField(_("days overdue"))
    recipients = models.PositiveSmallIntegerField(_("recipients e-mailed"), default=0)

    class Meta:
        verbose_name = _("action escalation")
        verbose_name_plural = _("action escalations")
        ordering = ["action", "step"]
        constraints = [
            models.UniqueConstraint(fields=["action", "step"], name="action_escalation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.step} · {self.unit}"
