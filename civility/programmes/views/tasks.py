"""Pages for programmes and tasks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core.files import serve
from civility.core.forms import add_errors, errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.core.listing import int_param, paginate
from civility.orgs.context_processors import focus_within
from civility.orgs.models import OrgUnit
from civility.orgs.policies import policy
from civility.orgs.profile import REVIEW_DIRECTIVE
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes import actions, figures, forms
from civility.programmes.models import (
    Programme,
    Task,
    TaskStatus,
    TaskUpdate,
    vietnam_today,
)
from civility.programmes.views.common import render_form


@login_required
@require_GET
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    today = vietnam_today()
    programmes = list(Programme.objects.visible_to(request.user).select_related("unit"))
    by_programme = figures.task_figures_by_programme(
        Task.objects.visible_to(request.user).filter(programme__in=programmes, parent__isnull=True),
        today,
    )
    rows = [(p, by_programme.get(p.pk) or figures.TaskFigures()) for p in programmes]
    can_create = scope_of(request.user).holds(*MANAGER_ROLES)
    return render(
        request, "programmes/programme_list.html", {"rows": rows, "can_create": can_create}
    )


@login_required
@require_GET
def task_list(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.TaskFilterForm(request.GET, request=request)
    tasks = form.filter(
        Task.objects.visible_to(request.user).select_related(
            "programme", "assignee_unit", "assignee_official"
        )
    )
    context = {
        "form": form,
        "listing": paginate(request, tasks, sorts=form.SORTS, default="deadline"),
        "unit": form.unit,
        "today": vietnam_today(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "programmes/task_list.html#results", context)
    return render(request, "programmes/task_list.html", context)


@login_required
def programme_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.create_programme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The programme is created."))
            return redirect(programme)
    return render_form(request, form, title=_("New programme or plan"))


@login_required
@require_GET
def programme_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("unit", "implements"), pk=pk
    )
    focus = focus_within(request, programme.unit, int_param(request, "unit"))
    today = vietnam_today()
    visible = programme.tasks.visible_to(request.user)
    counted = visible.outermost_under(focus)
    status = request.GET.get("status", "")
    listed = visible.assigned_under(focus).select_related(
        "assignee_unit", "assignee_official", "parent"
    )
    tree = figures.task_tree(listed, today)
    rows = list(figures.flatten(tree))
    if status in TaskStatus.values:
        rows = [(node, depth) for node, depth in rows if node.status == status]
    children = []
    task_paths = set(visible.assigned_under(focus).values_list("assignee_unit__path", flat=True))
    for child in OrgUnit.objects.filter(parent=focus).order_by("name"):
        if not any(path.startswith(child.path) for path in task_paths):
            continue
        child_figures = figures.task_figures(visible.outermost_under(child), today)
        if child_figures.total or child_figures.cancelled:
            children.append((child, child_figures))
    context = {
        "programme": programme,
        "focus": focus,
        "figures": figures.task_figures(counted, today),
        "rows": rows,
        "status": status,
        "statuses": TaskStatus.choices,
        "delayed": visible.assigned_under(focus)
        .delayed_or_prolonged(today)
        .select_related("assignee_unit")
        .order_by("deadline"),
        "children": children,
        "today": today,
        "can_add": scope_of(request.user).covers(programme.unit, roles=MANAGER_ROLES),
        "indicators": programme.indicators.all(),
        "plans": programme.implementing_plans.visible_to(request.user),
        "directive": policy(REVIEW_DIRECTIVE.key, unit=focus, on=today),
    }
    return render(request, "programmes/programme_detail.html", context)


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "programme__unit", "assignee_unit", "assignee_official", "parent__assignee_unit"
        ),
        pk=pk,
    )


@login_required
def task_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    if not scope_of(request.user).covers(programme.unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    form = forms.TaskForm(request.POST or None, root=programme.unit)
    if request.method == "POST" and form.is_valid():
        try:
            task = actions.create_task(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The task is added."))
            return redirect(task)
    return render_form(
        request,
        form,
        title=_("New task in %(number)s") % {"number": programme.number},
        back=programme.get_absolute_url(),
    )


@login_required
def task_delegate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    parent = _task(request, pk)
    if not actions.can_report(request.user, parent):
        raise PermissionDenied
    form = forms.TaskForm(
        request.POST or None,
        root=parent.assignee_unit,
        initial={"deadline": parent.deadline, "title": parent.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = actions.create_task(
                actor=request.user, programme=parent.programme, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The sub-task is added."))
            return redirect(task)
    return render_form(
        request,
        form,
        title=_("Sub-task or delegation of: %(title)s") % {"title": parent.title},
        back=parent.get_absolute_url(),
        help=_(
            "Keep the same unit to split the task into parts, or choose a unit under it to "
            "delegate. The parent's progress is rolled up from its sub-tasks."
        ),
    )


@login_required
@require_GET
def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    today = vietnam_today()
    descendants = list(actions_descendants(task))
    tree = figures.task_tree([task, *descendants], today)
    root = next(node for node in tree if node.task.pk == task.pk)
    return render(
        request,
        "programmes/task_detail.html",
        {
            "task": task,
            "node": root,
            "rows": list(figures.flatten(root.children)),
            "updates": task.updates.select_related("author", "verified_by"),
            "can_verify": actions.can_assign(request.user, task),
            "status": task.status(today),
            "can_report": actions.can_report(request.user, task),
            "can_assign": actions.can_assign(request.user, task),
            "progress_form": forms.ProgressForm(
                initial={
                    "progress": task.progress,
                    "state": task.state,
                    "completed_on": task.completed_on or vietnam_today(),
                }
            ),
            "comment_form": forms.CommentForm(),
            "extend_form": forms.ExtendForm(initial={"deadline": task.deadline}),
            "cancel_form": forms.CancelForm(),
        },
    )


def actions_descendants(task: Task) -> Iterator[Task]:
    return figures.descendants(task)


@login_required
@require_GET
def update_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The evidence file of a progress report, to whoever sees the task."""
    update = get_object_or_404(
        TaskUpdate.objects.filter(task__in=Task.objects.visible_to(request.user)), pk=pk
    )
    return serve(update.evidence, filename=update.evidence_name)


def _task_post(
    request: AuthenticatedRequest,
    task: Task,
    form_class: type[django_forms.Form],
    call: Callable[[Task, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A form posted from the task's page: the action on its cleaned data, then back to the
    task with the outcome (or the form's errors) as a message."""
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(task, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
    else:
        messages.error(request, errors_as_text(form))
    return redirect(task)


@login_required
@require_POST
def task_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        _task(request, pk),
        forms.ProgressForm,
        lambda task, data: actions.report_progress(actor=request.user, task=task, **data),
        _("Progress recorded."),
    )


@login_required
@require_POST
def task_update_verify(request: AuthenticatedRequest, pk: int, update_pk: int) -> HttpResponse:
    task = _task(request, pk)
    update = get_object_or_404(task.updates.select_related("task"), pk=update_pk)
    return _task_post(
        request,
        task,
        forms.VerifyProgressForm,
        lambda task, data: actions.verify_progress(actor=request.user, update=update, **data),
        _("The progress report is verified."),
    )


@login_required
@require_POST
def task_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        _task(request, pk),
        forms.CommentForm,
        lambda task, data: actions.comment_task(actor=request.user, task=task, **data),
        _("Comment added."),
    )


@login_required
@require_POST
def task_extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        _task(request, pk),
        forms.ExtendForm,
        lambda task, data: actions.extend_deadline(actor=request.user, task=task, **data),
        _("The deadline is extended."),
    )


@login_required
@require_POST
def task_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        _task(request, pk),
        forms.CancelForm,
        lambda task, data: actions.cancel_task(actor=request.user, task=task, **data),
        _("The task is cancelled."),
    )
