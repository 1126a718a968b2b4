"""Pages for corrective actions: the list, one action (respond, verify) and its files.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, in
scope but not allowed is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civility.core.audit import log_reads
from civility.core.files import serve
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.inspections import actions
from civility.inspections.forms import (
    ActionFilterForm,
    RespondForm,
    VerifyForm,
)
from civility.inspections.models import (
    ActionStatus,
    ActionStep,
    CorrectiveAction,
    EvidenceFile,
    Viewer,
)

# --- Corrective actions --------------------------------------------------------------------


@login_required
@require_GET
def action_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET, request=request)
    corrective = form.filter(CorrectiveAction.objects.readable_by(request.user).with_related())
    listing = paginate(request, corrective, sorts=form.SORTS, default="deadline")
    _log_serving_reads(request.user, list(listing.page.object_list))
    context = {
        "form": form,
        "listing": listing,
        "unit": form.unit,
        "today": timezone.localdate(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "inspections/action_list.html#results", context)
    return render(request, "inspections/action_list.html", context)


def _log_serving_reads(user: Viewer, rows: list[CorrectiveAction]) -> None:
    """Audit the reads of actions a ward head sees only because the counter serves the ward."""
    ids = [row.pk for row in rows]
    if ids:
        log_reads(
            actor=user,
            instances=CorrectiveAction.objects.filter(pk__in=ids).serving_only_for(user),
        )


@login_required
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        CorrectiveAction.objects.readable_by(request.user).with_related(), pk=pk
    )
    if request.method == "GET":
        _log_serving_reads(request.user, [action])
    can_respond = actions.can_respond(request.user, action) and action.status != ActionStatus.CLOSED
    can_verify = action.status == ActionStatus.RESPONDED and actions.can_verify(
        request.user, action
    )
    respond_form = RespondForm(prefix="respond")
    verify_form = VerifyForm(prefix="verify")
    if request.method == "POST":
        try:
            if "respond-response" in request.POST:
                respond_form = RespondForm(request.POST, request.FILES, prefix="respond")
                if not can_respond:
                    raise PermissionDenied
                if respond_form.is_valid():
                    actions.respond_to_action(
                        actor=request.user,
                        action=action,
                        response=respond_form.cleaned_data["response"],
                        files=respond_form.cleaned_data["evidence"],
                        photos=respond_form.cleaned_data["photos"],
                    )
                    messages.success(request, _("Response sent to the inspectors."))
                    return redirect(action)
            else:
                verify_form = VerifyForm(request.POST, prefix="verify")
                if verify_form.is_valid():
                    actions.verify_action(
                        actor=request.user,
                        action=action,
                        accept=verify_form.cleaned_data["decision"] == "close",
                        note=verify_form.cleaned_data["note"],
                    )
                    messages.success(request, _("Decision recorded."))
                    return redirect(action)
        except ValidationError as error:
            form = respond_form if "respond-response" in request.POST else verify_form
            add_errors(form, error)
    return render(
        request,
        "inspections/action_detail.html",
        {
            "action": action,
            "inspection": action.finding.inspection,
            "steps": action.steps.select_related("by", "inspection"),
            "evidence": action.evidence.all(),
            "can_respond": can_respond,
            "can_verify": can_verify,
            "respond_form": respond_form,
            "verify_form": verify_form,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def step_photo(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The photo taken when an action was checked on a revisit."""
    step = get_object_or_404(
        ActionStep.objects.filter(action__in=CorrectiveAction.objects.visible_to(request.user)),
        pk=pk,
    )
    return serve(step.photo, filename=step.photo_download_name)


@login_required
@require_GET
def evidence_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """A unit's evidence that a corrective action was carried out."""
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(action__in=CorrectiveAction.objects.readable_by(request.user)),
        pk=pk,
    )
    return serve(evidence.file, filename=evidence.download_name)
