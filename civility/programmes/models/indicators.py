"""Indicators with targets and actuals per unit and period."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.codes.models import overlapping_q
from civility.core.models import NamedInTwoLanguages, UnitAudited
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of
from civility.programmes.models.tasks import Programme


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    RATIO = "ratio", _("Ratio of two indicators")
    LATEST = "latest", _("Latest value")


class Frequency(models.TextChoices):
    YEAR = "year", _("Yearly")
    QUARTER = "quarter", _("Quarterly")
    MONTH = "month", _("Monthly")


PERIODS_IN_YEAR: dict[str, int] = {Frequency.YEAR: 0, Frequency.QUARTER: 4, Frequency.MONTH: 12}


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def visible_to(self, user: User | AnonymousUser) -> IndicatorQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))


class Indicator(UnitAudited, NamedInTwoLanguages):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("defining unit"),
        help_text=_("Units under it set targets and report actuals for the indicator."),
    )
    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Short code used in spreadsheets and the API.")
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    measure = models.CharField(
        _("unit of measure"), max_length=64, help_text=_("For example: billion VND, visits, %.")
    )
    aggregation = models.CharField(_("adds up as"), max_length=16, choices=Aggregation.choices)
    frequency = models.CharField(
        _("reported"), max_length=16, choices=Frequency.choices, default=Frequency.YEAR
    )
    numerator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("numerator"),
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    scale = models.DecimalField(
        _("ratio scale"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(100),
        help_text=_("100 gives a percentage."),
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("programme"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["unit__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=(
                    Q(aggregation="ratio", numerator__isnull=False, denominator__isnull=False)
                    | (
                        ~Q(aggregation="ratio")
                        & Q(numerator__isnull=True, denominator__isnull=True)
                    )
                ),
                name="indicator_ratio_has_terms",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:indicator_detail", args=[self.pk])

    def is_ratio(self) -> bool:
        return self.aggregation == Aggregation.RATIO

    def ratio_terms(self) -> tuple[Indicator, Indicator]:
        """A ratio's numerator and denominator (the database holds both for a ratio)."""
        if self.numerator is None or self.denominator is None:
            raise ValueError(f"Indicator {self.pk} is not a ratio.")
        return self.numerator, self.denominator

    def periods(self) -> int:
        """Reporting periods in a year: 0 (one yearly value), 4 quarters or 12 months."""
        numerator = self.numerator if self.is_ratio() else None
        return PERIODS_IN_YEAR[(numerator or self).frequency]


PERIOD_HELP = _("0 for the whole year; 1-4 for a quarter or 1-12 for a month.")


class TargetQuerySet(models.QuerySet["Target"]):
    def visible_to(self, user: User | AnonymousUser) -> TargetQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class Target(UnitAudited):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="targets", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period = models.PositiveSmallIntegerField(
        _("period"), default=0, validators=[MaxValueValidator(12)], help_text=PERIOD_HELP
    )
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    allocated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("allocated from"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "period"], name="target_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit} · {self.year}: {self.value}"


class ActualSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")


class ActualQuerySet(models.QuerySet["Actual"]):
    def visible_to(self, user: User | AnonymousUser) -> ActualQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class Actual(UnitAudited):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("indicator")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="actuals", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period = models.PositiveSmallIntegerField(
        _("period"), default=0, validators=[MaxValueValidator(12)], help_text=PERIOD_HELP
    )
    value = models.DecimalField(_("actual"), max_digits=20, decimal_places=4)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=ActualSource.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    objects = ActualQuerySet.as_manager()

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["indicator", "year", "period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "period"], name="actual_once"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="actual_indicator_year")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit} · {self.year}/{self.period}: {self.value}"
