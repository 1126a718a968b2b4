"""Monthly evaluation of officials, annual classification, and rotation of posts subject to
periodic rotation.

A coordinator opens an evaluation period for a unit subtree and a month; it creates one
evaluation per official, under the rule set that applies to the official's staff category and
province that month (rules.py), or none: then the official is not scored. Each evaluation
moves self-assessment → supervisor's rating → head's approval, each step with its deadline;
the facts Civility already holds about the official's month are kept with it as a snapshot.

At year end an annual classification is proposed per official under the rule set for the year
and staff category, explained, then confirmed (or changed, with a reason) by the head and
locked. Posts subject to periodic rotation carry a rotation period; rotation plans and
exceptions (deferrals under Decree 59/2019, or another stated reason) are recorded.
Every record stores the key of the rule set it was decided under.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.evaluations.rules import (
    ANNUAL_RULE_SET_CHOICES,
    MONTHLY_RULE_SET_CHOICES,
    AnnualLevel,
    Level,
    WorkItem,
    annual_rule_set,
    monthly_rule_set,
)
from civility.orgs.models import AgencyRole, Official, OrgUnit, Post, StaffCategory
from civility.orgs.scopes import Role, scope_of

# Who opens periods, sees every evaluation of their subtree and its figures.
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)
# Who reads the evaluations of their subtree (supervisors hold the evaluator role).
READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.EVALUATOR)
# Who approves evaluations and confirms classifications.
APPROVER_ROLES = (Role.SYSTEM_ADMIN, Role.UNIT_HEAD)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _nobody() -> Q:
    return Q(pk__in=[])


def _approver_q(user, *, staff_path: str = "unit__path") -> Q:
    """Rows (evaluations, classifications) `user` may approve: the SQL form of
    `actions.common.approval_root` and `can_approve_for`, for lists and counts
    (tests/core/test_todo_home.py keeps the two in step). The head of an agency is approved
    from the level above; its deputies and other leaders by a head of the agency; staff by a
    head of their unit (`staff_path`: the agency for the annual classification). Deputies
    follow the default of the monthly setting (their own agency's head): where a province
    chose the level above, the action still refuses, and the list may show one too many."""
    if user is None or not user.is_authenticated:
        return _nobody()
    scope = scope_of(user)
    not_self = ~Q(official__user=user)
    if scope.is_global:
        return not_self
    condition = _nobody()
    for path in scope.paths_with_role(*APPROVER_ROLES):
        in_agency = Q(agency__path__startswith=path)
        condition |= (
            (Q(agency_role=AgencyRole.HEAD) & in_agency & ~Q(agency__path=path))
            | (Q(agency_role=AgencyRole.DEPUTY) & in_agency)
            | (Q(agency_role="", is_leader=True) & in_agency)
            | (Q(agency_role="", is_leader=False) & Q(**{f"{staff_path}__startswith": path}))
        )
    return condition & not_self


def _reviewer_q(user) -> Q:
    """Evaluations `user` may rate: the SQL form of `actions.can_review`."""
    if user is None or not user.is_authenticated:
        return _nobody()
    scope = scope_of(user)
    reviewers = (Role.EVALUATOR, Role.UNIT_HEAD)
    unassigned = Q(supervisor__isnull=True) & (
        Q() if scope.is_global else scope.q("unit__path", roles=reviewers)
    )
    return (Q(supervisor=user) | unassigned) & ~Q(official__user=user)


# --- Monthly evaluation ------------------------------------------------------------------


class PeriodQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodQuerySet:
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


class EvaluationPeriod(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class Step(models.TextChoices):
    SELF = "self", _("Self-assessment")
    REVIEW = "review", _("Supervisor's rating")
    APPROVAL = "approval", _("Head's approval")
    DONE = "done", _("Approved")
    NOT_SCORED = "not_scored", _("Not scored: no monthly rule set applies")


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user) -> EvaluationQuerySet:
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

    def to_self_assess_by(self, user) -> EvaluationQuerySet:
        return (
            self.filter(step=Step.SELF, official__user=user)
            if user.is_authenticated
            else self.none()
        )

    def to_rate_by(self, user) -> EvaluationQuerySet:
        return self.filter(_reviewer_q(user), step=Step.REVIEW)

    def to_approve_by(self, user) -> EvaluationQuerySet:
        return self.filter(_approver_q(user), step=Step.APPROVAL)

    def late(self, on: datetime.date) -> EvaluationQuerySet:
        """Evaluations whose current step's deadline has passed."""
        return self.filter(
            Q(step=Step.SELF, period__self_deadline__lt=on)
            | Q(step=Step.REVIEW, period__review_deadline__lt=on)
            | Q(step=Step.APPROVAL, period__approval_deadline__lt=on)
        )

    def submitted_on_time(self) -> EvaluationQuerySet:
        """Self-assessments submitted by the month's deadline, the day of submitting counted
        in local time: Evaluation.submitted_on_time() for many rows at once."""
        return self.filter(self_submitted_at__date__lte=models.F("period__self_deadline"))

    def with_related(self) -> EvaluationQuerySet:
        return self.select_related("official__post", "unit", "agency", "period", "supervisor")


class Evaluation(models.Model):
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
    def rules(self):
        """The monthly rule set, or None when none applies (not scored)."""
        return monthly_rule_set(self.rule_set)

    def is_scored(self) -> bool:
        return self.step != Step.NOT_SCORED

    def items(self) -> list[WorkItem]:
        return [WorkItem.from_dict(item) for item in self.work_items]

    def deadline(self) -> datetime.date | None:
        return {
            Step.SELF: self.period.self_deadline,
            Step.REVIEW: self.period.review_deadline,
            Step.APPROVAL: self.period.approval_deadline,
        }.get(self.step)

    def is_late(self, on: datetime.date) -> bool:
        deadline = self.deadline()
        return deadline is not None and on > deadline

    def submitted_on_time(self) -> bool | None:
        if self.self_submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.self_submitted_at) <= self.period.self_deadline

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


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


# --- Annual classification ---------------------------------------------------------------


class ClassificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClassificationQuerySet:
        scope = scope_of(user)
        if scope.is_global:
            return self
        condition = scope.q("unit__path", roles=READER_ROLES)
        if user is not None and user.is_authenticated:
            condition |= Q(official__user=user)
        return self.filter(condition)

    def under(self, unit: OrgUnit) -> ClassificationQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def confirmed(self) -> ClassificationQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def to_confirm_by(self, user) -> ClassificationQuerySet:
        return self.filter(_approver_q(user, staff_path="agency__path"), confirmed_at__isnull=True)


class AnnualClassification(models.Model):
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
    def rules(self):
        return annual_rule_set(self.rule_set)

    def is_locked(self) -> bool:
        return self.confirmed_at is not None

    def is_to_assess(self) -> bool:
        """No level proposed: the evaluator decides (the reasons say why)."""
        return not self.proposed_level

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


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


# --- Rotation of posts subject to periodic rotation --------------------------------------


class RotationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class RotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RotationQuerySet:
        return self.filter(scope_of(user).q("official__unit__path", roles=MANAGER_ROLES))

    def under(self, unit: OrgUnit) -> RotationQuerySet:
        return self.filter(official__unit__path__startswith=unit.path)


class RotationPlan(models.Model):
    """A planned (then completed) move of an official from a post subject to periodic rotation
    to another."""

    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="rotations", verbose_name=_("official")
    )
    from_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("from post")
    )
    to_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("to post")
    )
    planned_on = models.DateField(_("planned for"))
    status = models.CharField(
        _("status"), max_length=16, choices=RotationStatus.choices, default=RotationStatus.PLANNED
    )
    done_on = models.DateField(_("rotated on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_post=models.F("to_post")), name="rotation_changes_post"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="rotation_done_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official}: {self.from_post} → {self.to_post}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.official.unit.path}


class RotationExceptionKind(models.TextChoices):
    """Why an official is not rotated when due. The first five defer the rotation while they
    last (Decree 59/2019, amended by Decree 134/2021)."""

    DISCIPLINARY_REVIEW = "disciplinary_review", _("Under disciplinary review")
    INVESTIGATION = "investigation", _("Under investigation")
    SERIOUS_ILLNESS = "serious_illness", _("Treated for a serious illness")
    PREGNANCY = "pregnancy", _("Pregnant")
    CHILD_UNDER_36_MONTHS = "child_under_36_months", _("Raising a child under 36 months")
    OTHER = "other", _("Other reason, stated below")


class RotationException(models.Model):
    """An official not rotated when due, from a day to a day (or until further notice): a
    deferral under Decree 59/2019 or another stated reason."""

    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="rotation_exceptions",
        verbose_name=_("official"),
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("post")
    )
    kind = models.CharField(
        _("ground"),
        max_length=32,
        choices=RotationExceptionKind.choices,
        default=RotationExceptionKind.OTHER,
    )
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("starts on"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation exception")
        verbose_name_plural = _("rotation exceptions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="rotation_exception_reason"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("starts_on")),
                name="rotation_exception_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} · {self.post}"

    def is_active(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.valid_until is None or on <= self.valid_until)

    def is_deferral(self) -> bool:
        return self.kind != RotationExceptionKind.OTHER

    def get_additional_data(self) -> dict:
        return {"unit_path": self.official.unit.path}
