"""Nominations with their eligibility snapshot, evidence and the board's votes; and the reviews
in progress that block a proposal meanwhile."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.awards.models.catalogue import AwardTitle, recipient_name
from civility.awards.models.roles import BOARD_ROLES, DECIDER_ROLES, READER_ROLES, AnyUser
from civility.awards.rules import RULE_SET_CHOICES
from civility.core.files import RandomName
from civility.core.models import Evidence, OfficialRowsQuerySet, UnitAudited, UnitRowsQuerySet
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of

# --- Reviews that block proposals --------------------------------------------------------


class HoldKind(models.TextChoices):
    DISCIPLINARY_REVIEW = "disciplinary_review", _("Disciplinary review")
    INVESTIGATION = "investigation", _("Investigation")
    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Verification of a complaint or denunciation")


class ReviewHoldQuerySet(UnitRowsQuerySet["ReviewHold"]):
    reader_roles = READER_ROLES

    def active(self, on: datetime.date | None = None) -> ReviewHoldQuerySet:
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class ReviewHold(UnitAudited):
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


class NominationQuerySet(OfficialRowsQuerySet["Nomination"]):
    """Readers of the nominee's subtree, and the nominated official."""

    reader_roles = READER_ROLES

    def counted(self) -> NominationQuerySet:
        return self.filter(status__in=COUNTED_STATUSES)

    def to_vote_by(self, user: AnyUser) -> NominationQuerySet:
        """Under review, over the user's board seat, without their vote yet."""
        if user is None or not user.is_authenticated:
            return self.none()
        voted = Vote.objects.filter(nomination=OuterRef("pk"), voter_id=user.pk)
        return self.filter(
            scope_of(user).q("unit__path", roles=BOARD_ROLES),
            ~Exists(voted),
            status=NominationStatus.PROPOSED,
        )

    def to_decide_by(self, user: AnyUser) -> NominationQuerySet:
        """Under review with at least one vote, so the user (a decider) may close it."""
        return self.filter(
            scope_of(user).q("unit__path", roles=DECIDER_ROLES),
            Exists(Vote.objects.filter(nomination=OuterRef("pk"))),
            status=NominationStatus.PROPOSED,
        )


class Nomination(UnitAudited):
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
        return recipient_name(self.official, self.unit)

    @property
    def lines(self) -> list[dict[str, str]]:
        lines: list[dict[str, str]] = self.eligibility.get("lines", [])
        return lines

    def is_open(self) -> bool:
        return self.status == NominationStatus.PROPOSED

    def tally(self) -> dict[str, int]:
        counts = dict.fromkeys(VoteChoice.values, 0)
        for vote in self.votes.all():
            counts[vote.choice] += 1
        return counts


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


class Vote(UnitAudited):
    audit_unit = "nomination.unit"

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
