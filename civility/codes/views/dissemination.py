"""Pages for dissemination activities: record, attach, verify, summarise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.codes import actions, figures
from civility.codes.forms import (
    ActivityForm,
    SummaryForm,
    VerifyActivityForm,
)
from civility.codes.models import (
    Commitment,
    DisseminationActivity,
    DisseminationAttachment,
)
from civility.core.files import serve
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit, Place
from civility.orgs.scopes import MANAGER_ROLES, scope_of


def _unit_param(request: HttpRequest) -> OrgUnit | None:
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        unit: OrgUnit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
        return unit
    return selected_unit(request)


@login_required
@require_GET
def activity_list(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit_param(request)
    activities = DisseminationActivity.objects.visible_to(request.user).select_related(
        "unit", "code", "place"
    )
    if unit is not None:
        activities = activities.under(unit)
    return render(
        request,
        "codes/activity_list.html",
        {
            "unit": unit,
            "activities": activities[:200],
            "can_record": scope_of(request.user).is_global
            or bool(scope_of(request.user).paths_with_role(*MANAGER_ROLES)),
        },
    )


@login_required
def activity_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["files"] = data.pop("attachments")
        try:
            activity = actions.record_activity(actor=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect("codes:activity_detail", pk=activity.pk)
    return render(request, "codes/activity_form.html", {"form": form})


@login_required
@require_GET
def commitment_scan(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The scanned, signed sheet of a paper commitment."""
    commitment = get_object_or_404(Commitment.objects.visible_to(request.user), pk=pk)
    return serve(commitment.scan, filename=commitment.scan_download_name)


@login_required
@require_GET
def attachment_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(
        DisseminationAttachment.objects.filter(
            activity__in=DisseminationActivity.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve(attachment.file, filename=attachment.download_name)


def _activity(request: HttpRequest, pk: int) -> DisseminationActivity:
    return get_object_or_404(
        DisseminationActivity.objects.visible_to(request.user).select_related(
            "unit", "code", "place", "recorded_by", "verified_by"
        ),
        pk=pk,
    )


def _render_activity(
    request: AuthenticatedRequest,
    activity: DisseminationActivity,
    form: VerifyActivityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_verify = not activity.is_verified() and actions.can_verify_activity(request.user, activity)
    if can_verify and form is None:
        form = VerifyActivityForm(initial={"reached": activity.reached})
    return render(
        request,
        "codes/activity_detail.html",
        {"activity": activity, "verify_form": form if can_verify else None},
        status=status,
    )


@login_required
@require_GET
def activity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_activity(request, _activity(request, pk))


@login_required
@require_POST
def activity_verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = VerifyActivityForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_activity(
                actor=request.user,
                activity=activity,
                reached=form.cleaned_data["reached"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity is verified."))
            return redirect("codes:activity_detail", pk=activity.pk)
    return _render_activity(request, activity, form, status=400)


@login_required
@require_GET
def dissemination_summary(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit_param(request)
    form = SummaryForm(request.GET or None)
    summary = not_reached = since = None
    if unit is not None and (form.is_valid() or not request.GET):
        start, end = form.period() if form.is_bound else (None, None)
        activities = (
            DisseminationActivity.objects.visible_to(request.user).under(unit).between(start, end)
        )
        summary = figures.dissemination_summary(activities)
        months = (form.cleaned_data.get("months") if form.is_bound else None) or 6
        since = figures.months_before(timezone.localdate(), months)
        not_reached = figures.places_not_reached(
            Place.objects.visible_to(request.user).filter(unit__path__startswith=unit.path),
            since=since,
        )[:500]
    return render(
        request,
        "codes/dissemination_summary.html",
        {
            "form": form,
            "unit": unit,
            "summary": summary,
            "not_reached": not_reached,
            "since": since,
        },
    )
