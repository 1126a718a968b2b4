"""Pages for annual classifications (the list, proposing, one classification, confirming)
and the follow-up of evaluations."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.evaluations import actions, figures
from civility.evaluations.explain import citation, explain, rule_lines
from civility.evaluations.forms import (
    ClassificationInputsForm,
    ConfirmForm,
    YearForm,
)
from civility.evaluations.models import (
    MANAGER_ROLES,
    READER_ROLES,
    AnnualClassification,
    Evaluation,
)
from civility.evaluations.rules import (
    DECREE_90,
    AnnualLevel,
    cite,
)
from civility.evaluations.views.common import after_job
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import AgencyRole, OrgUnit
from civility.orgs.policies import policy
from civility.orgs.profile import REVIEW_DIRECTIVE

# --- Annual classification ---------------------------------------------------------------


def _year(request: AuthenticatedRequest) -> int:
    form = YearForm(request.GET or request.POST or None)
    if form.is_bound and form.is_valid():
        year: int = form.cleaned_data["year"]
        return year
    today = timezone.localdate()
    return today.year


@login_required
@require_GET
@for_roles(*READER_ROLES)
def classification_list(request: AuthenticatedRequest) -> HttpResponse:
    unit = focus_unit(request, READER_ROLES)
    if unit is None:
        raise Http404
    year = _year(request)
    rows = (
        AnnualClassification.objects.visible_to(request.user)
        .under(unit)
        .filter(year=year)
        .select_related("official", "unit")
        .order_by("unit__path", "official__full_name")
    )
    # The figures count confirmed classifications only; proposals are counted apart.
    counts = dict.fromkeys(AnnualLevel.values, 0)
    awaiting = to_assess = 0
    for row in rows:
        if row.is_locked():
            counts[row.final_level] += 1
        elif row.is_to_assess():
            to_assess += 1
        else:
            awaiting += 1
    return render(
        request,
        "evaluations/classification_list.html",
        {
            "unit": unit,
            "year": year,
            "rows": rows,
            "counts": [(label, counts[value]) for value, label in AnnualLevel.choices],
            "awaiting": awaiting,
            "to_assess": to_assess,
            "can_propose": actions.can_manage(request.user, unit),
            "years": range(timezone.localdate().year + 1, 2019, -1),
        },
    )


@login_required
@require_POST
def classification_propose(request: AuthenticatedRequest) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=request.POST.get("unit"))
    year = _year(request)
    job = actions.request_proposals(actor=request.user, unit=unit, year=year)
    return after_job(request, job)


def _url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def _classification_approver_line(row: AnnualClassification) -> str:
    if row.agency_role == AgencyRole.HEAD:
        text = _("As head of %(agency)s, confirmed from the level above.")
    elif row.agency_role == AgencyRole.DEPUTY:
        text = _("As deputy head of %(agency)s, confirmed by the head of %(agency)s.")
    else:
        return ""
    return " ".join(
        [
            text % {"agency": row.agency},
            _("Source: %(source)s.") % {"source": citation(cite(DECREE_90, "16"))},
        ]
    )


def _classification(request: AuthenticatedRequest, pk: int) -> AnnualClassification:
    return get_object_or_404(
        AnnualClassification.objects.visible_to(request.user).select_related(
            "official", "unit", "agency"
        ),
        pk=pk,
    )


def _classification_page(
    request: AuthenticatedRequest,
    row: AnnualClassification,
    *,
    confirm_form: ConfirmForm | None = None,
    inputs_form: ClassificationInputsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_confirm = not row.is_locked() and actions.can_confirm(request.user, row)
    can_edit = not row.is_locked() and actions.can_manage(request.user, row.unit)
    return render(
        request,
        "evaluations/classification_detail.html",
        {
            "row": row,
            "rules": row.rules if row.rule_set else None,
            "rule_lines": rule_lines(row.rules, unit=row.agency, on=datetime.date(row.year, 12, 31))
            if row.rule_set
            else [],
            "approver": _classification_approver_line(row),
            "reasons": [explain(reason) for reason in row.reasons],
            "evaluations": Evaluation.objects.approved()
            .filter(official=row.official, period__month__year=row.year)
            .select_related("period")
            .order_by("period__month"),
            "confirm_form": (confirm_form or ConfirmForm(initial={"level": row.proposed_level}))
            if can_confirm
            else None,
            "inputs_form": (
                inputs_form
                or ClassificationInputsForm(
                    initial={
                        "months_worked": row.months_worked,
                        "months_absent": row.months_absent,
                        "maternity_leave": row.maternity_leave,
                    }
                )
            )
            if can_edit
            else None,
        },
        status=status,
    )


@login_required
@require_GET
def classification_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _classification_page(request, _classification(request, pk))


@login_required
@require_POST
def classification_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = _classification(request, pk)
    if not actions.can_confirm(request.user, row):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_classification(
                actor=request.user, classification=row, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Classification confirmed and locked."))
            return redirect(row)
    return _classification_page(request, row, confirm_form=form, status=422)


@login_required
@require_POST
def classification_inputs(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = _classification(request, pk)
    if not actions.can_manage(request.user, row.unit):
        raise PermissionDenied
    form = ClassificationInputsForm(request.POST)
    if form.is_valid():
        try:
            actions.update_classification_inputs(
                actor=request.user, classification=row, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Proposal computed again."))
            return redirect(row)
    return _classification_page(request, row, inputs_form=form, status=422)


# --- Follow-up ---------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def follow_up_list(request: AuthenticatedRequest) -> HttpResponse:
    unit = focus_unit(request, MANAGER_ROLES)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    rows = figures.follow_up(unit, today=today)
    return render(
        request,
        "evaluations/follow_up.html",
        {
            "unit": unit,
            "rows": [(row.official, [explain(r) for r in row.reasons]) for row in rows],
            "directive": policy(REVIEW_DIRECTIVE.key, unit=unit, on=today),
        },
    )
