"""Pages that bring a city's past good models in: the spreadsheet import (a core job) with its
template, and the count-only entries of years that kept only totals."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from civility.awards import model_import
from civility.awards.forms import UnitChoiceField
from civility.awards.models import ModelCategory, ModelTally
from civility.core.models import JobStatus
from civility.orgs import imports
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _managed_units(user):
    """Units the user manages, former ones too: history is recorded against the unit of the
    time."""
    return OrgUnit.objects.filter(scope_of(user).q("path", roles=MANAGER_ROLES)).order_by("path")


class ModelImportForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Into the unit"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, do not import"),
        required=False,
        help_text=gettext_lazy(
            "Reports what the import would do and every problem found, without saving."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.narrow(role=list(MANAGER_ROLES), all=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": imports.MAX_FILE_BYTES // 1024 // 1024}
            )
        if not upload.name.lower().endswith(imports.ALLOWED_EXTENSIONS):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


class TallyForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ModelCategory.choices)
    count = forms.IntegerField(label=gettext_lazy("Number of models"), min_value=0)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("The report the total comes from."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # The action refuses a unit that did not exist in the year (on the year's field).
        self.fields["unit"].widget.narrow(role=list(MANAGER_ROLES), dated_by="year")


@login_required
@require_http_methods(["GET", "POST"])
def import_models(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = ModelImportForm(request.POST or None, request.FILES or None, units=units)
    job = result = None
    if request.method == "POST" and form.is_valid():
        job = model_import.request_good_models_import(
            actor=request.user,
            root=form.cleaned_data["unit"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        if not job.is_finished():
            return redirect(job)
        result = imports.ImportResult.from_dict(job.result) if job.result else None
    failed = job is not None and job.status == JobStatus.FAILED
    context = {"form": form, "job": job, "result": result, "columns": model_import.COLUMNS}
    return render(
        request, "awards/model_import.html", context, status=400 if failed or form.errors else 200
    )


@login_required
@require_GET
def template_download(request: HttpRequest, extension: str) -> HttpResponse:
    if extension not in CONTENT_TYPES:
        raise Http404
    build = model_import.template_xlsx if extension == "xlsx" else model_import.template_csv
    response = HttpResponse(build(), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="civility-good-models.{extension}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tally_list(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request.user)
    form = TallyForm(request.POST or None, units=units) if units.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                model_import.record_model_tally(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("awards:tally_list")
    tallies = ModelTally.objects.visible_to(request.user).select_related("unit")[:500]
    return render(
        request,
        "awards/tally_list.html",
        {"form": form, "tallies": tallies},
        status=400 if form is not None and form.errors else 200,
    )
