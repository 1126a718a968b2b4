"""Pages for monthly evaluations, annual classifications, follow-up, rotation and figures.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, and a
step the user may not take is a 403.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core import exports
from civility.core.listing import paginate
from civility.core.models import JobStatus
from civility.core.provenance import Provenance
from civility.evaluations import actions, figures, gaps
from civility.evaluations.explain import citation, explain, rule_lines, unit_results_line
from civility.evaluations.forms import (
    ApprovalForm,
    ClassificationInputsForm,
    ConfirmForm,
    EvaluationFilterForm,
    FiguresForm,
    GapForm,
    PeriodForm,
    RatingForm,
    ReturnForm,
    RotationCancelForm,
    RotationDoneForm,
    RotationExceptionForm,
    RotationFilterForm,
    RotationPlanForm,
    SelfAssessmentForm,
    YearForm,
    items_of,
    points_of,
    work_item_formset,
)
from civility.evaluations.gaps import period_label
from civility.evaluations.models import (
    MANAGER_ROLES,
    READER_ROLES,
    AnnualClassification,
    Evaluation,
    EvaluationPeriod,
    RotationPlan,
    Step,
)
from civility.evaluations.rules import (
    DECREE_90,
    ROTATION_EXEMPTIONS,
    ROTATION_LAW,
    AnnualLevel,
    cite,
    task_counts,
    task_rates,
)
from civility.orgs.access import for_roles
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import AgencyRole, Official, OrgUnit, Post
from civility.orgs.policies import policy
from civility.orgs.profile import REVIEW_DIRECTIVE
from civility.orgs.scopes import scope_of


def _focus_unit(request: HttpRequest, roles=READER_ROLES) -> OrgUnit | None:
    """The unit chosen in the switcher, if the user holds one of `roles` there."""
    scope = scope_of(request.user)
    unit = selected_unit(request)
    if unit is not None and scope.covers(unit, roles=roles):
        return unit
    paths = scope.paths_with_role(*roles)
    if scope.is_global and unit is not None:
        return unit
    return OrgUnit.objects.filter(path__in=paths).order_by("path").first() if paths else None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Home and periods --------------------------------------------------------------------


# A city's period is 150,000 evaluations: names sort within a subtree or a search.
PERIOD_SORTS = {
    "official": ("official__full_name",),
    "step": ("step",),
    "total": ("total",),
}


@login_required
@require_GET
def evaluation_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = Evaluation.objects.visible_to(user).with_related()
    unit = _focus_unit(request)
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
def evaluation_list(request: HttpRequest) -> HttpResponse:
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
def period_create(request: HttpRequest) -> HttpResponse:
    units = OrgUnit.objects.filter(scope_of(request.user).q("path", roles=MANAGER_ROLES))
    if not units.exists():
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"unit": _focus_unit(request, MANAGER_ROLES), "month": today.replace(day=1)}
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
            _add_errors(form, error)
        else:
            return _after_job(request, job)
    return render(request, "evaluations/period_form.html", {"form": form})


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(EvaluationPeriod.objects.visible_to(request.user), pk=pk)
    try:
        actions.close_period(actor=request.user, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Period closed."))
    return redirect(period)


# --- One evaluation ----------------------------------------------------------------------


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    return get_object_or_404(Evaluation.objects.visible_to(request.user).with_related(), pk=pk)


def _detail(request: HttpRequest, evaluation: Evaluation, forms_: dict | None = None, status=200):
    user = request.user
    rules = evaluation.rules
    forms_ = forms_ or {}
    month = evaluation.period.month
    context = {
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
            rules=rules,
            initial_points=evaluation.self_points,
        )
        context["items_formset"] = forms_.get("items_formset") or work_item_formset(
            items=evaluation.work_items
        )
    if evaluation.step == Step.REVIEW and actions.can_review(user, evaluation):
        context["rating_form"] = forms_.get("rating_form") or RatingForm(
            rules=rules, initial_points=evaluation.self_points
        )
        context["items_formset"] = forms_.get("items_formset") or work_item_formset(
            items=evaluation.work_items
        )
        context["return_form"] = ReturnForm()
    if evaluation.step == Step.APPROVAL and actions.can_approve(user, evaluation):
        context["approval_form"] = forms_.get("approval_form") or ApprovalForm(
            rules=rules, initial_points=evaluation.points
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


def _supervisor_choices(evaluation: Evaluation):
    from civility.orgs.models import RoleAssignment

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
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _evaluation(request, pk))


@login_required
@require_POST
def evaluation_self(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_self_assess(request.user, evaluation):
        raise PermissionDenied
    form = SelfAssessmentForm(request.POST, rules=evaluation.rules, initial_points={})
    formset = work_item_formset(request.POST, items=evaluation.work_items)
    if form.is_valid() and formset.is_valid():
        submit = "submit" in request.POST
        try:
            actions.save_self_assessment(
                actor=request.user,
                evaluation=evaluation,
                work_items=items_of(formset),
                account=form.cleaned_data["account"],
                self_points=points_of(form, evaluation.rules, "self"),
                self_level=form.cleaned_data["self_level"],
                submit=submit,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Self-assessment submitted.") if submit else _("Draft saved.")
            )
            return redirect(evaluation)
    return _detail(request, evaluation, {"self_form": form, "items_formset": formset}, status=422)


@login_required
@require_POST
def evaluation_rate(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_review(request.user, evaluation):
        raise PermissionDenied
    form = RatingForm(request.POST, rules=evaluation.rules, initial_points={})
    formset = work_item_formset(request.POST, items=evaluation.work_items)
    if form.is_valid() and formset.is_valid():
        try:
            actions.rate_evaluation(
                actor=request.user,
                evaluation=evaluation,
                points=points_of(form, evaluation.rules, "points"),
                comment=form.cleaned_data["comment"],
                work_items=items_of(formset),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Rating saved; the evaluation goes to the head."))
            return redirect(evaluation)
    return _detail(request, evaluation, {"rating_form": form, "items_formset": formset}, status=422)


@login_required
@require_POST
def evaluation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_approve(request.user, evaluation):
        raise PermissionDenied
    form = ApprovalForm(request.POST, rules=evaluation.rules, initial_points={})
    if form.is_valid():
        points = points_of(form, evaluation.rules, "points")
        try:
            actions.approve_evaluation(
                actor=request.user,
                evaluation=evaluation,
                points=points if any(v is not None for v in points.values()) else None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Evaluation approved."))
            return redirect(evaluation)
    return _detail(request, evaluation, {"approval_form": form}, status=422)


@login_required
@require_POST
def evaluation_return(request: HttpRequest, pk: int) -> HttpResponse:
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
def evaluation_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not actions.can_manage(request.user, evaluation.unit):
        raise PermissionDenied
    supervisor = _supervisor_choices(evaluation).filter(pk=request.POST.get("supervisor")).first()
    try:
        actions.set_supervisor(actor=request.user, evaluation=evaluation, supervisor=supervisor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Supervisor changed."))
    return redirect(evaluation)


# --- Annual classification ---------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or request.POST or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"]
    today = timezone.localdate()
    return today.year


@login_required
@require_GET
@for_roles(*READER_ROLES)
def classification_list(request: HttpRequest) -> HttpResponse:
    unit = _focus_unit(request)
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
def classification_propose(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=request.POST.get("unit"))
    year = _year(request)
    job = actions.request_proposals(actor=request.user, unit=unit, year=year)
    return _after_job(request, job)


def _after_job(request: HttpRequest, job) -> HttpResponse:
    """A job run within the request shows its outcome where it leads; a running one, its
    progress page."""
    if job.status == JobStatus.DONE:
        messages.success(request, job.message)
        return redirect(job.result_url)
    if job.status == JobStatus.FAILED:
        messages.error(request, job.error)
    return redirect(job)


def _url(name: str, *args) -> str:
    from django.urls import reverse

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


def _classification(request: HttpRequest, pk: int) -> AnnualClassification:
    return get_object_or_404(
        AnnualClassification.objects.visible_to(request.user).select_related(
            "official", "unit", "agency"
        ),
        pk=pk,
    )


def _classification_page(request, row, *, confirm_form=None, inputs_form=None, status=200):
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
def classification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _classification_page(request, _classification(request, pk))


@login_required
@require_POST
def classification_confirm(request: HttpRequest, pk: int) -> HttpResponse:
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
            _add_errors(form, error)
        else:
            messages.success(request, _("Classification confirmed and locked."))
            return redirect(row)
    return _classification_page(request, row, confirm_form=form, status=422)


@login_required
@require_POST
def classification_inputs(request: HttpRequest, pk: int) -> HttpResponse:
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
            _add_errors(form, error)
        else:
            messages.success(request, _("Proposal computed again."))
            return redirect(row)
    return _classification_page(request, row, inputs_form=form, status=422)


# --- Follow-up ---------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    unit = _focus_unit(request, MANAGER_ROLES)
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


# --- Rotation ----------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def rotation_list(request: HttpRequest) -> HttpResponse:
    unit = _focus_unit(request, MANAGER_ROLES)
    if unit is None:
        raise Http404
    form = RotationFilterForm(request.GET or None)
    within = 6
    if form.is_bound and form.is_valid() and form.cleaned_data["within"] is not None:
        within = form.cleaned_data["within"]
    today = timezone.localdate()
    due, excepted = figures.rotation_rows(unit, today=today, within_months=within)
    done = (
        RotationPlan.objects.visible_to(request.user)
        .under(unit)
        .filter(status="done")
        .select_related("official", "from_post", "to_post")
        .order_by("-done_on")[:50]
    )
    return render(
        request,
        "evaluations/rotation_list.html",
        {
            "unit": unit,
            "form": form,
            "within": within,
            "due": due,
            "excepted": excepted,
            "leaders": figures.leaders_in_rotation_posts(unit),
            "rotation_law": ROTATION_LAW,
            "rotation_exemptions": ROTATION_EXEMPTIONS,
            "done": done,
            "today": today,
        },
    )


def _managed_official(request: HttpRequest, pk: int) -> Official:
    official = get_object_or_404(
        Official.objects.visible_to(request.user).select_related("unit", "post"), pk=pk
    )
    if not actions.can_manage(request.user, official.unit):
        raise PermissionDenied
    return official


@login_required
def rotation_plan(request: HttpRequest, official_pk: int) -> HttpResponse:
    official = _managed_official(request, official_pk)
    ancestors = [
        "/".join(official.unit.path.strip("/").split("/")[:i]) + "/"
        for i in range(1, official.unit.path.count("/") + 1)
    ]
    posts = Post.objects.filter(unit__path__in=ancestors).exclude(pk=official.post_id)
    form = RotationPlanForm(request.POST or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        try:
            actions.plan_rotation(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Rotation planned."))
            return redirect("evaluations:rotation_list")
    return render(
        request,
        "evaluations/rotation_form.html",
        {"official": official, "form": form, "kind": "plan"},
    )


@login_required
def rotation_exception(request: HttpRequest, official_pk: int) -> HttpResponse:
    official = _managed_official(request, official_pk)
    form = RotationExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grant_rotation_exception(
                actor=request.user, official=official, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Exception recorded."))
            return redirect("evaluations:rotation_list")
    return render(
        request,
        "evaluations/rotation_form.html",
        {"official": official, "form": form, "kind": "exception"},
    )


@login_required
@require_POST
def rotation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        RotationPlan.objects.visible_to(request.user).select_related("official__unit"), pk=pk
    )
    form = RotationDoneForm(request.POST)
    if form.is_valid():
        try:
            actions.complete_rotation(
                actor=request.user, plan=plan, done_on=form.cleaned_data["done_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rotation recorded; the official's post is updated."))
    else:
        messages.error(request, _("Give the date of the rotation."))
    return redirect("evaluations:rotation_list")


@login_required
@require_POST
def rotation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        RotationPlan.objects.visible_to(request.user).select_related("official__unit"), pk=pk
    )
    form = RotationCancelForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel_rotation(actor=request.user, plan=plan, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rotation cancelled."))
    else:
        messages.error(request, _("Say why the rotation is cancelled."))
    return redirect("evaluations:rotation_list")


# --- Figures -----------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def figures_page(request: HttpRequest) -> HttpResponse:
    unit = _focus_unit(request, MANAGER_ROLES)
    if unit is None:
        raise Http404
    form = FiguresForm(request.GET or None)
    month = form.month_or_default()
    result = figures.overview(unit, month, today=timezone.localdate())
    return render(
        request,
        "evaluations/figures.html",
        {"unit": unit, "form": form, "month": month, "figures": result},
    )


# --- Self-assessment against evidence ----------------------------------------------------


def _gap_focus(request: HttpRequest) -> OrgUnit:
    """The unit asked for (?unit=), else the switcher's; a unit the user does not manage is
    a 404."""
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        units = OrgUnit.objects.filter(scope_of(request.user).q("path", roles=MANAGER_ROLES))
        return get_object_or_404(units, pk=unit_id)
    unit = _focus_unit(request, MANAGER_ROLES)
    if unit is None:
        raise Http404
    return unit


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def self_assessment_gaps(request: HttpRequest) -> HttpResponse:
    """Each unit's gap between self-scores and verified scores over time, per source; as a
    table, or as .xlsx/.csv (?format=)."""
    unit = _gap_focus(request)
    form = GapForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    start, end, by = form.span()
    export = request.GET.get("format", "")
    if export and (not valid or export not in ("xlsx", "csv")):
        problems = [
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        ] or [_("Format: choose xlsx or csv.")]
        return HttpResponse(
            " ".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    if valid and not (request.GET.get("start") or request.GET.get("end")):
        # Show the months the table covers rather than empty month fields.
        form = GapForm(initial={"start": start, "end": end, "by": by})
    tables = gaps.gap_tables(request.user, unit, start=start, end=end, by=by)
    if export:
        return _gap_download(request, unit, tables, start=start, end=end, by=by, kind=export)
    return render(
        request,
        "evaluations/self_assessment_gaps.html",
        {
            "unit": unit,
            "form": form,
            "tables": tables,
            "labels": [period_label(p, by) for p in gaps.periods_between(start, end, by)],
            "start": start,
            "end": end,
            "by": by,
        },
        status=200 if valid else 400,
    )


def _gap_download(request, unit, tables, *, start, end, by, kind) -> HttpResponse:
    provenance = Provenance.start(
        title=_("Self-assessment against evidence"),
        filters=[
            (_("Unit"), unit.display_name),
            (_("From"), start.strftime("%m/%Y")),
            (_("To"), end.strftime("%m/%Y")),
            (_("Group by"), dict(gaps.GROUPINGS)[by]),
        ],
        by=request.user,
    )
    rows = [gaps.export_headers(), *gaps.export_rows(tables, by)]
    filename = f"self-assessment-gaps-{unit.pk}-{start:%Y%m}-{end:%Y%m}"
    if kind == "csv":
        response = HttpResponse(
            exports.csv_text(rows, provenance), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Gaps"))
        for row in rows:
            exports.append_row(sheet, row)
        response = HttpResponse(
            exports.save_xlsx(workbook, provenance),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response
