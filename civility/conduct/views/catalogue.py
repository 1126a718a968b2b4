"""Pages for the violation catalogue (types, seed, import) and the conduct figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from civility.conduct import actions
from civility.conduct.figures import conduct_figures
from civility.conduct.forms import (
    CatalogueImportForm,
    FiguresForm,
    NewTypeForm,
    TypeForm,
)
from civility.conduct.models import (
    CATALOGUE_ROLES,
    READER_ROLES,
    ViolationGroup,
    ViolationType,
)
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.i18n import format_number
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit, selected_unit
from civility.orgs.imports import ImportFileError, read_table
from civility.orgs.models import OrgUnit
from civility.orgs.provinces import shipped_for
from civility.orgs.scopes import scope_of

# --- Catalogue ---------------------------------------------------------------------------


def _catalogue_unit(request: AuthenticatedRequest) -> OrgUnit | None:
    """The province (or unit) whose catalogue applies where the user works."""
    unit = selected_unit(request)
    if unit is None:
        return None
    group = (
        ViolationGroup.objects.for_unit(unit)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    return group.unit if group is not None else None


@login_required
@require_GET
def catalogue(request: AuthenticatedRequest) -> HttpResponse:
    owner = _catalogue_unit(request)
    show_retired = request.GET.get("retired") == "1"
    groups = []
    if owner is not None:
        for group in ViolationGroup.objects.filter(unit=owner).prefetch_related("types"):
            types = [t for t in group.types.all() if show_retired or t.is_current()]
            current = [t for t in group.types.all() if t.is_current()]
            groups.append(
                {
                    "group": group,
                    "types": types,
                    "empty": sum(1 for t in current if t.is_empty_slot()),
                    "filled": sum(1 for t in current if not t.is_empty_slot()),
                }
            )
    unit = selected_unit(request)
    seed_unit = None
    if owner is None and unit is not None:
        province = unit.province
        if (
            province is not None
            and shipped_for(province, actions.SEEDS)
            and actions.can_manage_catalogue(request.user, province)
        ):
            seed_unit = province
    return render(
        request,
        "conduct/catalogue.html",
        {
            "owner": owner,
            "groups": groups,
            "empty_total": sum(g["empty"] for g in groups),
            "show_retired": show_retired,
            "can_manage": owner is not None and actions.can_manage_catalogue(request.user, owner),
            "seed_unit": seed_unit,
        },
    )


@login_required
@require_POST
def catalogue_seed(request: AuthenticatedRequest) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.filter(scope_of(request.user).q("path", roles=CATALOGUE_ROLES)),
        pk=request.POST.get("unit"),
    )
    try:
        created = actions.load_catalogue_seed(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s catalogue item loaded.", "%(count)s catalogue items loaded.", created
            )
            % {"count": format_number(created)},
        )
    return redirect("conduct:catalogue")


def _type(request: AuthenticatedRequest, pk: int) -> ViolationType:
    violation_type = get_object_or_404(
        ViolationType.objects.visible_to(request.user).select_related("group__unit"), pk=pk
    )
    if not actions.can_manage_catalogue(request.user, violation_type.group.unit):
        raise PermissionDenied
    return violation_type


@login_required
def type_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    violation_type = _type(request, pk)
    initial = {name: getattr(violation_type, name) for name in TypeForm.base_fields}
    if violation_type.is_empty_slot():
        initial.update(title="", title_en="", text_status="official")
    form = TypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.revise_violation_type(
                actor=request.user, violation_type=violation_type, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if new.pk != violation_type.pk:
                messages.success(
                    request,
                    _(
                        "Version %(version)d of %(key)s saved; records keep the wording they "
                        "were filed under."
                    )
                    % {"version": new.version, "key": new.key},
                )
            else:
                messages.success(request, _("%(key)s saved.") % {"key": new.key})
            return redirect("conduct:catalogue")
    return render(
        request, "conduct/type_form.html", {"form": form, "violation_type": violation_type}
    )


@login_required
def type_create(request: AuthenticatedRequest) -> HttpResponse:
    owner = _catalogue_unit(request)
    if owner is None or not actions.can_manage_catalogue(request.user, owner):
        raise PermissionDenied
    form = NewTypeForm(
        request.POST or None,
        initial={"text_status": "official"},
        groups=ViolationGroup.objects.filter(unit=owner),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group, key = data.pop("group"), data.pop("key")
        try:
            actions.create_violation_type(actor=request.user, group=group, key=key, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(key)s added.") % {"key": key})
            return redirect("conduct:catalogue")
    return render(request, "conduct/type_form.html", {"form": form, "violation_type": None})


@login_required
@require_POST
def type_retire(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    violation_type = actions.retire_violation_type(
        actor=request.user, violation_type=_type(request, pk)
    )
    messages.success(request, _("%(key)s retired.") % {"key": violation_type.key})
    return redirect("conduct:catalogue")


@login_required
def catalogue_import(request: AuthenticatedRequest) -> HttpResponse:
    owner = _catalogue_unit(request)
    if owner is None or not actions.can_manage_catalogue(request.user, owner):
        raise PermissionDenied
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            result = actions.import_catalogue(
                actor=request.user, unit=owner, table=table, dry_run=form.cleaned_data["dry_run"]
            )
            if result.written:
                messages.success(
                    request,
                    _(
                        "Catalogue imported: %(created)d added, %(updated)d revised, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("conduct:catalogue")
    return render(
        request, "conduct/catalogue_import.html", {"form": form, "result": result, "owner": owner}
    )


# --- Figures -----------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*READER_ROLES)
def figures(request: AuthenticatedRequest) -> HttpResponse:
    unit = focus_unit(request, READER_ROLES)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    initial = {
        "start": today.replace(month=1, day=1),
        "end": today,
        "threshold": actions.repeat_threshold(),
    }
    form = FiguresForm(request.GET or initial)
    result = None
    if form.is_valid():
        result = conduct_figures(
            unit=unit,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            threshold=form.cleaned_data["threshold"],
        )
    return render(request, "conduct/figures.html", {"form": form, "figures": result, "unit": unit})
