"""The title catalogue of a province: each `AwardTitle` row is one version of a title
(Advanced Worker, Grassroots Emulation Fighter...) valid from a date, with its conditions, bonus
multiplier and the legal text it rests on; the quotas units set on titles; the base salary that
bonuses are multiples of."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.awards.models.roles import AnyUser
from civility.awards.rules import RULE_SET_CHOICES, Classification, RuleSet, rule_set_by_key
from civility.codes.models import overlapping_q
from civility.core.models import NamedInTwoLanguages, UnitAudited
from civility.orgs.models import Official, OrgUnit


def ancestor_paths(unit: OrgUnit) -> list[str]:
    parts = unit.path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def text_lines(text: str) -> list[str]:
    """The lines of a text written one item per line (criteria, evidence, conditions), blank
    ones left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Title catalogue ---------------------------------------------------------------------


class Recipient(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


def recipient_name(official: Official | None, unit: OrgUnit) -> str:
    """Who is honoured, by name: the official, or for a collective title the unit."""
    return official.full_name if official is not None else unit.display_name


class AwardForm(models.TextChoices):
    EMULATION_TITLE = "emulation_title", _("Emulation title")
    COMMENDATION = "commendation", _("Commendation form")


class AwardLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots")
    CITY = "city", _("City / province")
    NATIONAL = "national", _("National")


class InitiativeRule(models.TextChoices):
    NONE = "", _("Not needed")
    REQUIRED = "required", _("A recognised initiative is required")
    EXCELLENT_OR_INITIATIVE = (
        "excellent_or_initiative",
        _("Excellently completed tasks, or a recognised initiative"),
    )
    EXCELLENT_AND_INITIATIVE = (
        "excellent_and_initiative",
        _("Excellently completed tasks and a recognised initiative"),
    )


class DisciplineThreshold(models.TextChoices):
    NONE = "", _("Not checked")
    REPRIMAND = "reprimand", _("Reprimand or heavier")
    WARNING = "warning", _("Warning or heavier")


class OpenActionsEffect(models.TextChoices):
    NONE = "", _("Not checked")
    BLOCK = "block", _("They block the title")
    LOWER = "lower", _("They lower the title to the one named")


class AwardTitleQuerySet(models.QuerySet["AwardTitle"]):
    def visible_to(self, user: AnyUser) -> AwardTitleQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def for_unit(self, unit: OrgUnit) -> AwardTitleQuerySet:
        """Titles of the catalogue that applies to `unit`: its own or one above it."""
        return self.filter(unit__path__in=ancestor_paths(unit))

    def in_force(self, day: datetime.date) -> AwardTitleQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> AwardTitleQuerySet:
        return self.filter(valid_to__isnull=True)


class AwardTitle(NamedInTwoLanguages, UnitAudited):
    """One version of an award title or commendation form, with its conditions.

    Where the law gives no number (the initiative rule of the Grassroots Emulation Fighter, the
    consecutive years of the City Emulation Fighter, quotas) the value is a setting, and
    `conditions_note` says which text it rests on and what is unconfirmed.
    """

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="award_titles",
        verbose_name=_("owning unit"),
        help_text=_("The province whose catalogue this is; its coordinators edit it."),
    )
    key = models.SlugField(_("key"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    recipient = models.CharField(_("awarded to"), max_length=16, choices=Recipient.choices)
    form = models.CharField(_("form"), max_length=20, choices=AwardForm.choices)
    level = models.CharField(
        pgettext_lazy("award", "level"), max_length=16, choices=AwardLevel.choices
    )
    rule_set = models.CharField(_("rule set"), max_length=32, choices=RULE_SET_CHOICES)
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, blank=True, help_text=_("The article the title rests on.")
    )
    multiplier = models.DecimalField(
        _("bonus (× base salary)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    multiplier_source = models.CharField(_("source of the bonus"), max_length=300, blank=True)
    # Individual conditions
    min_classification = models.CharField(
        _("classification required"), max_length=16, choices=Classification.choices, blank=True
    )
    prerequisite_key = models.SlugField(
        _("title also required that year"),
        max_length=60,
        blank=True,
        help_text=_("Key of a title the person must hold or qualify for in the same year."),
    )
    initiative_rule = models.CharField(
        _("initiative"), max_length=32, choices=InitiativeRule.choices, blank=True
    )
    consecutive_key = models.SlugField(
        _("title held in consecutive years"), max_length=60, blank=True
    )
    consecutive_years = models.PositiveSmallIntegerField(
        _("consecutive years"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    no_discipline_from = models.CharField(
        _("no disciplinary measure in the year"),
        max_length=16,
        choices=DisciplineThreshold.choices,
        blank=True,
    )
    block_under_review = models.BooleanField(
        _("no proposal while under review"),
        default=True,
        help_text=_(
            "Decree 98/2023 and 152/2025 Art. 4: no award or proposal while the person or "
            "collective is under disciplinary review, investigation, inspection or "
            "verification of a complaint."
        ),
    )
    # Collective conditions
    member_share_key = models.SlugField(_("members' title"), max_length=60, blank=True)
    member_share_percent = models.PositiveSmallIntegerField(
        _("share of members holding it (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    member_min_classification = models.CharField(
        _("every member classified at least"),
        max_length=16,
        choices=Classification.choices,
        blank=True,
    )
    member_no_discipline_from = models.CharField(
        _("no member disciplined"),
        max_length=16,
        choices=DisciplineThreshold.choices,
        blank=True,
    )
    member_at_least_one_key = models.SlugField(
        _("title at least one member holds"),
        max_length=60,
        blank=True,
        help_text=_(
            "Key of a title at least one member must hold or qualify for that year (Law "
            "06/2022 Art. 27 cl. 1: a Grassroots Emulation Fighter in an Excellent Labour "
            "Collective)."
        ),
    )
    open_actions_effect = models.CharField(
        _("open corrective actions at review time"),
        max_length=8,
        choices=OpenActionsEffect.choices,
        blank=True,
        help_text=_(
            "Corrective actions from inspections still open in the unit when it is assessed: "
            "a local condition, not set by the law."
        ),
    )
    open_actions_tolerated = models.PositiveSmallIntegerField(
        _("open corrective actions tolerated"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("The condition applies when more actions than this are open."),
    )
    open_actions_lower_key = models.SlugField(
        _("title it is lowered to"),
        max_length=60,
        blank=True,
        help_text=_("Key of the lower title the unit may be assessed for instead."),
    )
    extra_conditions = models.TextField(
        _("conditions checked by the board"),
        blank=True,
        help_text=_("Conditions the system cannot compute; one per line. Shown as 'to check'."),
    )
    conditions_note = models.TextField(
        _("note on the sources"),
        blank=True,
        help_text=_("Which text each setting rests on, and what is unconfirmed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardTitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("award title")
        verbose_name_plural = _("award titles")
        ordering = ["unit__path", "recipient", "level", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key", "version"], name="awardtitle_unique_version"
            ),
            models.UniqueConstraint(
                fields=["unit", "key"],
                condition=Q(valid_to__isnull=True),
                name="awardtitle_one_current",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="awardtitle_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(consecutive_key="") | Q(consecutive_years__isnull=False),
                name="awardtitle_consecutive_needs_years",
            ),
            models.CheckConstraint(
                condition=Q(member_share_key="") | Q(member_share_percent__isnull=False),
                name="awardtitle_share_needs_percent",
            ),
            models.CheckConstraint(
                condition=~Q(open_actions_effect="lower") | ~Q(open_actions_lower_key=""),
                name="awardtitle_lower_needs_title",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("awards:title_detail", args=[self.pk])

    def is_collective(self) -> bool:
        return self.recipient == Recipient.COLLECTIVE

    def is_labour_collective(self) -> bool:
        """An emulation title for collectives: for agencies and units, not for villages or
        residential groups, which receive cultural titles instead."""
        return self.is_collective() and self.form == AwardForm.EMULATION_TITLE

    def is_current(self) -> bool:
        return self.valid_to is None

    def rule_set_obj(self) -> RuleSet | None:
        return rule_set_by_key(self.rule_set)

    def extra_condition_lines(self) -> list[str]:
        return text_lines(self.extra_conditions)


class QuotaBase(models.TextChoices):
    MEMBERS = "members", _("of the unit's officials")
    TITLE = "title", _("of the nominations for another title")


class QuotaQuerySet(models.QuerySet["Quota"]):
    def visible_to(self, user: AnyUser) -> QuotaQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def applying_to(self, unit: OrgUnit, title_key: str, year: int) -> QuotaQuerySet:
        """Quotas set by the unit or a unit above it for this title and year (or every year)."""
        return self.filter(unit__path__in=ancestor_paths(unit), title_key=title_key).filter(
            Q(year__isnull=True) | Q(year=year)
        )


class Quota(UnitAudited):
    """A limit a unit sets on a title for its subtree. No legal quota is known (framework
    §4.2), so there is none unless a unit sets one, and each quota names its source."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="award_quotas", verbose_name=_("unit")
    )
    title_key = models.SlugField(_("title"), max_length=60)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Leave empty for every year.")
    )
    max_count = models.PositiveIntegerField(_("at most (number)"), null=True, blank=True)
    max_percent = models.PositiveSmallIntegerField(
        _("at most (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    percent_of = models.CharField(
        _("percent of"), max_length=16, choices=QuotaBase.choices, default=QuotaBase.MEMBERS
    )
    percent_of_key = models.SlugField(_("the other title"), max_length=60, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The document that sets the quota (number, date, issuer)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["unit__path", "title_key", "year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_count__isnull=False) | Q(max_percent__isnull=False),
                name="quota_has_limit",
            ),
            models.CheckConstraint(
                condition=~Q(percent_of="title") | ~Q(percent_of_key=""),
                name="quota_title_base_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_key} · {self.unit}"


class BaseSalaryQuerySet(models.QuerySet["BaseSalary"]):
    def on(self, day: datetime.date) -> BaseSalary | None:
        return self.filter(valid_from__lte=day).order_by("-valid_from").first()


class BaseSalary(models.Model):
    """The base salary (lương cơ sở) from a date, set nationally by decree: bonuses are
    multiples of the amount in force on the decision date (Decree 98/2023 Art. 53)."""

    valid_from = models.DateField(
        _("valid from"),
        unique=True,
        error_messages={"unique": _("A base salary already starts on this date.")},
    )
    amount = models.DecimalField(
        _("amount (VND a month)"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("1"), _("The amount must be more than 0."))],
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    to_be_confirmed = models.BooleanField(
        _("to be confirmed"),
        default=False,
        help_text=_(
            "Tick while the amount rests on a secondary source only: bonuses computed from it "
            "are shown as to be confirmed."
        ),
    )

    objects = BaseSalaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="basesalary_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} · {self.valid_from}"

    def get_additional_data(self) -> dict[str, str]:
        # Set nationally: every reader of the audit log may see it.
        return {"unit_path": ""}
