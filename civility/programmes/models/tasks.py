"""Programmes and their tasks: updates, verification and reminders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civility.codes.models import overlapping_q
from civility.core.files import RandomName
from civility.core.i18n import localized
from civility.core.models import UnitAudited, Verified
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes.models.common import vietnam_today


class ProgrammeKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    PLAN = "plan", _("Plan")
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user: User | AnonymousUser) -> ProgrammeQuerySet:
        """Programmes of a unit in the user's scope or above it (a ward sees the city's
        programme, and in it only the tasks of its own subtree)."""
        return self.filter(overlapping_q(user, "unit__path"))


class Programme(UnitAudited):
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


class TaskState(models.TextChoices):
    """What is stored; the status users see also depends on the day (TaskStatus)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# A task's time rules, each written once: TaskQuerySet filters by them and the figures count
# with them (Count(filter=...)), so a list and its totals cannot disagree.
TASK_OPEN = Q(state__in=[TaskState.NOT_STARTED, TaskState.IN_PROGRESS])
TASK_DONE_ON_TIME = Q(state=TaskState.DONE, completed_on__lte=F("deadline"))
TASK_DONE_LATE = Q(state=TaskState.DONE, completed_on__gt=F("deadline"))
TASK_PROLONGED = ~Q(state=TaskState.CANCELLED) & Q(deadline__gt=F("original_deadline"))


def task_overdue_on(today: datetime.date) -> Q:
    return TASK_OPEN & Q(deadline__lt=today)


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


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: User | AnonymousUser) -> TaskQuerySet:
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
        return self.filter(TASK_OPEN)

    def reported_by(self, user: User | AnonymousUser) -> TaskQuerySet:
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
        return self.filter(task_overdue_on(today or vietnam_today()))

    def done_on_time(self) -> TaskQuerySet:
        return self.filter(TASK_DONE_ON_TIME)

    def done_late(self) -> TaskQuerySet:
        return self.filter(TASK_DONE_LATE)

    def prolonged(self) -> TaskQuerySet:
        return self.filter(TASK_PROLONGED)

    def delayed_or_prolonged(self, today: datetime.date | None = None) -> TaskQuerySet:
        """What Directive 24-CT/TU asks every unit to review: overdue, done late, or given
        more time."""
        today = today or vietnam_today()
        return self.counted().filter(task_overdue_on(today) | TASK_DONE_LATE | TASK_PROLONGED)

    def with_status(self, today: datetime.date | None = None) -> TaskQuerySet:
        today = today or vietnam_today()
        return self.annotate(
            current_status=Case(
                When(state=TaskState.CANCELLED, then=Value(TaskStatus.CANCELLED.value)),
                When(TASK_DONE_ON_TIME, then=Value(TaskStatus.DONE.value)),
                When(state=TaskState.DONE, then=Value(TaskStatus.DONE_LATE.value)),
                When(deadline__lt=today, then=Value(TaskStatus.OVERDUE.value)),
                default=F("state"),
                output_field=models.CharField(),
            )
        )

    def with_status_filter(self, status: str, today: datetime.date | None = None) -> TaskQuerySet:
        # current_status is with_status()'s annotation, which the Django plugin cannot see.
        return self.with_status(today).filter(current_status=status)  # type: ignore[misc]


class Task(UnitAudited):
    audit_unit = "assignee_unit"

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
        return str(TaskStatus(self.status(today)).label)

    def is_open(self) -> bool:
        return self.state in (TaskState.NOT_STARTED, TaskState.IN_PROGRESS)

    def is_prolonged(self) -> bool:
        return self.deadline > self.original_deadline

    def is_delegated(self) -> bool:
        parent = self.parent
        return parent is not None and parent.assignee_unit_id != self.assignee_unit_id


class UpdateKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    PROGRESS = "progress", _("Progress report")
    EXTENSION = "extension", _("Deadline extended")
    DELEGATION = "delegation", _("Delegated")


class TaskUpdateQuerySet(models.QuerySet["TaskUpdate"]):
    def visible_to(self, user: User | AnonymousUser) -> TaskUpdateQuerySet:
        return self.filter(scope_of(user).q("task__assignee_unit__path"))

    def under(self, unit: OrgUnit) -> TaskUpdateQuerySet:
        return self.filter(task__assignee_unit__path__startswith=unit.path)

    def verified(self) -> TaskUpdateQuerySet:
        return self.filter(kind=UpdateKind.PROGRESS, verified_at__isnull=False)


class TaskUpdate(UnitAudited, Verified):
    """The task's history: progress reports with evidence, comments, extensions.

    A progress report is the assignee's own account; the assigning unit verifies it against
    the evidence and records the progress it found next to it (`verified_progress`), never
    over it, so the gap between the two stays readable.
    """

    audit_unit = "task.assignee_unit"

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
