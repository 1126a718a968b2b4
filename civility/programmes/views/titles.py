"""Pages for cultural titles: rule sets, cycles, counts and recognitions."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import int_param
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes import actions, figures, forms, imports
from civility.programmes.models import (
    COORDINATOR_ROLES,
    CulturalTitle,
    TitleCycle,
    TitleRule,
    vietnam_today,
)
from civility.programmes.views.common import (
    focus_unit_param,
    managed_focus,
    render_form,
)


def _title_param(request: HttpRequest) -> str:
    title = request.GET.get("title") or CulturalTitle.FAMILY
    if title not in CulturalTitle.values:
        raise Http404
    return title


@login_required
@require_GET
def title_overview(request: AuthenticatedRequest) -> HttpResponse:
    unit = focus_unit_param(request)
    if unit is None:
        raise Http404
    title = _title_param(request)
    year = int_param(request, "year", vietnam_today().year)
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
def title_rules_load(request: AuthenticatedRequest) -> HttpResponse:
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
def title_rule_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
                add_errors(form, error)
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
def criterion_delete(request: AuthenticatedRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    criterion = get_object_or_404(rule.criteria, pk=criterion_pk)
    actions.remove_criterion(actor=request.user, criterion=criterion)
    messages.success(request, _("Criterion removed."))
    return redirect(rule)


@login_required
@require_POST
def cycle_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    year = request.POST.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        messages.error(request, _("Give a year between 2000 and 2100."))
        return redirect(rule)
    cycle = actions.open_cycle(actor=request.user, rule=rule, year=int(year))
    return redirect(cycle)


@login_required
def cycle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
                add_errors(form, error)
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
def title_count(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.TitleCountForm(
        request.POST or None,
        user=request.user,
        initial={"title": request.GET.get("title"), "unit": request.GET.get("unit")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_title_count(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The counts are saved."))
            data = form.cleaned_data
            return redirect(
                f"{_url('programmes:title_overview')}?title={data['title']}&year={data['year']}"
            )
    return render_form(
        request,
        form,
        title=_("Households or units eligible and assessed"),
        help=_(
            "The number recognised is counted from the recognition lists; enter here how many "
            "could be recognised (eligible) and how many were assessed."
        ),
    )


def _url(name: str) -> str:
    return reverse(name)


@login_required
def recognitions_import(request: AuthenticatedRequest) -> HttpResponse:
    root = managed_focus(request)
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
            add_errors(form, error)
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
