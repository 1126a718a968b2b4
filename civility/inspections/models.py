"""Checklist templates (versioned), inspection plans, inspections and their answers, photos,
findings and corrective actions.

A template's versions are immutable once an inspection uses them: editing a version in use
forks a new one (actions.py), so past inspections keep the criteria they were run against.
A criterion keeps a stable `ref` ("A1") across versions, which analytics group by.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civility.codes.models import Article, overlapping_q
from civility.core.files import RandomName, extension_of
from civility.core.i18n import localized
from civility.core.search import trigram_index
from civility.orgs.models import Official, OrgUnit, Place, UnitKind
from civility.orgs.scopes import Role, scope_of

# Who may change templates and plans (covering the owning unit).
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
# Who may run inspections for an inspecting unit (besides the delegation's members).
INSPECTOR_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.INSPECTOR)
# Who answers corrective actions for the inspected unit: its head and coordinators, and its
# staff, who usually did the work (the counter official fixes the counter's bell).
# Verification stays on the inspecting side (actions.can_verify).
RESPONDER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.OFFICIAL)
# Who an overdue corrective action is escalated to, at the level above the responsible unit.
ESCALATION_ROLES = (Role.COORDINATOR, Role.UNIT_HEAD)


# --- Templates ---------------------------------------------------------------------------


class TemplateSubject(models.TextChoices):
    COUNTER = "counter", _("One-stop counter / service point")
    OFFICE = "office", _("Office")
    PUBLIC_PLACE = "public_place", _("Public place")


class ChecklistTemplateQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChecklistTemplateQuerySet:
        # A city's template is used by the wards under it, like a city's code.
        return self.filter(overlapping_q(user, "unit__path"))


class ChecklistTemplate(models.Model):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="checklist_templates",
        verbose_name=_("owning unit"),
    )
    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    subject = models.CharField(_("checks"), max_length=32, choices=TemplateSubject.choices)
    name = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:template_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def current_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("template"),
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="templateversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} · v{self.number}"

    def is_in_use(self) -> bool:
        return self.inspections.exists()

    def criteria(self):
        return Criterion.objects.filter(section__version=self).order_by(
            "section__position", "position"
        )

    def get_additional_data(self) -> dict:
        return {"unit_path": self.template.unit.path}


class Section(models.Model):
    version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="section_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    def get_additional_data(self) -> dict:
        return {"unit_path": self.version.template.unit.path}


class AnswerKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SCORE = "score", _("Score 0..N")
    CHOICE = "choice", _("Choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")


SCORED_KINDS = (AnswerKind.YES_NO, AnswerKind.SCORE, AnswerKind.CHOICE)


class Criterion(models.Model):
    """One thing an inspector checks. Yes/no, score and choice answers count towards the
    score with the criterion's weight; numbers and texts are recorded, not scored."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("section")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    ref = models.CharField(
        _("reference"),
        max_length=16,
        help_text=_("A short code kept across versions (A1, B2…); analytics group by it."),
    )
    text = models.CharField(_("text (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    guidance = models.TextField(_("guidance (Vietnamese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    answer_kind = models.CharField(
        _("answer"), max_length=16, choices=AnswerKind.choices, default=AnswerKind.YES_NO
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For score answers: the score runs from 0 to this number."),
    )
    options = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For choice answers: [{"value": "good", "label": "…", "label_en": "…", '
            '"score": 1.0}], score between 0 and 1.'
        ),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    photo_required = models.BooleanField(_("photo required"), default=False)
    allows_not_applicable = models.BooleanField(_("may be not applicable"), default=True)
    provision = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_criteria",
        verbose_name=_("code provision"),
        help_text=_("The article of a code of conduct this criterion checks."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="criterion_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(answer_kind="score") | Q(max_score__isnull=False),
                name="criterion_score_has_max",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}. {self.text}"

    @property
    def display_text(self) -> str:
        return localized(self, "text")

    @property
    def display_guidance(self) -> str:
        return localized(self, "guidance")

    @property
    def is_scored(self) -> bool:
        return self.answer_kind in SCORED_KINDS

    def failing_values(self) -> list[str]:
        """The answers that fail this criterion (earning less than scoring.FAIL_BELOW of its
        weight): the phone offers a finding when one is chosen."""
        # scoring.py reads AnswerKind from this module.
        from civility.inspections.scoring import FAIL_BELOW, earned_fraction

        if self.answer_kind == AnswerKind.YES_NO:
            candidates = ["yes", "no"]
        elif self.answer_kind == AnswerKind.SCORE:
            candidates = [str(n) for n in range((self.max_score or 0) + 1)]
        elif self.answer_kind == AnswerKind.CHOICE:
            candidates = [str(option["value"]) for option in self.options]
        else:
            return []
        return [value for value in candidates if earned_fraction(self, value) < FAIL_BELOW]

    def finding_text(self) -> str:
        """What a finding about this criterion says before the inspector edits it: the
        criterion's reference and text, and the code provision it checks."""
        text = _("%(ref)s. %(text)s: not met.") % {"ref": self.ref, "text": self.display_text}
        if self.provision is not None:
            text += " " + _("Code provision: article %(number)d, %(title)s.") % {
                "number": self.provision.number,
                "title": self.provision.display_title,
            }
        return text

    def display_options(self) -> list[tuple[str, str]]:
        english = get_language() == "en"
        return [
            (str(o["value"]), (o.get("label_en") if english else "") or o.get("label", o["value"]))
            for o in self.options
        ]

    def get_additional_data(self) -> dict:
        return {"unit_path": self.section.version.template.unit.path}


# --- Plans and inspections ---------------------------------------------------------------


class InspectionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> InspectionPlanQuerySet:
        # Only the inspecting unit's subtree: a plan shows every inspected unit's scores.
        return self.filter(scope_of(user).q("unit__path"))


class InspectionPlan(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SURPRISE = "surprise", _("Surprise")
    CROSS = "cross", _("Cross")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> InspectionQuerySet:
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

    def conducted_by(self, user) -> InspectionQuerySet:
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


class Inspection(models.Model):
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
        if self.place_id:
            return f"{self.place.name} ({self.unit.display_name})"
        # Counters are named alike everywhere ("Quầy số 1"): say which ward they serve.
        if self.unit.serves_id and self.unit.kind in (UnitKind.COUNTER, UnitKind.SERVICE_POINT):
            return f"{self.unit.display_name} ({self.unit.serves.display_name})"
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
        earlier = Inspection.objects.submitted().filter(
            unit_id=self.unit_id, place_id=self.place_id
        )
        if self.submitted_at is not None:
            earlier = earlier.filter(submitted_at__lt=self.submitted_at)
        return earlier.exclude(pk=self.pk).order_by("-submitted_at", "-pk").first()

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class Answer(models.Model):
    """One criterion's answer in one inspection. The phone sends each answer with an id it
    generated; the server keeps one row per criterion and the newest answer wins."""

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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.inspection.unit.path}


class Photo(models.Model):
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
    image = models.ImageField(_("photo"), upload_to=RandomName("inspections/photos/%Y/%m/"))
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

    def __str__(self) -> str:
        return self.download_name

    def get_absolute_url(self) -> str:
        return reverse("inspections:photo_file", args=[self.pk])

    @property
    def download_name(self) -> str:
        return f"inspection-{self.inspection_id}-photo-{self.pk}{extension_of(self.image.name)}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.inspection.unit.path}


class Amendment(models.Model):
    """A correction to a submitted inspection: what changed, why, by whom."""

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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.inspection.unit.path}


# --- Findings and corrective actions -----------------------------------------------------


class FindingKind(models.TextChoices):
    SHORTCOMING = "shortcoming", _("Shortcoming")
    VIOLATION = "violation", _("Violation")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> FindingQuerySet:
        return self.filter(inspection__in=Inspection.objects.visible_to(user).values("pk"))


class Finding(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.inspection.unit.path}


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Responded, to verify")
    CLOSED = "closed", _("Closed")


def _prefixes(path: str) -> list[str]:
    """Every string that `path` starts with: the unit paths it lies under or at."""
    return [path[:end] for end in range(1, len(path) + 1)]


def _visible_actions(user) -> Q:
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


class CorrectiveActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CorrectiveActionQuerySet:
        return self if scope_of(user).is_global else self.filter(_visible_actions(user))

    def readable_by(self, user) -> CorrectiveActionQuerySet:
        """visible_to, and the actions of the counters serving the user's ward (read-only:
        no responder or verifier role reaches them; views audit those reads)."""
        if scope_of(user).is_global:
            return self
        serving = OrgUnit.objects.serving_scope_of(user).values("pk")
        return self.filter(_visible_actions(user) | Q(unit__in=serving))

    def serving_only_for(self, user) -> CorrectiveActionQuerySet:
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

    def to_respond_by(self, user) -> CorrectiveActionQuerySet:
        """Open actions of the units where `user` answers for them or works (a responder
        role), except those their own inspecting unit issued: there they are the side that
        verifies."""
        scope = scope_of(user)
        responsible = scope.q("unit__path", roles=RESPONDER_ROLES)
        issued = scope.q("finding__inspection__inspecting_unit__path", roles=INSPECTOR_ROLES)
        actions = self.filter(responsible, status=ActionStatus.OPEN)
        return actions if scope.is_global else actions.exclude(issued)

    def awaiting_verification_by(self, user) -> CorrectiveActionQuerySet:
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

    def verifiable_by(self, user) -> CorrectiveActionQuerySet:
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
            finding__inspection__place_id=inspection.place_id,
        ).exclude(finding__inspection_id=inspection.pk)

    def escalated_to(self, user) -> CorrectiveActionQuerySet:
        """Actions escalated to a unit where the user is a coordinator or unit head."""
        scope = scope_of(user)
        if scope.is_global:
            return self.filter(escalations__isnull=False).distinct()
        return self.filter(
            escalations__in=ActionEscalation.objects.filter(
                scope.q("unit__path", roles=ESCALATION_ROLES)
            )
        ).distinct()


class CorrectiveAction(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class ActionStep(models.Model):
    """The history of a corrective action: responded, sent back, closed."""

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
        return f"action-{self.action_id}-check-{self.pk}{extension_of(self.photo.name)}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.action.unit.path}


class EvidenceFile(models.Model):
    action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("action"),
    )
    file = models.FileField(_("file"), upload_to=RandomName("inspections/evidence/%Y/"))
    filename = models.CharField(_("file name"), max_length=255, blank=True)
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

    def __str__(self) -> str:
        return self.download_name

    def get_absolute_url(self) -> str:
        return reverse("inspections:evidence_file", args=[self.pk])

    @property
    def download_name(self) -> str:
        return self.filename or f"evidence-{self.pk}{extension_of(self.file.name)}"

    @property
    def is_photo(self) -> bool:
        # Stored names carry the extension of what the cleaner found the content to be.
        return extension_of(self.file.name) in (".jpg", ".jpeg", ".png")

    def get_additional_data(self) -> dict:
        return {"unit_path": self.action.unit.path}


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


class ActionEscalation(models.Model):
    """One step of the escalation ladder of an overdue action: step n goes to the n-th unit
    above the responsible unit (settings.INSPECTION_ACTION_ESCALATION_DAYS). Once per step."""

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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.action.unit.path}
