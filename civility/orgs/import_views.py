"""Pages to import a unit's structure or its officials from a spreadsheet, and the templates."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from civility.core.http import AuthenticatedRequest
from civility.core.models import JobStatus
from civility.orgs import actions, former_units, imports
from civility.orgs.forms import ImportForm, OfficialsImportForm
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.scopes import MANAGER_ROLES, scope_of

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
TITLES = {
    "structure": _("Import the structure of a unit"),
    "officials": _("Import officials"),
}


def _managed_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    if not scope_of(request.user).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    return unit


def _import_page(request: AuthenticatedRequest, unit_id: int, kind: str) -> HttpResponse:
    root = _managed_unit(request, unit_id)
    form_class = OfficialsImportForm if kind == "officials" else ImportForm
    form = form_class(request.POST or None, request.FILES or None)
    result = job = None
    if request.method == "POST" and form.is_valid():
        job = actions.request_import(
            actor=request.user,
            kind=kind,
            root=root,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            create_missing_posts=form.cleaned_data.get("create_missing_posts", False),
        )
        if not job.is_finished():
            return redirect(job)
        if job.result:
            result = imports.ImportResult.from_dict(job.result)
        elif job.status == JobStatus.FAILED:  # the file could not be read
            form.add_error("file", job.error)
    status = 400 if (result and result.errors) or form.errors else 200
    context = {"root": root, "kind": kind, "title": TITLES[kind], "form": form, "result": result}
    context["job"] = job
    context["columns"] = imports.COLUMNS[kind]
    return render(request, "imports/import_page.html", context, status=status)


@login_required
def structure_import(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    return _import_page(request, unit_id, "structure")


@login_required
def officials_import(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    return _import_page(request, unit_id, "officials")


class FormerUnitsForm(forms.Form):
    dry_run = forms.BooleanField(
        label=_("Check only, do not import"),
        required=False,
        help_text=_("Reports what the import would do and every problem found, without saving."),
    )


@login_required
def former_units_import(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    """A province's wards and communes of before 1 July 2025 and where each went, from the
    data file shipped for it, imported by a background job."""
    province = _managed_unit(request, unit_id)
    if province.kind != UnitKind.PROVINCE:
        raise Http404
    try:
        data = former_units.read_data(former_units.data_file(province.code))
    except ValueError:
        data = None
    form = FormerUnitsForm(request.POST or None)
    if request.method == "POST" and data is not None and form.is_valid():
        job = actions.request_former_units_import(
            actor=request.user, province=province, dry_run=form.cleaned_data["dry_run"]
        )
        return redirect(job)
    context = {
        "root": province,
        "form": form,
        "data": data,
        "source": former_units.source_label(data) if data else "",
        "former_count": OrgUnit.objects.subtree_of(province).former().count(),
    }
    return render(request, "imports/former_units.html", context)


@login_required
def template_download(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    if kind not in imports.COLUMNS or extension not in CONTENT_TYPES:
        raise Http404
    build = imports.template_xlsx if extension == "xlsx" else imports.template_csv
    content = build(kind)
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="civility-{kind}.{extension}"'
    return response
