"""Pages for programmes and tasks, indicators and targets, and cultural titles.

Every fetch is scoped (`visible_to(user)`); outside the scope is a 404, inside it without
the right role a 403 (raised by the actions).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core.files import serve
from civility.core.listing import paginate
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit
from civility.orgs.policies import policy
from civility.orgs.profile import REVIEW_DIRECTIVE
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes import actions, figures, forms, imports, templates_xlsx
from civility.programmes.models import (
    COORDINATOR_ROLES,
    Actual,
    CulturalTitle,
    Indicator,
    Programme,
    Target,
    Task,
    TaskStatus,
    TaskUpdate,
    TitleCycle,
    TitleRule,
    vietnam_today,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _int_param(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return default
    if not value.isdigit():
        raise Http404
    return int(value)


def _focus_unit(request: HttpRequest, fallback: OrgUnit | None = None) -> OrgUnit | None:
    """The unit in ?unit=, else the switcher's unit, else `fallback`."""
    unit_id = _int_param(request, "unit")
    if unit_id is not None:
        return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    return selected_unit(request) or fallback


def _render_form(request, form, *, title, back=None, submit=None, status=200, **extra):
    context = {"form": form, "title": title, "back": back, "submit": submit or _("Save"), **extra}
    return render(request, "programmes/form.html", context, status=status)


# --- Programmes and tasks ---------------------------------------------------------------


def _programme_focus(request: HttpRequest, programme: Programme) -> OrgUnit:
    """Whose figures to show: the ?unit= asked for, else the programme's unit when the user
    covers it, else the user's unit inside the programme's subtree."""
    unit_id = _int_param(request, "unit")
    if unit_id is not None:
        return get_object_or_404(
            OrgUnit.objects.visible_to(request.user).subtree_of(programme.unit), pk=unit_id
        )
    scope = scope_of(request.user)
    if scope.covers(programme.unit):
        return programme.unit
    selected = selected_unit(request)
    if selected is not None and selected.path.startswith(programme.unit.path):
        return selected
    inside = [path for path in scope.paths if path.startswith(programme.unit.path)]
    if not inside:
        raise Http404
    return OrgUnit.objects.get(path=min(inside, key=len))


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    today = vietnam_today()
    rows = []
    for programme in Programme.objects.visible_to(request.user).select_related("unit"):
        tasks = programme.tasks.visible_to(request.user)
        rows.append((programme, figures.task_figures(tasks.filter(parent__isnull=True), today)))
    can_create = scope_of(request.user).is_global or bool(
        scope_of(request.user).paths_with_role(*MANAGER_ROLES)
    )
    return render(
        request, "programmes/programme_list.html", {"rows": rows, "can_create": can_create}
    )


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
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
def programme_create(request: HttpRequest) -> HttpResponse:
    form = forms.ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.create_programme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The programme is created."))
            return redirect(programme)
    return _render_form(request, form, title=_("New programme or plan"))


@login_required
@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("unit", "implements"), pk=pk
    )
    focus = _programme_focus(request, programme)
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
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    if not scope_of(request.user).covers(programme.unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    form = forms.TaskForm(request.POST or None, root=programme.unit)
    if request.method == "POST" and form.is_valid():
        try:
            task = actions.create_task(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The task is added."))
            return redirect(task)
    return _render_form(
        request,
        form,
        title=_("New task in %(number)s") % {"number": programme.number},
        back=programme.get_absolute_url(),
    )


@login_required
def task_delegate(request: HttpRequest, pk: int) -> HttpResponse:
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
            _add_errors(form, error)
        else:
            messages.success(request, _("The sub-task is added."))
            return redirect(task)
    return _render_form(
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
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
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


def actions_descendants(task: Task):
    return figures._descendants(task)


@login_required
@require_GET
def update_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The evidence file of a progress report, to whoever sees the task."""
    update = get_object_or_404(
        TaskUpdate.objects.filter(task__in=Task.objects.visible_to(request.user)), pk=pk
    )
    return serve(update.evidence, filename=update.evidence_name)


def _task_post(request, pk, form_class, call, success):
    task = _task(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(task, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect(task)


@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        pk,
        forms.ProgressForm,
        lambda task, data: actions.report_progress(actor=request.user, task=task, **data),
        _("Progress recorded."),
    )


@login_required
@require_POST
def task_update_verify(request: HttpRequest, pk: int, update_pk: int) -> HttpResponse:
    task = _task(request, pk)
    update = get_object_or_404(task.updates.select_related("task"), pk=update_pk)
    form = forms.VerifyProgressForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_progress(
                actor=request.user,
                update=update,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The progress report is verified."))
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect(task)


@login_required
@require_POST
def task_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        pk,
        forms.CommentForm,
        lambda task, data: actions.comment_task(actor=request.user, task=task, **data),
        _("Comment added."),
    )


@login_required
@require_POST
def task_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        pk,
        forms.ExtendForm,
        lambda task, data: actions.extend_deadline(actor=request.user, task=task, **data),
        _("The deadline is extended."),
    )


@login_required
@require_POST
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_post(
        request,
        pk,
        forms.CancelForm,
        lambda task, data: actions.cancel_task(actor=request.user, task=task, **data),
        _("The task is cancelled."),
    )


# --- Indicators -------------------------------------------------------------------------


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.visible_to(request.user).select_related(
        "unit", "numerator", "denominator"
    )
    can_create = scope_of(request.user).is_global or bool(
        scope_of(request.user).paths_with_role(*COORDINATOR_ROLES)
    )
    return render(
        request,
        "programmes/indicator_list.html",
        {
            "indicators": indicators,
            "can_create": can_create,
            # The import (actuals_import) works on the switcher's unit, for its managers.
            "can_import": _manages_focus(request, selected_unit(request)),
        },
    )


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = forms.IndicatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = actions.create_indicator(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The indicator is created."))
            return redirect(indicator)
    return _render_form(request, form, title=_("New indicator"))


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.visible_to(request.user).select_related(
            "unit", "numerator", "denominator"
        ),
        pk=pk,
    )


def _indicator_focus(request: HttpRequest, indicator: Indicator) -> OrgUnit:
    unit_id = _int_param(request, "unit")
    if unit_id is not None:
        return get_object_or_404(
            OrgUnit.objects.visible_to(request.user).subtree_of(indicator.unit), pk=unit_id
        )
    scope = scope_of(request.user)
    if scope.covers(indicator.unit):
        return indicator.unit
    inside = [path for path in scope.paths if path.startswith(indicator.unit.path)]
    if not inside:
        raise Http404
    return OrgUnit.objects.get(path=min(inside, key=len))


@login_required
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = _indicator_focus(request, indicator)
    year = _int_param(request, "year", vietnam_today().year)
    through = _int_param(request, "through")
    if through is None and indicator.periods():
        through = figures.latest_period(indicator, unit, year)
    current = figures.performance(indicator, unit, year, through)
    source = [indicator.numerator, indicator.denominator] if indicator.is_ratio() else [indicator]
    data_paths = set(
        Actual.objects.filter(indicator__in=[*source, indicator], unit__path__startswith=unit.path)
        .filter(year__in=[year, year - 1])
        .values_list("unit__path", flat=True)
    ) | set(
        Target.objects.filter(indicator=indicator, year=year, unit__parent=unit).values_list(
            "unit__path", flat=True
        )
    )
    children = [
        child
        for child in OrgUnit.objects.visible_to(request.user).filter(parent=unit).order_by("name")
        if any(path.startswith(child.path) for path in data_paths)
    ]
    by_child = [
        row
        for row in figures.performance_by_child(indicator, unit, year, through, children)
        if row.actual is not None or row.target is not None
    ]
    years = list(range(year - 4, year + 1))
    own_target = Target.objects.filter(indicator=indicator, unit=unit, year=year, period=0).first()
    return render(
        request,
        "programmes/indicator_detail.html",
        {
            "indicator": indicator,
            "unit": unit,
            "year": year,
            "through": through,
            "current": current,
            "by_child": by_child,
            "over_time": figures.performance_over_time(indicator, unit, years),
            "allocation": figures.allocation_of(own_target) if own_target else None,
            "can_allocate": scope_of(request.user).covers(unit, roles=MANAGER_ROLES),
            "can_set_target": actions.can_set_target(request.user, indicator, unit),
            "can_report": scope_of(request.user).covers(unit, roles=MANAGER_ROLES)
            and not indicator.is_ratio(),
            "actuals": Actual.objects.visible_to(request.user)
            .filter(indicator=indicator, unit__path__startswith=unit.path, year=year)
            .select_related("unit")
            .order_by("period", "unit__path")[:200],
        },
    )


@login_required
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = _indicator_focus(request, indicator)
    if not actions.can_set_target(request.user, indicator, unit):
        raise PermissionDenied
    form = forms.TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_target(
                actor=request.user, indicator=indicator, unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The target is saved."))
            return redirect(f"{indicator.get_absolute_url()}?unit={unit.pk}")
    return _render_form(
        request,
        form,
        title=_("Target of %(unit)s: %(indicator)s")
        % {"unit": unit.display_name, "indicator": indicator.display_name},
        back=indicator.get_absolute_url(),
    )


@login_required
def target_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = _indicator_focus(request, indicator)
    if not scope_of(request.user).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    year = _int_param(request, "year", vietnam_today().year)
    children = unit.children.valid_on(datetime.date(year, 1, 1)).order_by("name")
    existing = dict(
        Target.objects.filter(
            indicator=indicator, year=year, period=0, unit__parent=unit
        ).values_list("unit_id", "value")
    )
    parent_target = figures.target_value(indicator, unit, year)
    form = forms.AllocationForm(request.POST or None, children=children, initial_values=existing)
    if request.method == "POST" and form.is_valid():
        try:
            check = actions.allocate_targets(
                actor=request.user,
                indicator=indicator,
                parent=unit,
                year=year,
                values=form.values(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, check.message())
            return redirect(f"{indicator.get_absolute_url()}?unit={unit.pk}&year={year}")
    return _render_form(
        request,
        form,
        title=_("Allocate the %(year)s target of %(unit)s")
        % {"year": year, "unit": unit.display_name},
        back=indicator.get_absolute_url(),
        help=_("Target of %(unit)s: %(value)s %(measure)s (%(how)s).")
        % {
            "unit": unit.display_name,
            "value": figures.quantize(parent_target) if parent_target is not None else "—",
            "measure": indicator.measure,
            "how": indicator.get_aggregation_display().lower(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def actual_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    form = forms.ActualForm(
        request.POST or None,
        user=request.user,
        indicator=indicator,
        initial={"year": vietnam_today().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_actual(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The actual is recorded."))
            return redirect(f"{indicator.get_absolute_url()}?unit={form.cleaned_data['unit'].pk}")
    return _render_form(
        request,
        form,
        title=_("Report an actual: %(indicator)s") % {"indicator": indicator.display_name},
        back=indicator.get_absolute_url(),
        help=imports.ACTUAL_COLUMNS[3].help,
    )


def _manages_focus(request: HttpRequest, unit: OrgUnit | None) -> bool:
    return unit is not None and scope_of(request.user).covers(unit, roles=MANAGER_ROLES)


def _managed_focus(request: HttpRequest) -> OrgUnit:
    unit = _focus_unit(request)
    if unit is None:
        raise Http404
    if not _manages_focus(request, unit):
        raise PermissionDenied
    return unit


@login_required
def actuals_import(request: HttpRequest) -> HttpResponse:
    root = _managed_focus(request)
    form = forms.SpreadsheetForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = actions.import_actuals(
            actor=request.user,
            root=root,
            table=form.cleaned_data["table"],
            dry_run=form.cleaned_data["dry_run"],
        )
    status = 400 if (result and result.errors) or form.errors else 200
    return render(
        request,
        "programmes/import.html",
        {
            "root": root,
            "form": form,
            "result": result,
            "title": _("Import actuals"),
            "columns": imports.ACTUAL_COLUMNS,
            "template_kind": "actuals",
        },
        status=status,
    )


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in templates_xlsx.KINDS:
        raise Http404
    response = HttpResponse(templates_xlsx.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="civility-{kind}.xlsx"'
    return response


# --- Cultural titles --------------------------------------------------------------------


def _title_param(request: HttpRequest) -> str:
    title = request.GET.get("title") or CulturalTitle.FAMILY
    if title not in CulturalTitle.values:
        raise Http404
    return title


@login_required
@require_GET
def title_overview(request: HttpRequest) -> HttpResponse:
    unit = _focus_unit(request)
    if unit is None:
        raise Http404
    title = _title_param(request)
    year = _int_param(request, "year", vietnam_today().year)
    rule = actions.rule_for(unit, title, year)
    children = (
        OrgUnit.objects.visible_to(request.user)
        .filter(parent=unit)
        .valid_on(datetime.date(year, 12, 31))
        .order_by("name")
    )
    rows = figures.title_figures_by_unit(title, year, unit, children, rule=rule)
    rows = [row for row in rows if row.eligible or row.recognised or row.target_percent]
    cycle = TitleCycle.objects.filter(rule=rule, year=year).first() if rule else None
    bonus_day = cycle.decided_on if cycle and cycle.decided_on else vietnam_today()
    bonus = figures.title_bonus(title, unit=rule.unit if rule else unit, on=bonus_day)
    province_rules = TitleRule.objects.visible_to(request.user).select_related("unit")
    return render(
        request,
        "programmes/title_overview.html",
        {
            "unit": unit,
            "title": title,
            "title_label": CulturalTitle(title).label,
            "titles": CulturalTitle.choices,
            "year": year,
            "rule": rule,
            "cycle": cycle,
            "total": figures.title_figures(title, year, unit, rule=rule),
            "previous": figures.title_figures(title, year - 1, unit, rule=rule),
            "rows": rows,
            "rules": province_rules,
            "bonus": bonus,
            "can_load": unit.parent_id is None
            and not province_rules.filter(unit=unit).exists()
            and scope_of(request.user).covers(unit, roles=COORDINATOR_ROLES),
            "can_manage": scope_of(request.user).covers(unit, roles=MANAGER_ROLES),
        },
    )


@login_required
@require_POST
def title_rules_load(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=request.POST.get("unit"))
    actions.load_title_rules(actor=request.user, unit=unit)
    messages.success(
        request, _("The four titles of Decree 86/2023 are set up; review the criteria.")
    )
    return redirect("programmes:title_overview")


def _rule(request: HttpRequest, pk: int) -> TitleRule:
    return get_object_or_404(
        TitleRule.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
def title_rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    can_manage = scope_of(request.user).covers(rule.unit, roles=COORDINATOR_ROLES)
    form = forms.RuleForm(
        request.POST or None, instance=TitleRule.objects.get(pk=rule.pk), user=request.user
    )
    criterion_form = forms.CriterionForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "text" in request.POST:
            criterion_form = forms.CriterionForm(request.POST)
            if criterion_form.is_valid():
                actions.add_criterion(actor=request.user, rule=rule, **criterion_form.cleaned_data)
                messages.success(request, _("Criterion added."))
                return redirect(rule)
            form = forms.RuleForm(instance=rule, user=request.user)
        elif form.is_valid():
            try:
                actions.update_title_rule(
                    actor=request.user,
                    rule=rule,
                    **{name: form.cleaned_data[name] for name in forms.RuleForm.Meta.fields},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The rule set is saved."))
                return redirect(rule)
    return render(
        request,
        "programmes/title_rule_detail.html",
        {
            "rule": rule,
            "criteria": rule.criteria.all(),
            "cycles": rule.cycles.all(),
            "form": form,
            "criterion_form": criterion_form,
            "can_manage": can_manage,
            "this_year": vietnam_today().year,
            "bonus": figures.title_bonus(rule.title, unit=rule.unit, on=vietnam_today()),
        },
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    criterion = get_object_or_404(rule.criteria, pk=criterion_pk)
    actions.remove_criterion(actor=request.user, criterion=criterion)
    messages.success(request, _("Criterion removed."))
    return redirect(rule)


@login_required
@require_POST
def cycle_open(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    year = request.POST.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        messages.error(request, _("Give a year between 2000 and 2100."))
        return redirect(rule)
    cycle = actions.open_cycle(actor=request.user, rule=rule, year=int(year))
    return redirect(cycle)


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(
        TitleCycle.objects.visible_to(request.user).select_related("rule__unit"), pk=pk
    )
    can_manage = scope_of(request.user).covers(cycle.rule.unit, roles=COORDINATOR_ROLES)
    form = forms.CycleStepForm(request.POST or None, initial={"on": vietnam_today()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.record_cycle_step(actor=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Step recorded."))
                return redirect(cycle)
    return render(
        request,
        "programmes/cycle_detail.html",
        {
            "cycle": cycle,
            "rule": cycle.rule,
            "form": form,
            "can_manage": can_manage,
            "next_steps": actions.cycle_due_dates(cycle),
            "today": vietnam_today(),
            "reminders": cycle.reminders.all()[:20],
            "bonus": figures.title_bonus(
                cycle.rule.title, unit=cycle.rule.unit, on=cycle.decided_on or vietnam_today()
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def title_count(request: HttpRequest) -> HttpResponse:
    form = forms.TitleCountForm(
        request.POST or None,
        user=request.user,
        initial={"title": request.GET.get("title"), "unit": request.GET.get("unit")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_title_count(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The counts are saved."))
            data = form.cleaned_data
            return redirect(
                f"{_url('programmes:title_overview')}?title={data['title']}&year={data['year']}"
            )
    return _render_form(
        request,
        form,
        title=_("Households or units eligible and assessed"),
        help=_(
            "The number recognised is counted from the recognition lists; enter here how many "
            "could be recognised (eligible) and how many were assessed."
        ),
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@login_required
def recognitions_import(request: HttpRequest) -> HttpResponse:
    root = _managed_focus(request)
    form = forms.RecognitionImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": request.GET.get("title"), "year": vietnam_today().year},
    )
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_recognitions(
                actor=request.user,
                root=root,
                title=form.cleaned_data["title"],
                year=form.cleaned_data["year"],
                table=form.cleaned_data["table"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    status = 400 if (result and result.errors) or form.errors else 200
    return render(
        request,
        "programmes/import.html",
        {
            "root": root,
            "form": form,
            "result": result,
            "title": _("Import a recognition list"),
            "columns": imports.RECOGNITION_COLUMNS,
            "template_kind": "recognitions",
        },
        status=status,
    )
