"""Pages to record earlier commendation decisions for the archive: one decision with its
recipients chosen in pickers, or many from a spreadsheet (a background job)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civility.awards import actions, history
from civility.awards.forms import PastDecisionForm, PastDecisionImportForm
from civility.awards.models import DECIDER_ROLES, AwardTitle, Movement
from civility.awards.views import _add_errors, _focus
from civility.orgs.access import for_roles
from civility.orgs.imports import ImportResult
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _deciding_units(user):
    """Units where the user records decisions, former ones included: a decision of 2022 was
    issued by a district that ended in 2025."""
    return OrgUnit.objects.filter(scope_of(user).q("path", roles=DECIDER_ROLES)).order_by("path")


@login_required
@for_roles(*DECIDER_ROLES, denied=PermissionDenied)
@require_http_methods(["GET", "POST"])
def past_decision_create(request: HttpRequest) -> HttpResponse:
    units = _deciding_units(request.user)
    scope = scope_of(request.user)
    form = PastDecisionForm(
        request.POST or None,
        units=units,
        officials=Official.objects.filter(scope.q("unit__path", roles=DECIDER_ROLES)),
        movements=Movement.objects.visible_to(request.user).select_related("unit"),
        titles=AwardTitle.objects.visible_to(request.user).filter(
            Q(valid_to__isnull=True) | Q(rule_set="law-2003")
        ),
        initial={"unit": _focus(request, DECIDER_ROLES)},
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
            _add_errors(form, error)
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


@login_required
@for_roles(*DECIDER_ROLES, denied=PermissionDenied)
@require_http_methods(["GET", "POST"])
def past_decision_import(request: HttpRequest) -> HttpResponse:
    form = PastDecisionImportForm(
        request.POST or None,
        request.FILES or None,
        units=_deciding_units(request.user).current(),
        initial={"unit": _focus(request, DECIDER_ROLES)},
    )
    form.fields["unit"].widget.narrow(role=DECIDER_ROLES)
    job = result = None
    if request.method == "POST" and form.is_valid():
        job = history.request_import(
            actor=request.user,
            root=form.cleaned_data["unit"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        if not job.is_finished():
            return redirect(job)
        result = ImportResult.from_dict(job.result) if job.result else None
    failed = job is not None and job.status == "failed"
    status = 400 if form.errors or failed else 200
    context = {"form": form, "job": job, "result": result, "columns": history.COLUMNS}
    return render(request, "awards/past_import.html", context, status=status)


@login_required
@require_GET
def past_decision_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(history.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="civility-earlier-decisions.xlsx"'
    return response
