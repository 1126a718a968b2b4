"""Commendation decisions and their awards, the reviews that may revoke an award, and the
official's consent to appear on the public honour board."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.awards.models.catalogue import AwardTitle, BaseSalary, recipient_name
from civility.awards.models.movements import Movement
from civility.awards.models.nominations import Nomination
from civility.awards.models.roles import READER_ROLES, AnyUser
from civility.awards.rules import RULE_SET_CHOICES
from civility.core.models import OfficialRowsQuerySet, UnitAudited, UnitRowsQuerySet
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of


class DecisionSource(models.TextChoices):
    BOARD = "board", _("Decided through Civility")
    RECORDED = "recorded", _("Earlier decision, recorded for history")


class AwardDecisionQuerySet(UnitRowsQuerySet["AwardDecision"]):
    reader_roles = READER_ROLES


class AwardDecision(UnitAudited):
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
        known = [amount for amount in amounts if amount is not None]
        if not amounts or len(known) < len(amounts):
            return None
        return sum(known, Decimal(0))


class AwardQuerySet(OfficialRowsQuerySet["Award"]):
    """Readers of the recipient's subtree, and the official awarded."""

    reader_roles = READER_ROLES

    def counted(self) -> AwardQuerySet:
        """Awards that still count: not revoked after a revocation review."""
        return self.exclude(
            pk__in=RevocationReview.objects.filter(outcome=ReviewOutcome.REVOKED).values("award_id")
        )

    def on_honour_board(self) -> AwardQuerySet:
        """Collectives, and individuals who chose to appear on the public honour board."""
        return self.filter(Q(official__isnull=True) | Q(official__honour_consent__consented=True))


class Award(UnitAudited):
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
        return recipient_name(self.official, self.unit)

    def is_revoked(self) -> bool:
        return self.revocation_reviews.filter(outcome=ReviewOutcome.REVOKED).exists()


# --- Revocation reviews ------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    PENDING = "", _("To review")
    KEPT = "kept", _("Kept")
    REVOKED = "revoked", _("Revoked")


class RevocationReviewQuerySet(models.QuerySet["RevocationReview"]):
    def visible_to(self, user: AnyUser) -> RevocationReviewQuerySet:
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


class RevocationReview(UnitAudited):
    """An award under review for revocation: flagged when a violation is confirmed for the
    period it was given for, or opened by the board on another ground of the Law. The board
    decides whether it is kept or revoked, with the number and date of the decision; a revoked
    award stops counting (earlier titles, quotas, the honour board) and its bonus is to be
    recovered, which is recorded when done."""

    audit_unit = "award.unit"

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


class HonourConsent(UnitAudited):
    """The official's own choice to appear on the public honour board (off by default)."""

    audit_unit = "official.unit"

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
