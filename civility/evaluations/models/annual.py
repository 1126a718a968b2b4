"""Annual classification: proposed per official under the rule set for the year and staff
category, explained, then confirmed (or changed, with a reason) by the head and locked."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.core.models import OfficialRowsQuerySet, UnitAudited
from civility.evaluations.models.common import (
    READER_ROLES,
    _approver_q,
)
from civility.evaluations.rules import (
    ANNUAL_RULE_SET_CHOICES,
    AnnualLevel,
    AnnualRuleSet,
    annual_rule_set,
)
from civility.orgs.models import AgencyRole, Official, OrgUnit, Post, StaffCategory

# --- Annual classification ---------------------------------------------------------------


class ClassificationQuerySet(OfficialRowsQuerySet["AnnualClassification"]):
    """Readers of the official's subtree, and the official classified."""

    reader_roles = READER_ROLES

    def confirmed(self) -> ClassificationQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def to_confirm_by(self, user: User | AnonymousUser | None) -> ClassificationQuerySet:
        return self.filter(_approver_q(user, staff_path="agency__path"), confirmed_at__isnull=True)


class AnnualClassification(UnitAudited):
    """One official's classification for a year: proposed by Civility with its reasons,
    confirmed or changed by the head, then locked. Awards read `final_level` of confirmed
    rows (`classification_of`)."""

    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="classifications",
        verbose_name=_("official"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="classifications",
        verbose_name=_("unit"),
        help_text=_("The official's unit when proposed."),
    )
    agency = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("The agency of the official's unit when proposed; quotas count in it."),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
        help_text=_("The official's post when proposed; quotas may count per post."),
    )
    staff_category = models.CharField(
        _("staff category"), max_length=32, choices=StaffCategory.choices
    )
    is_leader = models.BooleanField(_("leader"), default=False)
    agency_role = models.CharField(
        _("in the agency's leadership"), max_length=16, choices=AgencyRole.choices, blank=True
    )
    rule_set = models.CharField(_("rule set"), max_length=32, choices=ANNUAL_RULE_SET_CHOICES)
    months_worked = models.PositiveSmallIntegerField(_("months worked"), default=12)
    months_absent = models.PositiveSmallIntegerField(_("months absent"), default=0)
    maternity_leave = models.BooleanField(_("on maternity leave"), default=False)
    period_count = models.PositiveSmallIntegerField(_("periods evaluated"), default=0)
    average_score = models.DecimalField(
        _("average score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Blank: the records allow no verdict under the rules; the evaluator assesses it.
    proposed_level = models.CharField(
        _("proposed level"), max_length=16, choices=AnnualLevel.choices, blank=True
    )
    # Why: a list of {"code": ..., "params": {...}}, rendered in the reader's language.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    final_level = models.CharField(
        _("final level"), max_length=16, choices=AnnualLevel.choices, blank=True
    )
    change_reason = models.TextField(_("reason for the change"), blank=True)
    late_reason = models.TextField(_("reason for confirming late"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual classification")
        verbose_name_plural = _("annual classifications")
        ordering = ["-year", "official__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["official", "year"], name="classification_once"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | ~Q(final_level=""),
                name="classification_confirmed_has_level",
            ),
            models.CheckConstraint(
                condition=Q(final_level="")
                | Q(final_level=models.F("proposed_level"))
                | ~Q(change_reason=""),
                name="classification_change_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:classification_detail", args=[self.pk])

    @property
    def rules(self) -> AnnualRuleSet:
        return annual_rule_set(self.rule_set)

    def is_locked(self) -> bool:
        return self.confirmed_at is not None

    def is_to_assess(self) -> bool:
        """No level proposed: the evaluator decides (the reasons say why)."""
        return not self.proposed_level


def classification_of(official: Official, year: int) -> str | None:
    """The confirmed annual level of an official for a year (for award eligibility), or None
    when not yet confirmed. Unscoped: the caller decides who may see it."""
    row = (
        AnnualClassification.objects.confirmed()
        .filter(official=official, year=year)
        .values_list("final_level", flat=True)
        .first()
    )
    return row
