"""The culture index and the rollups it is read from.

`ComponentFigure` holds, per unit and period, the numerator and denominator of each index
component for the unit's whole subtree (the tree is pre-expanded when the rollup is built,
so a dashboard reads one row per unit and never scans raw events). `CultureIndex` holds the
weighted score, the rank among sibling units and the figures it was computed from.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.core.files import RandomName
from civility.core.models import UnitAudited
from civility.insights.periods import KINDS, Period
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of

# Whoever asks: a signed-in user, an anonymous one, or nobody (a background job).
AnyUser = AbstractBaseUser | AnonymousUser | None

PERIOD_KIND_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("half", _("Half-year")),
    ("year", _("Year")),
]
assert [value for value, _label in PERIOD_KIND_CHOICES] == list(KINDS)


class ComponentFigureQuerySet(models.QuerySet["ComponentFigure"]):
    def for_period(self, period: Period) -> ComponentFigureQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)

    def visible_to(self, user: AnyUser) -> ComponentFigureQuerySet:
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


class CultureIndexQuerySet(models.QuerySet["CultureIndex"]):
    def for_period(self, period: Period) -> CultureIndexQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)

    def visible_to(self, user: AnyUser) -> CultureIndexQuerySet:
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
    previous_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # The 95% confidence band of the score (index.compute).
    score_low = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_high = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
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

    @property
    def score_change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


class SmallSampleRule(models.TextChoices):
    SHRINK = "shrink", _("Shrink toward the parent unit's figure")
    HIDE = "hide", _("Show “not enough data” and leave it out")


class WeightSet(UnitAudited):
    """A province's index weights for one year, set by its coordinators."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    weights = models.JSONField(_("weights"), default=dict)
    # Per component key; a key not set takes the component's default (sources.Component),
    # so a component added later works with the weight sets saved before it.
    scales = models.JSONField(_("scales"), default=dict)
    min_samples = models.JSONField(_("minimum samples"), default=dict)
    small_sample_rule = models.CharField(
        _("below the minimum sample"),
        max_length=8,
        choices=SmallSampleRule.choices,
        default=SmallSampleRule.SHRINK,
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


class ReportKind(models.TextChoices):
    MONTH = "month", _("Monthly figures")
    HALF_YEAR = "half", _("Six-month report")
    ANNUAL = "year", _("Annual report")


class ReportFormat(models.TextChoices):
    DOCX = "docx", pgettext_lazy("periodic report", "Report (.docx)")
    XLSX = "xlsx", _("Tables (.xlsx)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def visible_to(self, user: AnyUser) -> ReportJobQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class ReportJob(UnitAudited):
    """A periodic report of a unit's subtree, generated in the background (.docx + .xlsx)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=8, choices=PERIOD_KIND_CHOICES)
    period_start = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # The background job building it, with its progress (civility.core.jobs); none for the
    # reports built for subscriptions, which nobody watches.
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True)
    docx = models.FileField(upload_to=RandomName("insights/reports/"), blank=True)
    xlsx = models.FileField(upload_to=RandomName("insights/reports/"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("insights:report_detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def active(self) -> SubscriptionQuerySet:
        return self.filter(is_active=True)


class Subscription(UnitAudited):
    """A user's standing order for a unit's periodic report by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("report"), max_length=8, choices=ReportKind.choices)
    format = models.CharField(
        _("format"), max_length=4, choices=ReportFormat.choices, default=ReportFormat.DOCX
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["unit__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "kind"], name="subscription_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.unit_id} {self.kind}"


class Delivery(models.Model):
    """One report e-mailed for one subscription and period (never twice)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period_start = models.DateField()
    job = models.ForeignKey(ReportJob, on_delete=models.SET_NULL, null=True, related_name="+")
    attached = models.BooleanField(default=True)  # False: sent as a signed download link
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start"], name="delivery_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_start}"


class ComputedPeriod(models.Model):
    """A past period whose rollups and index were computed on demand (the periodic job keeps
    only current periods: civility.insights.history). Its figures stay until asked again."""

    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start"], name="computed_period_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.period_start}"
