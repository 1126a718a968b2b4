"""Programmes and their tasks; indicators with targets and actuals; cultural titles.

- A programme or plan (Programme 06-CTr/TU, Plan 176/KH-UBND, a department's yearly plan) has
  tasks assigned to units. A task may be split into sub-tasks or delegated down the tree; the
  children roll up into the parent (civility.programmes.figures).
- An indicator has a unit of measure and says how values add up (sum, average, ratio of two
  indicators, latest value). Targets are set per unit and period and allocated from a parent
  unit to its children; actuals are reported per unit and period.
- Cultural titles (Decree 86/2023/NĐ-CP): the rule set per province and title (criteria
  checklist, deciding authority, cycle dates), the yearly cycle, counts per unit and the
  recognised households, villages, residential groups and communes.

Task deadlines are calendar days in Vietnam: a task is overdue from 00:00 Asia/Ho_Chi_Minh
on the day after its deadline, and done late when it was completed after that moment,
whatever the server's time zone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civility.codes.models import overlapping_q
from civility.core.files import RandomName
from civility.core.i18n import localized
from civility.core.models import Verified
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, Role, scope_of

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Roles that define programmes and indicators and allocate targets.
COORDINATOR_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)


def vietnam_today(now: datetime.datetime | None = None) -> datetime.date:
    """The calendar day in Vietnam at `now` (default: this moment)."""
    return timezone.localtime(now or timezone.now(), VIETNAM).date()


# --- Programmes and tasks ---------------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    PLAN = "plan", _("Plan")
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes of a unit in the user's scope or above it (a ward sees the city's
        programme, and in it only the tasks of its own subtree)."""
        return self.filter(overlapping_q(user, "unit__path"))


class Programme(models.Model):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("issuing unit"),
        help_text=_("The unit that issued the programme; tasks go to units under it."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    number = models.CharField(_("number"), max_length=64, help_text=_("For example 06-CTr/TU."))
    title = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implementing_plans",
        verbose_name=_("implements"),
        help_text=_("The programme this plan carries out (Plan 176/KH-UBND → 06-CTr/TU)."),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme or plan")
        verbose_name_plural = _("programmes and plans")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="programme_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="programme_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class TaskState(models.TextChoices):
    """What is stored; the status users see also depends on the day (TaskStatus)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")


def status_of(
    *,
    state: str,
    deadline: datetime.date,
    completed_on: datetime.date | None,
    today: datetime.date,
) -> str:
    """The status on `today` (a day in Vietnam) of a task with this state and deadline."""
    if state == TaskState.CANCELLED:
        return TaskStatus.CANCELLED
    if state == TaskState.DONE:
        return (
            TaskStatus.DONE if completed_on and completed_on <= deadline else TaskStatus.DONE_LATE
        )
    if today > deadline:
        return TaskStatus.OVERDUE
    return state


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskQuerySet:
        """Tasks assigned in the user's scope, and every task of a programme they issued."""
        scope = scope_of(user)
        return self.filter(scope.q("assignee_unit__path") | scope.q("programme__unit__path"))

    def assigned_under(self, unit: OrgUnit) -> TaskQuerySet:
        return self.filter(assignee_unit__path__startswith=unit.path)

    def outermost_under(self, unit: OrgUnit) -> TaskQuerySet:
        """Tasks assigned in the unit's subtree, without those delegated from a task that is
        itself assigned there: each piece of work counts once, at the highest level."""
        return self.assigned_under(unit).exclude(parent__assignee_unit__path__startswith=unit.path)

    def open(self) -> TaskQuerySet:
        return self.filter(state__in=[TaskState.NOT_STARTED, TaskState.IN_PROGRESS])

    def reported_by(self, user) -> TaskQuerySet:
        """Tasks `user` reports progress on: the SQL form of `actions.can_report`."""
        scope = scope_of(user)
        if scope.is_global:
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            scope.q("assignee_unit__path", roles=MANAGER_ROLES) | Q(assignee_official__user=user)
        )

    def counted(self) -> TaskQuerySet:
        return self.exclude(state=TaskState.CANCELLED)

    def overdue(self, today: datetime.date | None = None) -> TaskQuerySet:
        return self.open().filter(deadline__lt=today or vietnam_today())

    def done_on_time(self) -> TaskQuerySet:
        return self.filter(state=TaskState.DONE, completed_on__lte=F("deadline"))

    def done_late(self) -> TaskQuerySet:
        return self.filter(state=TaskState.DONE, completed_on__gt=F("deadline"))

    def prolonged(self) -> TaskQuerySet:
        return self.counted().filter(deadline__gt=F("original_deadline"))

    def delayed_or_prolonged(self, today: datetime.date | None = None) -> TaskQuerySet:
        """What Directive 24-CT/TU asks every unit to review: overdue, done late, or given
        more time."""
        today = today or vietnam_today()
        return self.counted().filter(
            Q(state__in=[TaskState.NOT_STARTED, TaskState.IN_PROGRESS], deadline__lt=today)
            | Q(state=TaskState.DONE, completed_on__gt=F("deadline"))
            | Q(deadline__gt=F("original_deadline"))
        )

    def with_status(self, today: datetime.date | None = None) -> TaskQuerySet:
        today = today or vietnam_today()
        return self.annotate(
            current_status=Case(
                When(state=TaskState.CANCELLED, then=Value(TaskStatus.CANCELLED.value)),
                When(
                    state=TaskState.DONE,
                    completed_on__lte=F("deadline"),
                    then=Value(TaskStatus.DONE.value),
                ),
                When(state=TaskState.DONE, then=Value(TaskStatus.DONE_LATE.value)),
                When(deadline__lt=today, then=Value(TaskStatus.OVERDUE.value)),
                default=F("state"),
                output_field=models.CharField(),
            )
        )

    def with_status_filter(self, status: str, today: datetime.date | None = None):
        return self.with_status(today).filter(current_status=status)


class Task(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("programme")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent task"),
        help_text=_("Set for a sub-task, or for a task delegated to a unit below."),
    )
    number = models.CharField(
        _("number"), max_length=16, blank=True, help_text=_("As numbered in the programme.")
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    assignee_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="programme_tasks", verbose_name=_("unit")
    )
    assignee_official = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_tasks",
        verbose_name=_("official in charge"),
    )
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"))
    state = models.CharField(
        _("state"), max_length=16, choices=TaskState.choices, default=TaskState.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The day in Vietnam the task was completed: compared with the deadline in SQL.
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["programme", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max"),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(completed_at__isnull=False, progress=100),
                name="task_done_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "state", "deadline"], name="task_programme_state"),
            models.Index(fields=["deadline"], name="task_deadline"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:task_detail", args=[self.pk])

    def status(self, today: datetime.date | None = None) -> str:
        return status_of(
            state=self.state,
            deadline=self.deadline,
            completed_on=self.completed_on,
            today=today or vietnam_today(),
        )

    def status_label(self, today: datetime.date | None = None) -> str:
        return TaskStatus(self.status(today)).label

    def is_open(self) -> bool:
        return self.state in (TaskState.NOT_STARTED, TaskState.IN_PROGRESS)

    def is_prolonged(self) -> bool:
        return self.deadline > self.original_deadline

    def is_delegated(self) -> bool:
        return self.parent_id is not None and self.parent.assignee_unit_id != self.assignee_unit_id

    def get_additional_data(self) -> dict:
        return {"unit_path": self.assignee_unit.path}


class UpdateKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    PROGRESS = "progress", _("Progress report")
    EXTENSION = "extension", _("Deadline extended")
    DELEGATION = "delegation", _("Delegated")


class TaskUpdateQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskUpdateQuerySet:
        return self.filter(scope_of(user).q("task__assignee_unit__path"))

    def under(self, unit: OrgUnit) -> TaskUpdateQuerySet:
        return self.filter(task__assignee_unit__path__startswith=unit.path)

    def verified(self) -> TaskUpdateQuerySet:
        return self.filter(kind=UpdateKind.PROGRESS, verified_at__isnull=False)


class TaskUpdate(Verified):
    """The task's history: progress reports with evidence, comments, extensions.

    A progress report is the assignee's own account; the assigning unit verifies it against
    the evidence and records the progress it found next to it (`verified_progress`), never
    over it, so the gap between the two stays readable.
    """

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("task")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UpdateKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=TaskState.choices, blank=True, default=""
    )
    old_deadline = models.DateField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    # The day the work was finished, as the report says (a task finished in 2023 may be
    # entered now); the task's `completed_on`, which decides "done late", is taken from it.
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=RandomName("programmes/evidence/%Y/"), blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_link = models.URLField(_("evidence link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_progress = models.PositiveSmallIntegerField(
        _("verified progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The progress the assigning unit found, against the evidence."),
    )

    objects = TaskUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True, verified_progress__isnull=True)
                | Q(kind="progress", verified_at__isnull=False, verified_progress__lte=100),
                name="taskupdate_verified_progress_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task}"

    def get_evidence_url(self) -> str:
        return reverse("programmes:update_evidence", args=[self.pk])

    @property
    def verified_gap(self) -> int | None:
        """Reported minus verified progress, in percentage points."""
        if self.verified_progress is None or self.progress is None:
            return None
        return self.progress - self.verified_progress

    def get_additional_data(self) -> dict:
        return {"unit_path": self.task.assignee_unit.path}


class TaskReminder(models.Model):
    """A reminder written by the daily job: due soon, or overdue."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("task")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveIntegerField(_("e-mails sent"), default=0)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "sent_on"], name="task_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.sent_on}"


# --- Indicators, targets, actuals --------------------------------------------------------


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    RATIO = "ratio", _("Ratio of two indicators")
    LATEST = "latest", _("Latest value")


class Frequency(models.TextChoices):
    YEAR = "year", _("Yearly")
    QUARTER = "quarter", _("Quarterly")
    MONTH = "month", _("Monthly")


PERIODS_IN_YEAR = {Frequency.YEAR: 0, Frequency.QUARTER: 4, Frequency.MONTH: 12}


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> IndicatorQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))


class Indicator(models.Model):
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

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def is_ratio(self) -> bool:
        return self.aggregation == Aggregation.RATIO

    def periods(self) -> int:
        """Reporting periods in a year: 0 (one yearly value), 4 quarters or 12 months."""
        if self.is_ratio():
            return PERIODS_IN_YEAR[self.numerator.frequency]
        return PERIODS_IN_YEAR[self.frequency]

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


PERIOD_HELP = _("0 for the whole year; 1-4 for a quarter or 1-12 for a month.")


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> TargetQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class Target(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class ActualSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")


class ActualQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActualQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class Actual(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


# --- Cultural titles (Decree 86/2023/NĐ-CP) ---------------------------------------------


class CulturalTitle(models.TextChoices):
    FAMILY = "family", _("Cultural family")
    VILLAGE = "village", _("Cultural village")
    RESIDENTIAL_GROUP = "residential_group", _("Cultural residential group")
    EXEMPLARY_COMMUNE = "exemplary_commune", _("Exemplary commune or ward")


# Money for the cultural titles, in multiples of the base salary (Decree 98/2023/NĐ-CP
# Art. 54; the Decree 152/2025 summary gives the same rates). The law sets no cash amount for
# a cultural family, so it has none here.
CULTURAL_TITLE_MULTIPLIERS = {
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


class TitleRuleQuerySet(models.QuerySet):
    def visible_to(self, user) -> TitleRuleQuerySet:
        return self.filter(overlapping_q(user, "unit__path"))

    def in_force(self, title: str, year: int) -> TitleRuleQuerySet:
        return self.filter(title=title, valid_from__lte=datetime.date(year, 12, 31)).order_by(
            "-valid_from"
        )


class TitleRule(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class Criterion(models.Model):
    """One item of a title's checklist, in its group (I, II, III...)."""

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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.rule.unit.path}


class TitleCycleQuerySet(models.QuerySet):
    def visible_to(self, user) -> TitleCycleQuerySet:
        return self.filter(overlapping_q(user, "rule__unit__path"))

    def run_by(self, user) -> TitleCycleQuerySet:
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


class TitleCycle(models.Model):
    """One year of one title in a province, with the days each step happened."""

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
        if self.list_posted_on:
            if vietnam_today() < self.comment_ends:
                return CycleStage.PUBLIC_COMMENT
            return CycleStage.AWAITING_DECISION
        return CycleStage.EVALUATING

    def stage_label(self) -> str:
        return CycleStage(self.stage()).label

    def get_additional_data(self) -> dict:
        return {"unit_path": self.rule.unit.path}


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


class TitleCountQuerySet(models.QuerySet):
    def visible_to(self, user) -> TitleCountQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class TitleCount(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}


class RecognitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecognitionQuerySet:
        return self.filter(scope_of(user).q("unit__path"))

    def under(self, unit: OrgUnit) -> RecognitionQuerySet:
        return self.filter(unit__path__startswith=unit.path)


class Recognition(models.Model):
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

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path}
