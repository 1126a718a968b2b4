"""Pages for indicators: targets, their allocation, actuals and their import."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import int_param
from civility.orgs.context_processors import focus_within, selected_unit
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes import actions, figures, forms, imports, templates_xlsx
from civility.programmes.models import (
    COORDINATOR_ROLES,
    Actual,
    Indicator,
    Target,
    vietnam_today,
)
from civility.programmes.views.common import (
    XLSX,
    managed_focus,
    manages_focus,
    render_form,
)


@login_required
@require_GET
def indicator_list(request: AuthenticatedRequest) -> HttpResponse:
    indicators = Indicator.objects.visible_to(request.user).select_related(
        "unit", "numerator", "denominator"
    )
    can_create = scope_of(request.user).holds(*COORDINATOR_ROLES)
    return render(
        request,
        "programmes/indicator_list.html",
        {
            "indicators": indicators,
            "can_create": can_create,
            # The import (actuals_import) works on the switcher's unit, for its managers.
            "can_import": manages_focus(request, selected_unit(request)),
        },
    )


@login_required
def indicator_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.IndicatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = actions.create_indicator(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The indicator is created."))
            return redirect(indicator)
    return render_form(request, form, title=_("New indicator"))


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.visible_to(request.user).select_related(
            "unit", "numerator", "denominator"
        ),
        pk=pk,
    )


@login_required
@require_GET
def indicator_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = focus_within(request, indicator.unit, int_param(request, "unit"))
    year = int_param(request, "year", vietnam_today().year)
    through = int_param(request, "through")
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
def target_set(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = focus_within(request, indicator.unit, int_param(request, "unit"))
    if not actions.can_set_target(request.user, indicator, unit):
        raise PermissionDenied
    form = forms.TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_target(
                actor=request.user, indicator=indicator, unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The target is saved."))
            return redirect(f"{indicator.get_absolute_url()}?unit={unit.pk}")
    return render_form(
        request,
        form,
        title=_("Target of %(unit)s: %(indicator)s")
        % {"unit": unit.display_name, "indicator": indicator.display_name},
        back=indicator.get_absolute_url(),
    )


@login_required
def target_allocate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = focus_within(request, indicator.unit, int_param(request, "unit"))
    if not scope_of(request.user).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    year = int_param(request, "year", vietnam_today().year)
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
            add_errors(form, error)
        else:
            messages.success(request, check.message())
            return redirect(f"{indicator.get_absolute_url()}?unit={unit.pk}&year={year}")
    return render_form(
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
def actual_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
            add_errors(form, error)
        else:
            messages.success(request, _("The actual is recorded."))
            return redirect(f"{indicator.get_absolute_url()}?unit={form.cleaned_data['unit'].pk}")
    return render_form(
        request,
        form,
        title=_("Report an actual: %(indicator)s") % {"indicator": indicator.display_name},
        back=indicator.get_absolute_url(),
        help=imports.ACTUAL_COLUMNS[3].help,
    )


@login_required
def actuals_import(request: AuthenticatedRequest) -> HttpResponse:
    root = managed_focus(request)
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
def import_template(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    if kind not in templates_xlsx.KINDS:
        raise Http404
    response = HttpResponse(templates_xlsx.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="civility-{kind}.xlsx"'
    return response
