"""Pages that bring a city's past in: earlier commendation decisions (one with its recipients
chosen in pickers, or many from a spreadsheet), good models from a spreadsheet, and the
count-only entries of years that kept only totals.

Both spreadsheet imports are the same page (`_import_page`: the upload with its dry run, the
background job, the row-numbered problems, the template and its columns); only what is
imported, into which units and by whom differs (`HistoryImport`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_stubs_ext import StrOrPromise

from civility.awards import actions, history, model_import
from civility.awards.forms import HistoryImportForm, PastDecisionForm, TallyForm
from civility.awards.models import DECIDER_ROLES, AwardTitle, ModelTally, Movement
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.models import Job, JobStatus
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit
from civility.orgs.imports import Column, ImportResult
from civility.orgs.models import Official, OrgUnit, OrgUnitQuerySet
from civility.orgs.scopes import MANAGER_ROLES, scope_of

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _units_with(user: User, roles: tuple[str, ...]) -> OrgUnitQuerySet:
    """Units where the user holds one of `roles`, former ones included: a decision of 2022
    was issued by a district that ended in 2025, a model of 2021 started in a former ward."""
    return OrgUnit.objects.filter(scope_of(user).q("path", roles=roles)).order_by("path")


# --- the spreadsheet imports ----------------------------------------------------------------


@dataclass(frozen=True)
class HistoryImport:
    """What differs between the history imports: their words, columns and templates, the
    units a file may go into, and the action that queues the job."""

    title: StrOrPromise
    intro: StrOrPromise
    how: StrOrPromise  # how to fill the template in
    columns: tuple[Column, ...]
    templates: tuple[tuple[StrOrPromise, str, str], ...]  # (label, URL name, extension or "")
    roles: tuple[str, ...]
    into_former_units: bool  # a file may go into a unit that has since ended
    start: Callable[..., Job]  # request_import(actor=, root=, upload=, dry_run=)
    see_also: tuple[StrOrPromise, StrOrPromise, str] | None = None  # (sentence, link text, URL)
    unit_help: StrOrPromise = ""


PAST_DECISIONS = HistoryImport(
    title=gettext_lazy("Import earlier decisions"),
    intro=gettext_lazy(
        "Commendation decisions taken before Civility, with their recipients, from one "
        "spreadsheet: one row per collective or person. They are recorded for the archive, "
        "without nominations or votes. The whole file is checked first; if any row has a "
        "problem, nothing is recorded."
    ),
    how=gettext_lazy(
        "Download the template, fill in one row per recipient from row 2, and upload it here."
    ),
    columns=history.COLUMNS,
    templates=((gettext_lazy("Template (.xlsx)"), "awards:past_decision_template", ""),),
    roles=DECIDER_ROLES,
    into_former_units=False,
    start=history.request_import,
    unit_help=gettext_lazy("The issuing units and the recipients of the file are under this unit."),
)
GOOD_MODELS = HistoryImport(
    title=gettext_lazy("Import good models"),
    intro=gettext_lazy(
        "One spreadsheet holds every model of past years; the whole file is checked first "
        "and nothing is saved while a row has a problem."
    ),
    how=gettext_lazy(
        "Download a template, fill in one row per line from row 2, and upload it here."
    ),
    columns=model_import.COLUMNS,
    templates=(
        (gettext_lazy("Template (.xlsx)"), "awards:model_template", "xlsx"),
        (gettext_lazy("Template (.csv, UTF-8)"), "awards:model_template", "csv"),
    ),
    roles=MANAGER_ROLES,
    into_former_units=True,
    start=model_import.request_good_models_import,
    see_also=(
        gettext_lazy("Years for which only totals were kept go in as count-only entries."),
        gettext_lazy("Count-only entries"),
        "awards:tally_list",
    ),
)


def _import_page(request: AuthenticatedRequest, page: HistoryImport) -> HttpResponse:
    units = _units_with(request.user, page.roles)
    if not page.into_former_units:
        units = units.current()
    form = HistoryImportForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        roles=page.roles,
        former=page.into_former_units,
        unit_help=page.unit_help,
        initial={"unit": focus_unit(request, page.roles)},
    )
    job = result = None
    if request.method == "POST" and form.is_valid():
        job = page.start(
            actor=request.user,
            root=form.cleaned_data["unit"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        if not job.is_finished():
            return redirect(job)
        result = ImportResult.from_dict(job.result) if job.result else None
    failed = job is not None and job.status == JobStatus.FAILED
    templates = [
        (label, reverse(name, args=[extension] if extension else []))
        for label, name, extension in page.templates
    ]
    see_also = None
    if page.see_also:
        sentence, label, name = page.see_also
        see_also = (sentence, label, reverse(name))
    context = {
        "page": page,
        "form": form,
        "job": job,
        "result": result,
        "columns": page.columns,
        "templates": templates,
        "see_also": see_also,
    }
    status = 400 if form.errors or failed else 200
    return render(request, "awards/history_import.html", context, status=status)


def _template(build: Callable[[], bytes], name: str, extension: str) -> HttpResponse:
    response = HttpResponse(build(), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@login_required
@for_roles(*DECIDER_ROLES, denied=PermissionDenied)
@require_http_methods(["GET", "POST"])
def past_decision_import(request: AuthenticatedRequest) -> HttpResponse:
    return _import_page(request, PAST_DECISIONS)


@login_required
@require_http_methods(["GET", "POST"])
def import_models(request: AuthenticatedRequest) -> HttpResponse:
    if not _units_with(request.user, MANAGER_ROLES).exists():
        raise PermissionDenied
    return _import_page(request, GOOD_MODELS)


@login_required
@require_GET
def past_decision_template(request: AuthenticatedRequest) -> HttpResponse:
    return _template(history.template_xlsx, "civility-earlier-decisions", "xlsx")


@login_required
@require_GET
def template_download(request: AuthenticatedRequest, extension: str) -> HttpResponse:
    """The good models' template."""
    if extension not in CONTENT_TYPES:
        raise Http404
    build = model_import.template_xlsx if extension == "xlsx" else model_import.template_csv
    return _template(build, "civility-good-models", extension)


# --- one earlier decision, by hand ----------------------------------------------------------


@login_required
@for_roles(*DECIDER_ROLES, denied=PermissionDenied)
@require_http_methods(["GET", "POST"])
def past_decision_create(request: AuthenticatedRequest) -> HttpResponse:
    units = _units_with(request.user, DECIDER_ROLES)
    scope = scope_of(request.user)
    form = PastDecisionForm(
        request.POST or None,
        units=units,
        officials=Official.objects.filter(scope.q("unit__path", roles=DECIDER_ROLES)),
        movements=Movement.objects.visible_to(request.user).select_related("unit"),
        titles=AwardTitle.objects.visible_to(request.user).filter(
            Q(valid_to__isnull=True) | Q(rule_set="law-2003")
        ),
        initial={"unit": focus_unit(request, DECIDER_ROLES)},
    )
    for name in ("unit", "units"):
        form.fields[name].widget.narrow(role=DECIDER_ROLES, dated_by="decided_on")
    # The people of a decision of 2022: those in post then, some retired since.
    form.fields["officials"].widget.narrow(role=DECIDER_ROLES, dated_by="decided_on")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = actions.record_earlier_decision(
                actor=request.user,
                unit=data["unit"],
                number=data["number"],
                decided_on=data["decided_on"],
                issuer=data["issuer"],
                year=data["year"],
                movement=data["movement"],
                awards=form.awards(),
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Earlier decision recorded for the archive."))
            return redirect(decision)
    return render(
        request,
        "awards/form.html",
        {
            "form": form,
            "heading": _("Record an earlier decision"),
            "intro": _(
                "For a decision taken before Civility or outside it: no nomination or vote is "
                "needed, and it is shown everywhere as recorded for the archive. To enter many "
                "decisions at once, import a spreadsheet."
            ),
        },
    )


# --- count-only entries ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tally_list(request: AuthenticatedRequest) -> HttpResponse:
    units = _units_with(request.user, MANAGER_ROLES)
    form = TallyForm(request.POST or None, units=units) if units.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                model_import.record_model_tally(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
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
