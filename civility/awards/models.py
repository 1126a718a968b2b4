"""Emulation and commendation: movements, the title catalogue, nominations to decisions,
good models and initiatives with their replication.

- A **movement** (phong trào thi đua) runs for a period over a unit's subtree; units and
  officials register for it.
- The **title catalogue** belongs to a province: each `AwardTitle` row is one version of a
  title (Advanced Worker, Grassroots Emulation Fighter...) valid from a date, with its
  conditions, bonus multiplier and the legal text it rests on. Revising a title that was used
  writes a new version, so old nominations stay readable under their old conditions.
- Eligibility is computed (civility.awards.eligibility) from facts read through
  civility.awards.facts; a **nomination** stores the result line by line as a snapshot.
- The **commendation board** votes, closes the review, and records a **decision** whose lines
  (`Award`) carry the multiplier and the bonus at the base salary in force on the decision date.
- **Good models and initiatives** are registered with their owning unit and status; other
  units **replicate** them.
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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.awards.rules import RULE_SET_CHOICES, Classification, rule_set_by_key
from civility.codes.models import overlapping_q
from civility.core.files import RandomName
from civility.core.i18n import localized
from civility.core.models import Evidence
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import Role, scope_of

# Who edits the catalogue, quotas and base salaries (of their province).
CATALOGUE_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
# Who proposes nominations for units they cover.
PROPOSER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)
# Who votes on nominations.
BOARD_ROLES = (Role.BOARD_MEMBER,)
# Who closes reviews and records decisions.
DECIDER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.BOARD_MEMBER)
# Who reads nominations and eligibility (they mention discipline and pending reviews).
READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.BOARD_MEMBER)
# Who registers good models, replications, movements and registrations.
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)


def ancestor_paths(unit: OrgUnit) -> list[str]:
    parts = unit.path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


# --- Movements ---------------------------------------------------------------------------


class MovementQuerySet(models.QuerySet):
    def visible_to(self, user) -> MovementQuerySet:
        """Movements of a unit in the user's scope or above it (a ward joins the city's)."""
        return self.filter(overlapping_q(user, "unit__path"))

    def running(self, on: datetime.date | None = None) -> MovementQuerySet:
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Movement(models.Model):
    """An emulation movement, e.g. "officials strive to embody culture in offices"."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("launching unit"),
        help_text=_("The movement covers this unit and the units under it."),
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    reference = models.CharField(
        _("launching document"), max_length=200, blank=True, help_text=_("Number and date.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    criteria = models.TextField(
        _("criteria"), blank=True, help_text=_("One criterion per line: what is emulated.")
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

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="movement_period",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("awards:movement_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def criteria_lines(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class MovementRegistration(models.Model):
    """A unit, or an official in it, registering for a movement with a pledge."""

    movement = models.ForeignKey(
        Movement,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("movement"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movement_registrations",
        verbose_name=_("official"),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    pledge = models.TextField(_("pledge"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("movement registration")
        verbose_name_plural = _("movement registrations")
        ordering = ["unit__path", "official__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "unit"],
                condition=Q(official__isnull=True),
                name="registration_unit_once",
            ),
            models.UniqueConstraint(
                fields=["movement", "official"],
                condition=Q(official__isnull=False),
                name="registration_official_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.movement} · {self.official or self.unit}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


# --- Title catalogue ---------------------------------------------------------------------


class Recipient(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


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


class AwardTitleQuerySet(models.QuerySet):
    def visible_to(self, user) -> AwardTitleQuerySet:
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


class AwardTitle(models.Model):
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

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def is_collective(self) -> bool:
        return self.recipient == Recipient.COLLECTIVE

    def is_labour_collective(self) -> bool:
        """An emulation title for collectives: for agencies and units, not for villages or
        residential groups, which receive cultural titles instead."""
        return self.is_collective() and self.form == AwardForm.EMULATION_TITLE

    def is_current(self) -> bool:
        return self.valid_to is None

    def rule_set_obj(self):
        return rule_set_by_key(self.rule_set)

    def extra_condition_lines(self) -> list[str]:
        return [line.strip() for line in self.extra_conditions.splitlines() if line.strip()]

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class QuotaBase(models.TextChoices):
    MEMBERS = "members", _("of the unit's officials")
    TITLE = "title", _("of the nominations for another title")


class QuotaQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuotaQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def applying_to(self, unit: OrgUnit, title_key: str, year: int) -> QuotaQuerySet:
        """Quotas set by the unit or a unit above it for this title and year (or every year)."""
        return self.filter(unit__path__in=ancestor_paths(unit), title_key=title_key).filter(
            Q(year__isnull=True) | Q(year=year)
        )


class Quota(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class BaseSalaryQuerySet(models.QuerySet):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": ""}


# --- Reviews that block proposals --------------------------------------------------------


class HoldKind(models.TextChoices):
    DISCIPLINARY_REVIEW = "disciplinary_review", _("Disciplinary review")
    INVESTIGATION = "investigation", _("Investigation")
    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Verification of a complaint or denunciation")


class ReviewHoldQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewHoldQuerySet:
        return self.filter(scope_of(user).q("unit__path", roles=READER_ROLES))

    def active(self, on: datetime.date | None = None) -> ReviewHoldQuerySet:
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class ReviewHold(models.Model):
    """A person or unit under review: no award may be proposed for them meanwhile."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="review_holds", verbose_name=_("unit")
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_holds",
        verbose_name=_("official"),
        help_text=_("Leave empty when the unit as a whole is under review."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=HoldKind.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("review in progress")
        verbose_name_plural = _("reviews in progress")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="reviewhold_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.official or self.unit}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


# --- Nominations, votes, decisions -------------------------------------------------------


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INCOMPLETE = "incomplete", _("Data missing")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, under review")
    RECOMMENDED = "recommended", _("Recommended by the board")
    REJECTED = "rejected", _("Not recommended")
    AWARDED = "awarded", _("Awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Nominations that take a place in a quota.
COUNTED_STATUSES = (
    NominationStatus.PROPOSED,
    NominationStatus.RECOMMENDED,
    NominationStatus.AWARDED,
)


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        """Readers of the nominee's subtree, and the nominated official."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=READER_ROLES)
        if user is not None and user.is_authenticated:
            condition |= Q(official__user=user)
        return self.filter(condition)

    def counted(self) -> NominationQuerySet:
        return self.filter(status__in=COUNTED_STATUSES)

    def to_vote_by(self, user) -> NominationQuerySet:
        """Under review, over the user's board seat, without their vote yet."""
        if user is None or not user.is_authenticated:
            return self.none()
        voted = Vote.objects.filter(nomination=OuterRef("pk"), voter=user)
        return self.filter(
            scope_of(user).q("unit__path", roles=BOARD_ROLES),
            ~Exists(voted),
            status=NominationStatus.PROPOSED,
        )

    def to_decide_by(self, user) -> NominationQuerySet:
        """Under review with at least one vote, so the user (a decider) may close it."""
        return self.filter(
            scope_of(user).q("unit__path", roles=DECIDER_ROLES),
            Exists(Vote.objects.filter(nomination=OuterRef("pk"))),
            status=NominationStatus.PROPOSED,
        )

    def under(self, unit: OrgUnit) -> NominationQuerySet:
        return self.filter(unit__path__startswith=unit.path)


class Nomination(models.Model):
    """A unit's proposal of a person or collective for a title in a year, with the computed
    eligibility at the moment of proposal (`eligibility`: verdict and one line per
    condition) and the rule set the title version rests on."""

    title = models.ForeignKey(
        AwardTitle,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=pgettext_lazy("award", "title"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("official"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("unit"),
        help_text=_("The collective nominated, or the official's unit."),
    )
    proposing_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by (unit)")
    )
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.PROPOSED,
    )
    verdict = models.CharField(_("eligibility"), max_length=16, choices=Verdict.choices)
    eligibility = models.JSONField(_("eligibility at proposal"), default=dict)
    rule_set = models.CharField(_("rule set"), max_length=32, choices=RULE_SET_CHOICES)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("review closed at"), null=True, blank=True)
    review_note = models.TextField(_("board's note"), blank=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-year", "-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year", "official"],
                condition=Q(official__isnull=False)
                & Q(status__in=["proposed", "recommended", "awarded"]),
                name="nomination_official_once",
            ),
            models.UniqueConstraint(
                fields=["title", "year", "unit"],
                condition=Q(official__isnull=True)
                & Q(status__in=["proposed", "recommended", "awarded"]),
                name="nomination_collective_once",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="nomination_year_status")]

    def __str__(self) -> str:
        return f"{self.title.display_name} {self.year} · {self.nominee_name}"

    def get_absolute_url(self) -> str:
        return reverse("awards:nomination_detail", args=[self.pk])

    @property
    def nominee_name(self) -> str:
        return self.official.full_name if self.official_id else self.unit.display_name

    @property
    def lines(self) -> list[dict]:
        return self.eligibility.get("lines", [])

    def is_open(self) -> bool:
        return self.status == NominationStatus.PROPOSED

    def tally(self) -> dict[str, int]:
        counts = dict.fromkeys(VoteChoice.values, 0)
        for vote in self.votes.all():
            counts[vote.choice] += 1
        return counts

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class NominationEvidence(Evidence):
    audit_unit = "nomination.unit"

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("nomination")
    )
    file = models.FileField(_("file"), upload_to=RandomName("awards/evidence/%Y/%m/"), blank=True)

    def get_absolute_url(self) -> str:
        return reverse("awards:evidence_file", args=[self.pk])


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="votes", verbose_name=_("nomination")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voter"),
    )
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "voter"], name="vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.voter} · {self.choice}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.nomination.unit.path}


class DecisionSource(models.TextChoices):
    BOARD = "board", _("Decided through Civility")
    RECORDED = "recorded", _("Earlier decision, recorded for history")


class AwardDecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> AwardDecisionQuerySet:
        return self.filter(scope_of(user).q("unit__path", roles=READER_ROLES))


class AwardDecision(models.Model):
    """A commendation decision: number, date, issuer, and its list of awards."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="award_decisions",
        verbose_name=_("issuing unit"),
    )
    number = models.CharField(_("decision number"), max_length=64)
    decided_on = models.DateField(_("decision date"))
    issuer = models.CharField(
        _("issued by"), max_length=300, help_text=_("Office and name of the signatory.")
    )
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    source = models.CharField(
        _("source"), max_length=16, choices=DecisionSource.choices, default=DecisionSource.BOARD
    )
    rule_set = models.CharField(_("rule set"), max_length=32, choices=RULE_SET_CHOICES)
    movement = models.ForeignKey(
        Movement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("emulation movement"),
        help_text=_("The movement whose results the decision commends, if any."),
    )
    base_salary = models.DecimalField(
        _("base salary on the decision date"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
    )
    base_salary_record = models.ForeignKey(
        BaseSalary,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("base salary row used"),
    )
    bonus_rule = models.CharField(_("how the bonuses were computed"), max_length=1000, blank=True)
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

    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commendation decision")
        verbose_name_plural = _("commendation decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="decision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.decided_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("awards:decision_detail", args=[self.pk])

    def is_recorded(self) -> bool:
        """Recorded for the archive: taken outside Civility, with no nomination or vote."""
        return self.source == DecisionSource.RECORDED

    def total_bonus(self) -> Decimal | None:
        amounts = [award.bonus for award in self.awards.all()]
        if not amounts or any(amount is None for amount in amounts):
            return None
        return sum(amounts, Decimal(0))

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user) -> AwardQuerySet:
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=READER_ROLES)
        if user is not None and user.is_authenticated:
            condition |= Q(official__user=user)
        return self.filter(condition)

    def under(self, unit: OrgUnit) -> AwardQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def counted(self) -> AwardQuerySet:
        """Awards that still count: not revoked after a revocation review."""
        return self.exclude(
            pk__in=RevocationReview.objects.filter(outcome=ReviewOutcome.REVOKED).values("award_id")
        )

    def on_honour_board(self) -> AwardQuerySet:
        """Collectives, and individuals who chose to appear on the public honour board."""
        return self.filter(Q(official__isnull=True) | Q(official__honour_consent__consented=True))


class Award(models.Model):
    """One line of a decision: a title given to a person or collective for a year."""

    decision = models.ForeignKey(
        AwardDecision, on_delete=models.PROTECT, related_name="awards", verbose_name=_("decision")
    )
    title = models.ForeignKey(
        AwardTitle,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=pgettext_lazy("award", "title"),
    )
    title_key = models.SlugField(_("title key"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("official"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="awards", verbose_name=_("unit")
    )
    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award",
        verbose_name=_("nomination"),
    )
    multiplier = models.DecimalField(
        _("bonus (× base salary)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    bonus = models.DecimalField(
        _("bonus (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["decision", "title_key", "unit__path", "official__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["title_key", "year", "official"],
                condition=Q(official__isnull=False),
                name="award_official_once",
            ),
            models.UniqueConstraint(
                fields=["title_key", "year", "unit"],
                condition=Q(official__isnull=True),
                name="award_collective_once",
            ),
        ]
        indexes = [models.Index(fields=["title_key", "year"], name="award_title_year")]

    def __str__(self) -> str:
        return f"{self.title.display_name} {self.year} · {self.recipient_name}"

    def get_absolute_url(self) -> str:
        return reverse("awards:award_detail", args=[self.pk])

    @property
    def recipient_name(self) -> str:
        return self.official.full_name if self.official_id else self.unit.display_name

    def is_revoked(self) -> bool:
        return self.revocation_reviews.filter(outcome=ReviewOutcome.REVOKED).exists()

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


# --- Revocation reviews ------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    PENDING = "", _("To review")
    KEPT = "kept", _("Kept")
    REVOKED = "revoked", _("Revoked")


class RevocationReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> RevocationReviewQuerySet:
        return self.filter(scope_of(user).q("award__unit__path", roles=READER_ROLES))

    def pending(self) -> RevocationReviewQuerySet:
        return self.filter(outcome=ReviewOutcome.PENDING)


class RevocationGround(models.TextChoices):
    """Why an award is reviewed for revocation. The article of Law 06/2022 that lists the
    grounds was not found (framework §4): the grounds are named in plain words and the
    article is shown as to be confirmed."""

    VIOLATION = "violation", _("A violation confirmed for the period the award was given for")
    FALSE_DECLARATION = (
        "false_declaration",
        _("Achievements declared falsely to obtain the award"),
    )
    IMPROPER_AWARD = (
        "improper_award",
        _("Awarded contrary to the subjects, criteria, conditions, authority or procedure"),
    )


class RevocationReview(models.Model):
    """An award under review for revocation: flagged when a violation is confirmed for the
    period it was given for, or opened by the board on another ground of the Law. The board
    decides whether it is kept or revoked, with the number and date of the decision; a revoked
    award stops counting (earlier titles, quotas, the honour board) and its bonus is to be
    recovered, which is recorded when done."""

    award = models.ForeignKey(
        Award,
        on_delete=models.CASCADE,
        related_name="revocation_reviews",
        verbose_name=_("award"),
    )
    ground = models.CharField(
        _("ground"),
        max_length=24,
        choices=RevocationGround.choices,
        default=RevocationGround.VIOLATION,
    )
    record = models.ForeignKey(
        "conduct.ViolationRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed violation record"),
    )
    ground_detail = models.TextField(
        _("facts and references"),
        blank=True,
        help_text=_("What was found, and by whom (e.g. the inspection conclusion)."),
    )
    rule = models.CharField(
        _("rule that applies"),
        max_length=500,
        help_text=_("The law and the title's legal basis the award is reviewed under."),
    )
    flagged_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    outcome = models.CharField(
        _("decision"), max_length=8, choices=ReviewOutcome.choices, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.TextField(_("note"), blank=True)
    recovery_amount = models.DecimalField(
        _("bonus to recover (VND)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    recovered_by = models.CharField(
        _("recovered by"),
        max_length=300,
        blank=True,
        help_text=_("The office or person who collected the money."),
    )

    objects = RevocationReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("revocation review")
        verbose_name_plural = _("revocation reviews")
        ordering = ["outcome", "-flagged_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["award", "record"], name="revocation_once_per_record"),
            models.UniqueConstraint(
                fields=["award", "ground"],
                condition=Q(record__isnull=True, outcome=""),
                name="revocation_one_open_per_ground",
            ),
            models.CheckConstraint(
                condition=(Q(ground="violation") & Q(record__isnull=False))
                | (~Q(ground="violation") & Q(record__isnull=True)),
                name="revocation_record_iff_violation",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | (~Q(decision_number="") & Q(decided_on__isnull=False)),
                name="revocation_decided_has_number_and_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome="revoked")
                | (Q(recovery_amount__isnull=True) & Q(recovered_on__isnull=True)),
                name="revocation_recovery_only_when_revoked",
            ),
            models.CheckConstraint(
                condition=Q(recovered_on__isnull=True) | ~Q(recovered_by=""),
                name="revocation_recovery_names_who",
            ),
            models.CheckConstraint(
                condition=Q(recovery_amount__isnull=True) | Q(recovery_amount__gte=0),
                name="revocation_recovery_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return self.award.get_absolute_url()

    def is_pending(self) -> bool:
        return self.outcome == ReviewOutcome.PENDING

    def is_revoked(self) -> bool:
        return self.outcome == ReviewOutcome.REVOKED

    def recovery_due(self) -> bool:
        """Revoked with money to recover, and its recovery not recorded yet."""
        return self.is_revoked() and bool(self.recovery_amount) and self.recovered_on is None

    def get_additional_data(self) -> dict:
        return {"unit_path": self.award.unit.path}


class HonourConsent(models.Model):
    """The official's own choice to appear on the public honour board (off by default)."""

    official = models.OneToOneField(
        Official,
        on_delete=models.CASCADE,
        related_name="honour_consent",
        verbose_name=_("official"),
    )
    consented = models.BooleanField(_("show me on the honour board"), default=False)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("honour board consent")
        verbose_name_plural = _("honour board consents")

    def __str__(self) -> str:
        return f"{self.official} · {self.consented}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.official.unit.path}


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


class GoodModelQuerySet(models.QuerySet):
    def visible_to(self, user) -> GoodModelQuerySet:
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


class GoodModel(models.Model):
    """A good model, practice or initiative, with the unit that started it."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=ModelKind.choices, default=ModelKind.MODEL
    )
    category = models.CharField(_("category"), max_length=32, choices=ModelCategory.choices)
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
    created_at = models.DateTimeField(auto_now_add=True)

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

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def evidence_lines(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class ReplicationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Being introduced")
    ADOPTED = "adopted", _("Adopted")
    STOPPED = "stopped", _("Stopped")


# Replications that count as places where the model lives.
LIVE_REPLICATION = (ReplicationStatus.IN_PROGRESS, ReplicationStatus.ADOPTED)


class ReplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReplicationQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> ReplicationQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def live(self) -> ReplicationQuerySet:
        return self.filter(status__in=LIVE_REPLICATION)


class Replication(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class ModelTallyQuerySet(models.QuerySet):
    def visible_to(self, user) -> ModelTallyQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> ModelTallyQuerySet:
        return self.filter(unit__path__startswith=unit.path)


class ModelTally(models.Model):
    """How many good models a unit had in a category in a year, for the years a city kept
    only totals (no list of models). Figures add it up apart from listed models and say it is
    a count only: nothing about those models (owner below the unit, status) is known."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="model_tallies", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    category = models.CharField(_("category"), max_length=32, choices=ModelCategory.choices)
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
    created_at = models.DateTimeField(auto_now_add=True)

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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}
