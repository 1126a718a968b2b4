"""Inspection plans, inspections and what an inspection records: answers, photos and
amendments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.files import RandomName
from civility.core.models import StoredFile, UnitAudited
from civility.inspections.models.roles import INSPECTOR_ROLES, Viewer
from civility.inspections.models.templates import Criterion, TemplateVersion
from civility.orgs.models import OrgUnit, Place, UnitKind
from civility.orgs.scopes import scope_of

# --- Plans and inspections ---------------------------------------------------------------


class InspectionPlanQuerySet(models.QuerySet["InspectionPlan"]):
    def visible_to(self, user: Viewer) -> InspectionPlanQuerySet:
        # Only the inspecting unit's subtree: a plan shows every inspected unit's scores.
        return self.filter(scope_of(user).q("unit__path"))


class InspectionPlan(UnitAudited):
    """An inspecting unit's annual plan: which units and places, when, by whom."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("inspecting unit"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=255)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.pk])


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SURPRISE = "surprise", _("Surprise")
    CROSS = "cross", _("Cross")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def visible_to(self, user: Viewer) -> InspectionQuerySet:
        """The inspected unit's subtree sees its own inspections; the inspecting unit's
        subtree and the delegation's members see the ones they run. Nobody sees a peer's."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path") | scope.q("inspecting_unit__path")
        if user is not None and user.is_authenticated:
            members = Inspection.team.through.objects.filter(inspection=OuterRef("pk"), user=user)
            condition |= Q(Exists(members))
        return self.filter(condition)

    def conducted_by(self, user: Viewer) -> InspectionQuerySet:
        """Inspections `user` runs: the SQL form of `actions.can_conduct` (inspecting roles
        over the inspecting unit, or a seat on the delegation)."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        members = Inspection.team.through.objects.filter(inspection=OuterRef("pk"), user=user)
        return self.filter(
            scope.q("inspecting_unit__path", roles=INSPECTOR_ROLES) | Q(Exists(members))
        )

    def submitted(self) -> InspectionQuerySet:
        return self.filter(status=InspectionStatus.SUBMITTED)

    def open(self) -> InspectionQuerySet:
        return self.filter(status__in=(InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS))

    def with_related(self) -> InspectionQuerySet:
        return self.select_related(
            "unit__serves", "place", "inspecting_unit", "plan", "template_version__template"
        )


class Inspection(UnitAudited):
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("checklist"),
    )
    inspecting_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="inspections_made",
        verbose_name=_("inspecting unit"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspected unit"),
        help_text=_("For a public place: the commune or ward it belongs to."),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("public place"),
    )
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="inspections_as_member",
        verbose_name=_("delegation members"),
    )
    team_note = models.CharField(
        _("other delegation members"),
        max_length=500,
        blank=True,
        help_text=_("Names and posts of members without an account."),
    )
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The day the inspection took place when it is entered later (a paper record of 2023
    # backfilled now): the record's documents and figures are dated by it, not by submission.
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    section_scores = models.JSONField(_("scores by section"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="inspection_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="inspection_unit_status"),
            models.Index(fields=["inspecting_unit", "status"], name="inspection_by_status"),
            # The list's default order (latest first, not yet submitted on top).
            models.Index(fields=["submitted_at", "id"], name="inspection_submitted_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.target_name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])

    @property
    def target_name(self) -> str:
        # A null key reads as None without a query.
        if self.place is not None:
            return f"{self.place.name} ({self.unit.display_name})"
        # Counters are named alike everywhere ("Quầy số 1"): say which ward they serve.
        serves = self.unit.serves
        if serves is not None and self.unit.kind in (UnitKind.COUNTER, UnitKind.SERVICE_POINT):
            return f"{self.unit.display_name} ({serves.display_name})"
        return self.unit.display_name

    @property
    def day(self) -> datetime.date | None:
        if self.inspected_on:
            return self.inspected_on
        if self.submitted_at:
            return timezone.localdate(self.submitted_at)
        return self.planned_on

    def is_locked(self) -> bool:
        return self.status in (InspectionStatus.SUBMITTED, InspectionStatus.CANCELLED)

    def is_submitted(self) -> bool:
        return self.status == InspectionStatus.SUBMITTED

    def previous(self) -> Inspection | None:
        """The latest submitted inspection of the same unit or place before this one."""
        earlier = Inspection.objects.submitted().filter(unit_id=self.unit_id)
        if self.place_id is None:
            earlier = earlier.filter(place__isnull=True)
        else:
            earlier = earlier.filter(place_id=self.place_id)
        if self.submitted_at is not None:
            earlier = earlier.filter(submitted_at__lt=self.submitted_at)
        return earlier.exclude(pk=self.pk).order_by("-submitted_at", "-pk").first()


class Answer(UnitAudited):
    """One criterion's answer in one inspection. The phone sends each answer with an id it
    generated; the server keeps one row per criterion and the newest answer wins."""

    audit_unit = "inspection.unit"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="answers", verbose_name=_("inspection")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("criterion")
    )
    client_id = models.UUIDField(_("client id"), unique=True)
    value = models.CharField(_("answer"), max_length=2000, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    note = models.TextField(_("note"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["criterion__section__position", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "criterion"], name="answer_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ref}: {self.value}"


class Photo(UnitAudited, StoredFile):
    """A photo taken during an inspection, re-encoded without metadata; no file name is kept
    (a phone's IMG_1234 says nothing)."""

    audit_unit = "inspection.unit"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("criterion"),
    )
    client_id = models.UUIDField(_("client id"), unique=True)
    file = models.ImageField(_("photo"), upload_to=RandomName("inspections/photos/%Y/%m/"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    original_format = models.CharField(_("original format"), max_length=16)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("inspections:photo_file", args=[self.pk])

    @property
    def download_stem(self) -> str:
        return f"inspection-{self.inspection_id}-photo-{self.pk}"


class Amendment(UnitAudited):
    """A correction to a submitted inspection: what changed, why, by whom."""

    audit_unit = "inspection.unit"

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="amendments",
        verbose_name=_("inspection"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.TextField(_("reason"))
    score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.criterion.ref}"
