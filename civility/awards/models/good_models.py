"""Good models and initiatives with their owning unit and status, the units that replicate
them, and the count-only entries of years that kept only totals."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.awards.models.catalogue import AwardLevel, text_lines
from civility.awards.models.movements import Movement
from civility.core.models import NamedInTwoLanguages, UnitAudited, UnitRowsQuerySet
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import Reader, scope_of

# --- Good models and initiatives ---------------------------------------------------------


class ModelKind(models.TextChoices):
    MODEL = "model", _("Good model or practice")
    INITIATIVE = "initiative", _("Initiative")


class ModelCategory(models.TextChoices):
    ONE_STOP = "one_stop", _("Friendly one-stop service")
    GREEN_OFFICE = "green_office", _("Green office")
    SCHOOL_CULTURE = "school_culture", _("School culture (e.g. culture of bowing)")
    CIVILIZED_MARKET = "civilized_market", _("Civilized, safe market")
    CULTURAL_RESIDENTIAL = "cultural_residential", _("Exemplary cultural residential group")
    RELIC_SITE = "relic_site", _("Exemplary relic site")
    DIGITAL = "digital", _("Digital transformation")
    OTHER = "other", _("Other")


class ModelStatus(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    EFFECTIVE = "effective", _("Effective")
    RECOGNISED = "recognised", _("Recognised")
    STOPPED = "stopped", _("Stopped")


class CountedByCategory(UnitAudited):
    """What the figures count by category in a subtree (figures.model_counts): a listed good
    model, or a count-only entry. The subclass declares its `unit` (related names differ)."""

    category = models.CharField(_("category"), max_length=32, choices=ModelCategory.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class GoodModelQuerySet(UnitRowsQuerySet["GoodModel"]):
    def visible_to(self, user: Reader) -> GoodModelQuerySet:
        """Models owned in the user's scope, and models replicated there."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        return self.filter(
            scope.q("unit__path")
            | Q(pk__in=Replication.objects.filter(scope.q("unit__path")).values("model"))
        )

    def initiatives(self) -> GoodModelQuerySet:
        return self.filter(kind=ModelKind.INITIATIVE)

    def recognised_in(self, year: int) -> GoodModelQuerySet:
        return self.filter(status=ModelStatus.RECOGNISED, recognised_on__year=year)


class GoodModel(NamedInTwoLanguages, CountedByCategory):
    """A good model, practice or initiative, with the unit that started it."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=ModelKind.choices, default=ModelKind.MODEL
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="good_models", verbose_name=_("owning unit")
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    started_on = models.DateField(_("started on"))
    description = models.TextField(_("description"), blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Links or references, one per line.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ModelStatus.choices, default=ModelStatus.PILOT
    )
    authors = models.ManyToManyField(
        Official, blank=True, related_name="initiatives", verbose_name=_("authors")
    )
    recognition_level = models.CharField(
        _("recognised at level"), max_length=16, choices=AwardLevel.choices, blank=True
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    recognised_by = models.CharField(
        _("recognised by"), max_length=300, blank=True, help_text=_("Body and decision number.")
    )
    movement = models.ForeignKey(
        Movement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_models",
        verbose_name=_("found through the movement"),
    )
    contest = models.CharField(_("found through the contest"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = GoodModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("good model or initiative")
        verbose_name_plural = _("good models and initiatives")
        ordering = ["-started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="recognised") | Q(recognised_on__isnull=False),
                name="goodmodel_recognised_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("awards:model_detail", args=[self.pk])

    def evidence_lines(self) -> list[str]:
        return text_lines(self.evidence)


class ReplicationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Being introduced")
    ADOPTED = "adopted", _("Adopted")
    STOPPED = "stopped", _("Stopped")


# Replications that count as places where the model lives.
LIVE_REPLICATION = (ReplicationStatus.IN_PROGRESS, ReplicationStatus.ADOPTED)


class ReplicationQuerySet(UnitRowsQuerySet["Replication"]):
    def live(self) -> ReplicationQuerySet:
        return self.filter(status__in=LIVE_REPLICATION)


class Replication(UnitAudited):
    """Another unit taking up a model."""

    model = models.ForeignKey(
        GoodModel, on_delete=models.CASCADE, related_name="replications", verbose_name=_("model")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="replications", verbose_name=_("unit")
    )
    adopted_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReplicationStatus.choices,
        default=ReplicationStatus.ADOPTED,
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["model", "unit"], name="replication_once"),
        ]

    def __str__(self) -> str:
        return f"{self.model} · {self.unit}"


class ModelTallyQuerySet(UnitRowsQuerySet["ModelTally"]):
    pass


class ModelTally(CountedByCategory):
    """How many good models a unit had in a category in a year, for the years a city kept
    only totals (no list of models). Figures add it up apart from listed models and say it is
    a count only: nothing about those models (owner below the unit, status) is known."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="model_tallies", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    count = models.PositiveIntegerField(_("number of models"))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The report the total comes from.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ModelTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("count-only entry of good models")
        verbose_name_plural = _("count-only entries of good models")
        ordering = ["-year", "unit__path", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "category"], name="modeltally_once_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year} · {self.get_category_display()}: {self.count}"
