"""Pages for the rotation of posts subject to periodic rotation: the list, planning,
exceptions, completing and cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.evaluations import actions, figures
from civility.evaluations.forms import (
    RotationCancelForm,
    RotationDoneForm,
    RotationExceptionForm,
    RotationFilterForm,
    RotationPlanForm,
)
from civility.evaluations.models import (
    MANAGER_ROLES,
    RotationPlan,
)
from civility.evaluations.rules import (
    ROTATION_EXEMPTIONS,
    ROTATION_LAW,
)
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official, Post

# --- Rotation ----------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*MANAGER_ROLES)
def rotation_list(request: AuthenticatedRequest) -> HttpResponse:
    unit = focus_unit(request, MANAGER_ROLES)
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


def _managed_official(request: AuthenticatedRequest, pk: int) -> Official:
    official = get_object_or_404(
        Official.objects.visible_to(request.user).select_related("unit", "post"), pk=pk
    )
    if not actions.can_manage(request.user, official.unit):
        raise PermissionDenied
    return official


@login_required
def rotation_plan(request: AuthenticatedRequest, official_pk: int) -> HttpResponse:
    official = _managed_official(request, official_pk)
    ancestors = [
        "/".join(official.unit.path.strip("/").split("/")[:i]) + "/"
        for i in range(1, official.unit.path.count("/") + 1)
    ]
    posts = Post.objects.filter(unit__path__in=ancestors)
    if official.post_id is not None:
        posts = posts.exclude(pk=official.post_id)
    form = RotationPlanForm(request.POST or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        try:
            actions.plan_rotation(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Rotation planned."))
            return redirect("evaluations:rotation_list")
    return render(
        request,
        "evaluations/rotation_form.html",
        {"official": official, "form": form, "kind": "plan"},
    )


@login_required
def rotation_exception(request: AuthenticatedRequest, official_pk: int) -> HttpResponse:
    official = _managed_official(request, official_pk)
    form = RotationExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grant_rotation_exception(
                actor=request.user, official=official, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
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
def rotation_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
def rotation_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
