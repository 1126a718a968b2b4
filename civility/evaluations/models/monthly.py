"""Monthly evaluation: periods opened for a unit subtree and a month, one evaluation per
official under the rule set that applies to them (or none: not scored), moving
self-assessment → supervisor's rating → head's approval, and the reminders of steps due."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.evaluations.models.common import (
    READER_ROLES,
    _approver_q,
    _reviewer_q,
    first_of_month,
)
from civility.evaluations.rules import (
    MONTHLY_RULE_SET_CHOICES,
    Level,
    MonthlyRuleSet,
    WorkItem,
    monthly_rule_set,
)
from civility.orgs.models import AgencyRole, Official, OrgUnit
from civility.orgs.scopes import scope_of

# --- Monthly evaluation ------------------------------------------------------------------


class PeriodQuerySet(models.QuerySet["EvaluationPeriod"]):
    def visible_to(self, user: User | AnonymousUser | None) -> PeriodQuerySet:
        """Periods over the user's subtrees, and periods that hold the user's own evaluation
        or one they supervise."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=READER_ROLES)
        if user is not None and user.is_authenticated:
            mine = Evaluation.objects.filter(Q(official__user=user) | Q(supervisor=user))
            condition |= Q(pk__in=mine.values("period"))
        return self.filter(condition)

    def open(self) -> PeriodQuerySet:
        return self.filter(closed_at__isnull=True)


class EvaluationPeriod(UnitAudited):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="evaluation_periods",
        verbose_name=_("unit"),
        help_text=_("Every official of this unit and the units under it is evaluated."),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month evaluated."))
    self_deadline = models.DateField(_("self-assessment due"))
    review_deadline = models.DateField(_("supervisor's rating due"))
    approval_deadline = models.DateField(_("approval due"))
    exceptional_units = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="+",
        verbose_name=_("agencies with outstanding results"),
        help_text=_("Their cap on the top grade is higher where the rule set allows it."),
    )
    exceptional_units_named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outstanding agencies named by"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["-month", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="period_once_per_unit_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="period_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("self_deadline"))
                & Q(approval_deadline__gte=models.F("review_deadline")),
                name="period_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.month:%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:period_detail", args=[self.pk])

    @property
    def month_end(self) -> datetime.date:
        next_month = (self.month + datetime.timedelta(days=32)).replace(day=1)
        return next_month - datetime.timedelta(days=1)

    def is_open(self) -> bool:
        return self.closed_at is None


class Step(models.TextChoices):
    SELF = "self", _("Self-assessment")
    REVIEW = "review", _("Supervisor's rating")
    APPROVAL = "approval", _("Head's approval")
    DONE = "done", _("Approved")
    NOT_SCORED = "not_scored", _("Not scored: no monthly rule set applies")


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def visible_to(self, user: User | AnonymousUser | None) -> EvaluationQuerySet:
        """Managers and evaluators of the subtree, the official evaluated and the supervisor."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=READER_ROLES)
        if user is not None and user.is_authenticated:
            condition |= Q(official__user=user) | Q(supervisor=user)
        return self.filter(condition)

    def under(self, unit: OrgUnit) -> EvaluationQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def in_month(self, month: datetime.date) -> EvaluationQuerySet:
        return self.filter(period__month=first_of_month(month))

    def approved(self) -> EvaluationQuerySet:
        return self.filter(step=Step.DONE)

    def scored(self) -> EvaluationQuerySet:
        """Under a rule set (not those no monthly rule set applies to)."""
        return self.exclude(step=Step.NOT_SCORED)

    def rated(self) -> EvaluationQuerySet:
        """Rated by the supervisor (waiting for approval or approved)."""
        return self.filter(step__in=(Step.APPROVAL, Step.DONE))

    def to_self_assess_by(self, user: User | AnonymousUser) -> EvaluationQuerySet:
        return (
            self.filter(step=Step.SELF, official__user=user)
            if user.is_authenticated
            else self.none()
        )

    def to_rate_by(self, user: User | AnonymousUser) -> EvaluationQuerySet:
        return self.filter(_reviewer_q(user), step=Step.REVIEW)

    def to_approve_by(self, user: User | AnonymousUser) -> EvaluationQuerySet:
        return self.filter(_approver_q(user), step=Step.APPROVAL)

    def late(self, on: datetime.date) -> EvaluationQuerySet:
        """Evaluations whose current step's deadline has passed."""
        return self.filter(
            Q(step=Step.SELF, period__self_deadline__lt=on)
            | Q(step=Step.REVIEW, period__review_deadline__lt=on)
            | Q(step=Step.APPROVAL, period__approval_deadline__lt=on)
        )

    def self_assessments_due(self, today: datetime.date) -> EvaluationQuerySet:
        """Evaluations whose self-assessment counts for timeliness on `today`: its deadline
        has passed, or it was submitted (early, on time or late)."""
        return self.filter(Q(period__self_deadline__lt=today) | Q(self_submitted_at__isnull=False))

    def submitted_on_time(self) -> EvaluationQuerySet:
        """Self-assessments submitted by the period's self-assessment deadline, the day of
        submission read in the current time zone: `Evaluation.submitted_on_time` in SQL."""
        return self.filter(_submitted_on_time())

    def with_submitted_on_time(self) -> EvaluationQuerySet:
        """Each row with `is_submitted_on_time`: True, False, or None when not submitted. For
        counts per group: `.values(...).annotate(on_time=Count("pk",
        filter=Q(is_submitted_on_time=True)))`."""
        return self.annotate(is_submitted_on_time=_submitted_on_time())

    def with_related(self) -> EvaluationQuerySet:
        return self.select_related("official__post", "unit", "agency", "period", "supervisor")


def _submitted_on_time() -> LessThanOrEqual:
    """The one SQL rule of "self-assessed on time" (NULL when not submitted). Built per call:
    the day is read in the time zone active at the time of the query."""
    return LessThanOrEqual(
        TruncDate("self_submitted_at", tzinfo=timezone.get_current_timezone()),
        F("period__self_deadline"),
    )


class Evaluation(UnitAudited):
    period = models.ForeignKey(
        EvaluationPeriod,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("period"),
    )
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("official")
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("unit"),
        help_text=_("The official's unit when the period opened."),
    )
    agency = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_(
            "The agency of the official's unit when the period opened; quotas count in it."
        ),
    )
    is_leader = models.BooleanField(_("leader"), default=False)
    agency_role = models.CharField(
        _("in the agency's leadership"), max_length=16, choices=AgencyRole.choices, blank=True
    )
    # Blank: no monthly rule set applies to the official (step "not scored").
    rule_set = models.CharField(
        _("rule set"), max_length=32, choices=MONTHLY_RULE_SET_CHOICES, blank=True
    )
    # Why this rule set (or none): a reason {"code", "params"} rendered by `explain`.
    rule_choice = models.JSONField(_("why this rule set"), default=dict, blank=True)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices, default=Step.SELF)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_evaluations",
        verbose_name=_("direct supervisor"),
    )
    # Self-assessment
    work_items = models.JSONField(_("work items"), default=list, blank=True)
    account = models.TextField(_("short account"), blank=True)
    self_points = models.JSONField(_("self-rated points"), default=dict, blank=True)
    self_level = models.CharField(
        _("self-rated level"), max_length=16, choices=Level.choices, blank=True
    )
    self_submitted_at = models.DateTimeField(
        _("self-assessment submitted at"), null=True, blank=True
    )
    # The self-assessment as submitted: the supervisor may correct `work_items` and the head
    # the points, never these, so the self-score and the verified score stay comparable.
    self_work_items = models.JSONField(_("work items as self-assessed"), default=list, blank=True)
    self_total = models.DecimalField(
        _("self-assessed total"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Supervisor's rating
    points = models.JSONField(_("points"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=2, blank=True)
    # The quota line when a quota lowered the level at approval, with the settings used.
    quota = models.JSONField(_("quota applied"), default=dict, blank=True)
    # Decree 335: a leader's unit results as counted in the task points, with the setting.
    unit_results = models.JSONField(_("unit's results"), default=dict, blank=True)
    review_comment = models.TextField(_("supervisor's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rated by"),
    )
    reviewed_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    # Head's approval
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)
    returned_note = models.TextField(_("reason sent back"), blank=True)
    # The facts Civility held about the official's month, kept as they were.
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    facts_taken_at = models.DateTimeField(_("facts taken at"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly evaluation")
        verbose_name_plural = _("monthly evaluations")
        ordering = ["period", "official__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "official"], name="evaluation_once"),
            models.CheckConstraint(
                condition=~Q(step="done") | Q(approved_at__isnull=False, total__isnull=False),
                name="evaluation_done_is_approved",
            ),
            models.CheckConstraint(
                condition=Q(step="not_scored", rule_set="")
                | (~Q(step="not_scored") & ~Q(rule_set="")),
                name="evaluation_not_scored_has_no_rule_set",
            ),
        ]
        indexes = [
            models.Index(fields=["official", "step"], name="evaluation_official_step"),
            # The evaluations list sorts a city's 1.8 million a year by these (core/listing.py).
            models.Index(fields=["period", "id"], name="evaluation_period_order"),
            models.Index(fields=["total", "id"], name="evaluation_total_order"),
            models.Index(fields=["step", "id"], name="evaluation_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.official} · {self.period.month:%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:evaluation_detail", args=[self.pk])

    @property
    def rules(self) -> MonthlyRuleSet | None:
        """The monthly rule set, or None when none applies (not scored)."""
        return monthly_rule_set(self.rule_set)

    def scored_rules(self) -> MonthlyRuleSet:
        """The rule set of a scored evaluation, the only kind whose steps are taken: a step
        other than "not scored" names one of the rule sets (the field's choices;
        evaluation_not_scored_has_no_rule_set)."""
        rules = self.rules
        assert rules is not None, "a scored evaluation names a monthly rule set"
        return rules

    def is_scored(self) -> bool:
        return self.step != Step.NOT_SCORED

    def items(self) -> list[WorkItem]:
        return [WorkItem.from_dict(item) for item in self.work_items]

    def deadline(self) -> datetime.date | None:
        deadlines: dict[str, datetime.date] = {
            Step.SELF: self.period.self_deadline,
            Step.REVIEW: self.period.review_deadline,
            Step.APPROVAL: self.period.approval_deadline,
        }
        return deadlines.get(self.step)

    def is_late(self, on: datetime.date) -> bool:
        deadline = self.deadline()
        return deadline is not None and on > deadline

    def submitted_on_time(self) -> bool | None:
        """Whether the self-assessment was submitted by its deadline; None before it is
        (EvaluationQuerySet.submitted_on_time for many)."""
        if self.self_submitted_at is None:
            return None
        return timezone.localdate(self.self_submitted_at) <= self.period.self_deadline


class EvaluationReminder(models.Model):
    """An in-app reminder of a step due or late, shown to the person who must act."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("evaluation")
    )
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_reminders",
        verbose_name=_("recipient"),
    )
    sent_on = models.DateField(_("sent on"))
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("evaluation reminder")
        verbose_name_plural = _("evaluation reminders")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "step", "recipient", "sent_on"],
                name="evaluation_reminder_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_step_display()} · {self.sent_on}"
