"""The culture index and the rollups it is read from.

`ComponentFigure` holds, per unit and period, the numerator and denominator of each index
component for the unit's whole subtree (the tree is pre-expanded when the rollup is built,
so a dashboard reads one row per unit and never scans raw events). `CultureIndex` holds the
weighted score, the rank among sibling units and the figures it was computed from.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.insights.periods import KINDS, Period
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of

PERIOD_KIND_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("half", _("Half-year")),
    ("year", _("Year")),
]
assert [value for value, _label in PERIOD_KIND_CHOICES] == list(KINDS)


class ComponentFigureQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> ComponentFigureQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)

    def visible_to(self, user) -> ComponentFigureQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class ComponentFigure(models.Model):
    """Rollup: one component of one unit's subtree over one period (background job)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=8, choices=PERIOD_KIND_CHOICES)
    period_start = models.DateField()
    component = models.CharField(max_length=32)
    numerator = models.DecimalField(max_digits=16, decimal_places=2)
    denominator = models.DecimalField(max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(auto_now=True)

    objects = ComponentFigureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "unit", "component"],
                name="componentfigure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_kind} {self.period_start} {self.component}"


class CultureIndexQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> CultureIndexQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)

    def visible_to(self, user) -> CultureIndexQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def ranked(self) -> CultureIndexQuerySet:
        return self.order_by(models.F("rank").asc(nulls_last=True), "unit__name")


class CultureIndex(models.Model):
    """The index of one unit for one period, its rank among its siblings, and the
    components it was computed from (kept so the page explains the figure as it was)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period_kind = models.CharField(max_length=8, choices=PERIOD_KIND_CHOICES)
    period_start = models.DateField()
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    weight_covered = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    rank = models.PositiveIntegerField(null=True, blank=True)
    ranked_siblings = models.PositiveIntegerField(default=0)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    is_bottom = models.BooleanField(default=False)
    components = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    objects = CultureIndexQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "unit"], name="cultureindex_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["period_kind", "period_start", "parent"], name="cultureindex_siblings"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_kind} {self.period_start}: {self.score}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (negative: places lost)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


class WeightSet(models.Model):
    """A province's index weights for one year, set by its coordinators."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    weights = models.JSONField(_("weights"), default=dict)
    violations_zero_at = models.DecimalField(
        _("violations per 100 officials that score zero"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("index weights")
        verbose_name_plural = _("index weights")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="weightset_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class ReportKind(models.TextChoices):
    HALF_YEAR = "half", _("Six-month report")
    ANNUAL = "year", _("Annual report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportJobQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class ReportJob(models.Model):
    """A periodic report of a unit's subtree, generated in the background (.docx + .xlsx)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=8, choices=PERIOD_KIND_CHOICES)
    period_start = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    docx = models.FileField(upload_to="insights/reports/", blank=True)
    xlsx = models.FileField(upload_to="insights/reports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportjob_progress_max")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("insights:report_detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}
