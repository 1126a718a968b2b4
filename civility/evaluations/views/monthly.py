"""Pages for monthly evaluations: the home, the list, periods, and one evaluation's steps.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, and a
step the user may not take is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.evaluations import actions
from civility.evaluations.explain import explain, rule_lines, unit_results_line
from civility.evaluations.forms import (
    ApprovalForm,
    EvaluationFilterForm,
    PeriodForm,
    RatingForm,
    ReturnForm,
    SelfAssessmentForm,
    items_of,
    work_item_formset,
)
from civility.evaluations.models import (
    MANAGER_ROLES,
    READER_ROLES,
    Evaluation,
    EvaluationPeriod,
    Step,
)
from civility.evaluations.rules import (
    task_counts,
    task_rates,
)
from civility.evaluations.views.common import after_job
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import AgencyRole, Official, OrgUnit, RoleAssignment
from civility.orgs.scopes import scope_of

# --- Home and periods --------------------------------------------------------------------


# A city's period is 150,000 evaluations: names sort within a subtree or a search.
PERIOD_SORTS: dict[str, tuple[str, ...]] = {
    "official": ("official__full_name",),
    "step": ("step",),
    "total": ("total",),
}


@login_required
@require_GET
def evaluation_home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    visible = Evaluation.objects.visible_to(user).with_related()
    unit = focus_unit(request, READER_ROLES)
    periods = (
        EvaluationPeriod.objects.visible_to(user).filter(unit__path__startswith=unit.path)
        if unit
        else EvaluationPeriod.objects.none()
    )
    periods = periods.select_related("unit").annotate(
        scored=Count("evaluations", filter=~Q(evaluations__step=Step.NOT_SCORED)),
        unscored=Count("evaluations", filter=Q(evaluations__step=Step.NOT_SCORED)),
        done=Count("evaluations", filter=Q(evaluations__step=Step.DONE)),
    )[:24]
    to_approve = [
        evaluation
        for evaluation in visible.filter(step=Step.APPROVAL).exclude(official__user=user)[:200]
        if actions.can_approve(user, evaluation)
    ]
    return render(
        request,
        "evaluations/evaluation_home.html",
        {
            "unit": unit,
            "mine": visible.filter(official__user=user).order_by("-period__month")[:24],
            "to_rate": visible.filter(step=Step.REVIEW, supervisor=user),
            "to_approve": to_approve,
            "periods": periods,
            "can_open": unit is not None and actions.can_manage(user, unit),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def evaluation_list(request: AuthenticatedRequest) -> HttpResponse:
    form = EvaluationFilterForm(request.GET, request=request)
    # The period and supervisor come by prefetch: joined, they were read for every
    # evaluation of a ward (9,000 a year) before the 50 shown were picked.
    evaluations = form.filter(
        Evaluation.objects.visible_to(request.user)
        .select_related("official", "unit")
        .prefetch_related("period", "supervisor")
    )
    listing = paginate(request, evaluations, sorts=form.SORTS, default="-month")
    context = {"form": form, "listing": listing, "unit": form.unit}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "evaluations/evaluation_list.html#results", context)
    return render(request, "evaluations/evaluation_list.html", context)


@login_required
def period_create(request: AuthenticatedRequest) -> HttpResponse:
    units = OrgUnit.objects.filter(scope_of(request.user).q("path", roles=MANAGER_ROLES))
    if not units.exists():
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"unit": focus_unit(request, MANAGER_ROLES), "month": today.replace(day=1)}
    form = PeriodForm(request.POST or None, initial=initial, units=units.order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = actions.request_open_period(
                actor=request.user,
                unit=data["unit"],
                month=data["month"],
                self_deadline=data["self_deadline"],
                review_deadline=data["review_deadline"],
                approval_deadline=data["approval_deadline"],
                exceptional_units=list(data["exceptional_units"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return after_job(request, job)
    return render(request, "evaluations/period_form.html", {"form": form})


@login_required
@require_GET
def period_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(
        EvaluationPeriod.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    today = timezone.localdate()
    evaluations = period.evaluations.visible_to(request.user).with_related()
    text = request.GET.get("q", "").strip()[:100]
    if text:
        evaluations = evaluations.filter(official__in=Official.objects.search(text).values("pk"))
    step = request.GET.get("step", "")
    if step in Step.values:
        evaluations = evaluations.filter(step=step)
    if request.GET.get("late"):
        evaluations = evaluations.late(today)
    counts = {
        row["step"]: row["n"]
        for row in period.evaluations.visible_to(request.user)
        .values("step")
        .annotate(n=Count("pk"))
    }
    late = {
        row["step"]: row["n"]
        for row in period.evaluations.visible_to(request.user)
        .late(today)
        .values("step")
        .annotate(n=Count("pk"))
    }
    steps = [
        (value, label, counts.get(value, 0), late.get(value, 0)) for value, label in Step.choices
    ]
    listing = paginate(request, evaluations, sorts=PERIOD_SORTS, default="official")
    return render(
        request,
        "evaluations/period_detail.html",
        {
            "period": period,
            "listing": listing,
            "q": text,
            "evaluations": [
                (evaluation, explain(evaluation.rule_choice) if evaluation.rule_choice else "")
                for evaluation in listing.page.object_list
            ],
            "outstanding": period.exceptional_units.order_by("path"),
            "steps": steps,
            "step": step,
            "today": today,
            "can_manage": actions.can_manage(request.user, period.unit),
        },
    )


@login_required
@require_POST
def period_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(EvaluationPeriod.objects.visible_to(request.user), pk=pk)
    try:
        actions.close_period(actor=request.user, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Period closed."))
    return redirect(period)


# --- One evaluation ----------------------------------------------------------------------


def _evaluation(request: AuthenticatedRequest, pk: int) -> Evaluation:
    return get_object_or_404(Evaluation.objects.visible_to(request.user).with_related(), pk=pk)


def _detail(
    request: AuthenticatedRequest,
    evaluation: Evaluation,
    forms_: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    rules = evaluation.rules
    forms_ = forms_ or {}
    month = evaluation.period.month
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "period": evaluation.period,
        "rules": rules,
        "rule_choice": explain(evaluation.rule_choice) if evaluation.rule_choice else "",
        "rule_lines": rule_lines(rules, unit=evaluation.agency, on=month) if rules else [],
        "quota_line": explain(evaluation.quota) if evaluation.quota else "",
        "unit_results_line": unit_results_line(evaluation.unit_results),
        "approver": _approver_line(evaluation),
        "facts": actions.preview_facts(evaluation),
        "facts_stored": evaluation.step == Step.DONE,
        "counts": task_counts(evaluation.items()),
        "rates": task_rates(evaluation.items()),
        "items": evaluation.items(),
        "today": timezone.localdate(),
        "parts": [
            (part, evaluation.self_points.get(part.key), evaluation.points.get(part.key))
            for part in (rules.parts if rules else ())
        ],
    }
    if evaluation.step == Step.SELF and actions.can_self_assess(user, evaluation):
        context["self_form"] = forms_.get("self_form") or SelfAssessmentForm(
            initial={"account": evaluation.account, "self_level": evaluation.self_level},
            rules=evaluation.scored_rules(),
            initial_points=evaluation.self_points,
        )
        context["items_formset"] = forms_.get("items_formset") or work_item_formset(
            items=evaluation.work_items
        )
    if evaluation.step == Step.REVIEW and actions.can_review(user, evaluation):
        context["rating_form"] = forms_.get("rating_form") or RatingForm(
            rules=evaluation.scored_rules(), initial_points=evaluation.self_points
        )
        context["items_formset"] = forms_.get("items_formset") or work_item_formset(
            items=evaluation.work_items
        )
        context["return_form"] = ReturnForm()
    if evaluation.step == Step.APPROVAL and actions.can_approve(user, evaluation):
        context["approval_form"] = forms_.get("approval_form") or ApprovalForm(
            rules=evaluation.scored_rules(), initial_points=evaluation.points
        )
        outcome = actions.quota_outcome(evaluation)
        context["quota_preview"] = explain(outcome) if outcome else ""
        context["return_form"] = forms_.get("return_form") or ReturnForm()
    if actions.can_manage(user, evaluation.unit) and evaluation.step not in (
        Step.DONE,
        Step.NOT_SCORED,
    ):
        context["supervisors"] = _supervisor_choices(evaluation)
    return render(request, "evaluations/evaluation_detail.html", context, status=status)


def _approver_line(evaluation: Evaluation) -> str:
    """Who approves a head or deputy head of an agency, and on what ground."""
    if evaluation.agency_role == AgencyRole.HEAD:
        return _("As head of %(agency)s, approved from the level above.") % {
            "agency": evaluation.agency
        }
    if evaluation.agency_role == AgencyRole.DEPUTY:
        return " ".join(
            [
                _("As deputy head of %(agency)s:") % {"agency": evaluation.agency},
                actions.deputy_approver(evaluation).explain(),
            ]
        )
    return ""


def _supervisor_choices(evaluation: Evaluation) -> QuerySet[User]:
    paths = [
        "/".join(evaluation.unit.path.strip("/").split("/")[:i]) + "/"
        for i in range(1, evaluation.unit.path.count("/") + 1)
    ]
    ids = RoleAssignment.objects.filter(
        unit__path__in=paths, role__in=("evaluator", "unit_head")
    ).values("user")
    users = get_user_model().objects.filter(pk__in=ids)
    if evaluation.official.user_id:
        users = users.exclude(pk=evaluation.official.user_id)
    return users.order_by("username")


@login_required
@require_GET
def evaluation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _evaluation(request, pk))


@login_required
@require_POST
def evaluation_self(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_self_assess(request.user, evaluation):
        raise PermissionDenied
    form = SelfAssessmentForm(request.POST, rules=evaluation.scored_rules(), initial_points={})
    formset = work_item_formset(request.POST, items=evaluation.work_items)
    if form.is_valid() and formset.is_valid():
        submit = "submit" in request.POST
        try:
            actions.save_self_assessment(
                actor=request.user,
                evaluation=evaluation,
                work_items=items_of(formset),
                account=form.cleaned_data["account"],
                self_points=form.points(),
                self_level=form.cleaned_data["self_level"],
                submit=submit,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Self-assessment submitted.") if submit else _("Draft saved.")
            )
            return redirect(evaluation)
    return _detail(request, evaluation, {"self_form": form, "items_formset": formset}, status=422)


@login_required
@require_POST
def evaluation_rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_review(request.user, evaluation):
        raise PermissionDenied
    form = RatingForm(request.POST, rules=evaluation.scored_rules(), initial_points={})
    formset = work_item_formset(request.POST, items=evaluation.work_items)
    if form.is_valid() and formset.is_valid():
        try:
            actions.rate_evaluation(
                actor=request.user,
                evaluation=evaluation,
                points=form.points(),
                comment=form.cleaned_data["comment"],
                work_items=items_of(formset),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Rating saved; the evaluation goes to the head."))
            return redirect(evaluation)
    return _detail(request, evaluation, {"rating_form": form, "items_formset": formset}, status=422)


@login_required
@require_POST
def evaluation_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_approve(request.user, evaluation):
        raise PermissionDenied
    form = ApprovalForm(request.POST, rules=evaluation.scored_rules(), initial_points={})
    if form.is_valid():
        points = form.points()
        try:
            actions.approve_evaluation(
                actor=request.user,
                evaluation=evaluation,
                points=points if any(v is not None for v in points.values()) else None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Evaluation approved."))
            return redirect(evaluation)
    return _detail(request, evaluation, {"approval_form": form}, status=422)


@login_required
@require_POST
def evaluation_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    form = ReturnForm(request.POST)
    if not (
        actions.can_approve(request.user, evaluation)
        or actions.can_review(request.user, evaluation)
    ):
        raise PermissionDenied
    if form.is_valid():
        try:
            actions.return_evaluation(
                actor=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Sent back."))
    else:
        messages.error(request, _("Say why it is sent back."))
    return redirect(evaluation)


@login_required
@require_POST
def evaluation_supervisor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_manage(request.user, evaluation.unit):
        raise PermissionDenied
    # "—" (an empty choice) leaves the evaluation without a supervisor: the head rates it.
    chosen = request.POST.get("supervisor")
    supervisor = _supervisor_choices(evaluation).filter(pk=chosen).first() if chosen else None
    try:
        actions.set_supervisor(actor=request.user, evaluation=evaluation, supervisor=supervisor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Supervisor changed."))
    return redirect(evaluation)
