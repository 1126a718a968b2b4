"""Pages for checklist templates (seeds, versions, the .xlsx round trip, criterion edits)
and inspection plans.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, in
scope but not allowed is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.i18n import format_number
from civility.inspections import actions, figures, spreadsheets
from civility.inspections.forms import (
    CriterionForm,
    PlanForm,
    PlanInspectionsForm,
    TemplateImportForm,
)
from civility.inspections.models import (
    MANAGER_ROLES,
    ChecklistTemplate,
    Criterion,
    InspectionPlan,
    InspectionStatus,
    TemplateVersion,
)
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.provinces import provinces_shipped_for, shipped_for
from civility.orgs.scopes import scope_of

# --- Templates -----------------------------------------------------------------------------


@login_required
@require_GET
def template_list(request: AuthenticatedRequest) -> HttpResponse:
    templates = (
        ChecklistTemplate.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(version_count=Count("versions"))
    )
    seed_units = [
        unit
        for unit, slugs in provinces_shipped_for(request.user, MANAGER_ROLES, actions.SEEDS)
        if ChecklistTemplate.objects.filter(slug__in=slugs).count() != len(slugs)
    ]
    return render(
        request,
        "inspections/template_list.html",
        {"templates": templates, "seed_units": seed_units},
    )


@login_required
@require_POST
def template_seed(request: AuthenticatedRequest) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).filter(kind=UnitKind.PROVINCE),
        pk=request.POST.get("unit"),
    )
    slugs = shipped_for(unit, actions.SEEDS)
    if not slugs:
        messages.error(
            request,
            _("Civility ships no checklist for %(province)s.") % {"province": unit.display_name},
        )
        return redirect("inspections:template_list")
    for slug in slugs:
        actions.load_template_seed(actor=request.user, unit=unit, slug=slug)
    messages.success(request, _("The three shipped checklists were loaded."))
    return redirect("inspections:template_list")


def _template(request: AuthenticatedRequest, pk: int) -> ChecklistTemplate:
    return get_object_or_404(
        ChecklistTemplate.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def template_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    versions = list(template.versions.annotate(used=Count("inspections")).order_by("-number"))
    number = request.GET.get("version")
    version = next(
        (v for v in versions if str(v.number) == number), versions[0] if versions else None
    )
    sections = (
        version.sections.prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.select_related("provision__chapter__version__code"),
            )
        )
        if version
        else []
    )
    return render(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "version": version,
            "sections": sections,
            "is_latest": bool(versions) and version == versions[0],
            "can_manage": actions.can_manage_template(request.user, template),
        },
    )


@login_required
@require_GET
def template_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    current = template.current_version()
    version = get_object_or_404(
        TemplateVersion,
        template=template,
        number=request.GET.get("version") or (current.number if current else None),
    )
    response = HttpResponse(
        spreadsheets.export_version(version, by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="checklist-{template.slug}-v{version.number}.xlsx"'
    )
    return response


@login_required
def template_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    if not actions.can_manage_template(request.user, template):
        raise PermissionDenied
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sections = spreadsheets.parse_workbook(form.cleaned_data["file"].read())
            version = actions.create_template_version(
                actor=request.user,
                template=template,
                sections=sections,
                note=form.cleaned_data["note"] or _("Imported from .xlsx"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)d created from the file.") % {"number": version.number}
            )
            return redirect(template)
    return render(request, "inspections/template_import.html", {"template": template, "form": form})


@login_required
def criterion_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(
            section__version__template__in=ChecklistTemplate.objects.visible_to(request.user)
        ).select_related("section__version__template__unit"),
        pk=pk,
    )
    template = criterion.section.version.template
    if not actions.can_manage_template(request.user, template):
        raise PermissionDenied
    form = CriterionForm(request.POST or None, instance=Criterion.objects.get(pk=criterion.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in CriterionForm.Meta.fields}
        try:
            updated = actions.update_criterion(actor=request.user, criterion=criterion, **changes)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if updated.section.version_id != criterion.section.version_id:
                messages.success(
                    request,
                    _("The checklist is in use, so version %(number)d was created.")
                    % {"number": updated.section.version.number},
                )
            else:
                messages.success(request, _("Criterion saved."))
            return redirect(template)
    return render(
        request,
        "inspections/criterion_form.html",
        {"criterion": criterion, "template": template, "form": form},
    )


# --- Plans ---------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    plans = (
        InspectionPlan.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(
            total=Count("inspections", filter=~Q(inspections__status=InspectionStatus.CANCELLED)),
            done=Count("inspections", filter=Q(inspections__status=InspectionStatus.SUBMITTED)),
        )
    )
    can_create = scope_of(request.user).is_global or bool(
        scope_of(request.user).paths_with_role(*MANAGER_ROLES)
    )
    return render(request, "inspections/plan_list.html", {"plans": plans, "can_create": can_create})


@login_required
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(plan)
    return render(request, "inspections/plan_form.html", {"form": form})


def _plan(request: AuthenticatedRequest, pk: int) -> InspectionPlan:
    return get_object_or_404(
        InspectionPlan.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    inspections = plan.inspections.visible_to(request.user)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "inspections": inspections.with_related().order_by("planned_on", "unit__name"),
            "progress": figures.progress(inspections),
            "by_unit": figures.average_by_unit(inspections),
            "by_criterion": figures.by_criterion(inspections),
            "most_failed": figures.most_failed(inspections),
            "can_manage": actions.can_manage_plan(request.user, plan),
        },
    )


@login_required
def plan_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not actions.can_manage_plan(request.user, plan):
        raise PermissionDenied
    form = PlanInspectionsForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = actions.add_plan_inspections(
                actor=request.user,
                plan=plan,
                template=data["template"],
                planned_on=data["planned_on"],
                units=list(data["units"]),
                places=list(data["places"]),
                kind=data["kind"],
                inspecting_unit=data["inspecting_unit"],
                team=list(data["team"]),
                team_note=data["team_note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s inspection planned.", "%(count)s inspections planned.", len(created)
                )
                % {"count": format_number(len(created))},
            )
            return redirect(plan)
    return render(request, "inspections/plan_add.html", {"plan": plan, "form": form})
