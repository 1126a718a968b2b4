"""Cultural titles (Decree 86/2023/NĐ-CP): rule sets, criteria, cycles, counts and recognitions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.codes.models import overlapping_q
from civility.core.i18n import localized
from civility.core.models import UnitAudited
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of
from civility.programmes.models.common import COORDINATOR_ROLES, vietnam_today
from civility.programmes.models.indicators import Indicator


class CulturalTitle(models.TextChoices):
    FAMILY = "family", _("Cultural family")
    VILLAGE = "village", _("Cultural village")
    RESIDENTIAL_GROUP = "residential_group", _("Cultural residential group")
    EXEMPLARY_COMMUNE = "exemplary_commune", _("Exemplary commune or ward")


# Money for the cultural titles, in multiples of the base salary (Decree 98/2023/NĐ-CP
# Art. 54; the Decree 152/2025 summary gives the same rates). The law sets no cash amount for
# a cultural family, so it has none here.
CULTURAL_TITLE_MULTIPLIERS: dict[str, Decimal] = {
    CulturalTitle.EXEMPLARY_COMMUNE: Decimal("2.0"),
    CulturalTitle.VILLAGE: Decimal("1.5"),
    CulturalTitle.RESIDENTIAL_GROUP: Decimal("1.5"),
}


class DecidingAuthority(models.TextChoices):
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chairman of the commune-level People's Committee")
    DISTRICT_CHAIRMAN = (
        "district_chairman",
        _("Chairman of the district-level People's Committee (before 1 July 2025)"),
    )
    PROVINCE_CHAIRMAN = "province_chairman", _("Chairman of the provincial People's Committee")
    OTHER = "other", _("Other (see the note)")


class TitleRuleQuerySet(models.QuerySet["TitleRule"]):
    def visible_to(self, user: User | AnonymousUser) -> TitleRuleQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def in_force(self, title: str, year: int) -> TitleRuleQuerySet:
        return self.filter(title=title, valid_from__lte=datetime.date(year, 12, 31)).order_by(
            "-valid_from"
        )


class TitleRule(UnitAudited):
    """How a province runs one title from a date on: checklist, authority, cycle dates.

    Each recognition stores the rule it was decided under, so old records stay readable
    under their old rules.
    """

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="title_rules", verbose_name=_("province")
    )
    title = models.CharField(
        pgettext_lazy("award", "title"), max_length=32, choices=CulturalTitle.choices
    )
    valid_from = models.DateField(_("valid from"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=255, default="Nghị định 86/2023/NĐ-CP"
    )
    deciding_authority = models.CharField(
        _("deciding authority"), max_length=32, choices=DecidingAuthority.choices
    )
    authority_note = models.CharField(
        _("note on the authority"),
        max_length=500,
        blank=True,
        help_text=_("Where the law leaves the authority open, say which text the choice rests on."),
    )
    closes_month = models.PositiveSmallIntegerField(
        _("evaluation closes before (month)"),
        default=11,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    closes_day = models.PositiveSmallIntegerField(
        _("evaluation closes before (day)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    comment_days = models.PositiveSmallIntegerField(_("days of public comment"), default=10)
    decision_days = models.PositiveSmallIntegerField(_("days to decide"), default=10)
    publication_days = models.PositiveSmallIntegerField(_("days to publish"), default=15)
    target_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target indicator"),
        help_text=_("The indicator whose targets give each unit's recognition rate to reach."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TitleRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("title rule set")
        verbose_name_plural = _("title rule sets")
        ordering = ["unit__path", "title", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title", "valid_from"], name="titlerule_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} · {self.valid_from:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:title_rule_detail", args=[self.pk])

    def evaluation_deadline(self, year: int) -> datetime.date:
        """The last day of evaluation: the day before the "closes before" date."""
        return datetime.date(year, self.closes_month, self.closes_day) - datetime.timedelta(days=1)


class Criterion(UnitAudited):
    """One item of a title's checklist, in its group (I, II, III...)."""

    audit_unit = "rule.unit"

    rule = models.ForeignKey(
        TitleRule, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rule set")
    )
    group = models.CharField(_("group"), max_length=8, help_text=_("I, II, III…"))
    group_title = models.CharField(_("group title"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("criterion (Vietnamese)"))
    text_en = models.TextField(_("criterion (English)"), blank=True)
    is_summary = models.BooleanField(
        _("text is a summary"),
        default=True,
        help_text=_("Tick when the text is our summary, not the official wording."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rule", "group", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def display_text(self) -> str:
        return localized(self, "text")


class TitleCycleQuerySet(models.QuerySet["TitleCycle"]):
    def visible_to(self, user: User | AnonymousUser) -> TitleCycleQuerySet:
        return self.filter(overlapping_q(user, "rule__unit__path"))

    def run_by(self, user: User | AnonymousUser) -> TitleCycleQuerySet:
        """Cycles whose steps `user` records (the province's coordinators)."""
        return self.filter(scope_of(user).q("rule__unit__path", roles=COORDINATOR_ROLES))

    def unpublished(self) -> TitleCycleQuerySet:
        return self.filter(published_on__isnull=True)


class CycleStage(models.TextChoices):
    EVALUATING = "evaluating", _("Evaluation")
    PUBLIC_COMMENT = "public_comment", _("List posted for public comment")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting the decision")
    AWAITING_PUBLICATION = "awaiting_publication", _("Decided, awaiting publication")
    PUBLISHED = "published", _("Published")


class TitleCycle(UnitAudited):
    """One year of one title in a province, with the days each step happened."""

    audit_unit = "rule.unit"

    rule = models.ForeignKey(
        TitleRule, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("rule set")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    evaluation_closed_on = models.DateField(_("evaluation closed on"), null=True, blank=True)
    list_posted_on = models.DateField(_("list posted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    objects = TitleCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("title cycle")
        verbose_name_plural = _("title cycles")
        ordering = ["-year", "rule__title"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "year"], name="titlecycle_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.get_title_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:cycle_detail", args=[self.pk])

    @property
    def evaluation_deadline(self) -> datetime.date:
        return self.rule.evaluation_deadline(self.year)

    @property
    def comment_ends(self) -> datetime.date | None:
        if self.list_posted_on is None:
            return None
        return self.list_posted_on + datetime.timedelta(days=self.rule.comment_days)

    @property
    def decision_due(self) -> datetime.date | None:
        ends = self.comment_ends
        return ends + datetime.timedelta(days=self.rule.decision_days) if ends else None

    @property
    def publication_due(self) -> datetime.date | None:
        if self.decided_on is None:
            return None
        return self.decided_on + datetime.timedelta(days=self.rule.publication_days)

    def stage(self) -> str:
        if self.published_on:
            return CycleStage.PUBLISHED
        if self.decided_on:
            return CycleStage.AWAITING_PUBLICATION
        comment_ends = self.comment_ends
        if comment_ends is not None:
            if vietnam_today() < comment_ends:
                return CycleStage.PUBLIC_COMMENT
            return CycleStage.AWAITING_DECISION
        return CycleStage.EVALUATING

    def stage_label(self) -> str:
        return str(CycleStage(self.stage()).label)


class CycleReminder(models.Model):
    cycle = models.ForeignKey(
        TitleCycle, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("cycle")
    )
    step = models.CharField(_("step"), max_length=32, choices=CycleStage.choices)
    due_on = models.DateField(_("due on"))
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveIntegerField(_("e-mails sent"), default=0)

    class Meta:
        verbose_name = _("cycle reminder")
        verbose_name_plural = _("cycle reminders")
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "step", "sent_on"], name="cycle_reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.step} · {self.sent_on}"


class TitleCountQuerySet(models.QuerySet["TitleCount"]):
    def visible_to(self, user: User | AnonymousUser) -> TitleCountQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class TitleCount(UnitAudited):
    """How many households (or villages...) of a unit could have the title, and how many
    were assessed, in a year. Recognitions are counted from their own records."""

    title = models.CharField(
        pgettext_lazy("award", "title"), max_length=32, choices=CulturalTitle.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="title_counts", verbose_name=_("unit")
    )
    eligible = models.PositiveIntegerField(_("eligible"))
    assessed = models.PositiveIntegerField(_("assessed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TitleCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("title count")
        verbose_name_plural = _("title counts")
        ordering = ["title", "-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["title", "year", "unit"], name="titlecount_once"),
            models.CheckConstraint(
                condition=Q(assessed__lte=F("eligible")), name="titlecount_assessed_le_eligible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} · {self.unit} · {self.year}"


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def visible_to(self, user: User | AnonymousUser) -> RecognitionQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> RecognitionQuerySet:
        return self.filter(unit__path__startswith=unit.path)


class Recognition(UnitAudited):
    """A household, village, residential group or commune recognised in a year.

    For a family, `unit` is the village or residential group (or commune) the household
    lives in and `household_code` tells households apart from year to year; for the other
    titles `unit` is the recognised unit itself.
    """

    rule = models.ForeignKey(
        TitleRule,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("rule set"),
    )
    title = models.CharField(
        pgettext_lazy("award", "title"), max_length=32, choices=CulturalTitle.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("unit")
    )
    household_code = models.CharField(_("household code"), max_length=64, blank=True)
    household_head = models.CharField(_("head of household"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["title", "-year", "unit__path", "household_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year", "unit", "household_code"], name="recognition_once"
            ),
            models.CheckConstraint(
                condition=Q(title="family") | Q(household_code=""),
                name="recognition_household_only_for_families",
            ),
            models.CheckConstraint(
                condition=~Q(title="family") | ~Q(household_code=""),
                name="recognition_family_has_household",
            ),
        ]

    def __str__(self) -> str:
        who = self.household_head or self.household_code or self.unit.name
        return f"{self.get_title_display()} {self.year} · {who}"
