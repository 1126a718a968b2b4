"""Pages for inspections: the overview, the phone checklist, photos, submission and
amendments, findings, reports and a unit's trend.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, in
scope but not allowed is a 403.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.core.files import serve
from civility.core.forms import add_errors, errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.core.i18n import format_percent
from civility.core.listing import paginate
from civility.core.photos import ACCEPT_ATTRIBUTE
from civility.inspections import actions, documents, figures, scoring
from civility.inspections.forms import (
    AmendForm,
    AnswerForm,
    FindingForm,
    InspectionFilterForm,
    PhotoForm,
    RevisitCheckForm,
    StartForm,
)
from civility.inspections.models import (
    INSPECTOR_ROLES,
    CorrectiveAction,
    Criterion,
    Inspection,
    Photo,
)
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of

# --- Overview ------------------------------------------------------------------------------


@login_required
@require_GET
def inspection_list(request: AuthenticatedRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET, request=request)
    inspections = form.filter(Inspection.objects.visible_to(request.user).with_related())
    listing = paginate(request, inspections, sorts=form.SORTS, default="-submitted")
    context = {"form": form, "listing": listing, "unit": form.unit}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "inspections/inspection_list.html#results", context)
    mine = Inspection.objects.visible_to(request.user).open().filter(team=request.user)
    corrective = CorrectiveAction.objects.visible_to(request.user)
    context |= {
        "mine": mine.with_related(),
        "can_start": scope_of(request.user).holds(*INSPECTOR_ROLES),
        "overdue": corrective.overdue().count(),
        "escalated": corrective.not_closed().escalated_to(request.user).count(),
    }
    return render(request, "inspections/inspection_list.html", context)


# --- Inspections ---------------------------------------------------------------------------


@login_required
def inspection_start(request: AuthenticatedRequest) -> HttpResponse:
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.start_inspection_on_the_spot(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("inspections:inspection_run", inspection.pk)
    return render(request, "inspections/inspection_start.html", {"form": form})


def _inspection(request: AuthenticatedRequest, pk: int) -> Inspection:
    return get_object_or_404(Inspection.objects.visible_to(request.user).with_related(), pk=pk)


@login_required
@require_GET
def inspection_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    content = documents.report_content(inspection)
    result = None if inspection.is_submitted() else actions.compute_score(inspection)
    can_conduct = actions.can_conduct(request.user, inspection)
    revisit = actions.revisit_of(inspection, user=request.user)
    can_check = can_conduct and not inspection.is_locked()
    hidden_officials = {
        finding.pk
        for finding in content["findings"]
        if not actions.may_see_official(request.user, finding, conducting=can_conduct)
    }
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "revisit": revisit,
            "open_actions": [
                (
                    action,
                    RevisitCheckForm(auto_id=f"id_check{action.pk}_%s")
                    if can_check and actions.can_verify(request.user, action)
                    else None,
                )
                for action in revisit.open_actions
            ],
            "content": content,
            "live_result": result,
            "can_conduct": can_conduct,
            "hidden_officials": hidden_officials,
            "amendments": inspection.amendments.select_related("criterion", "made_by"),
            "finding_form": FindingForm(inspection=inspection) if can_conduct else None,
            "amend_form": AmendForm(inspection=inspection)
            if can_conduct and inspection.is_submitted()
            else None,
            "missing": [] if inspection.is_locked() else actions.missing_items(inspection),
        },
    )


@login_required
@require_GET
def inspection_run(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The phone checklist: one criterion after another; answers save as you go and survive
    losing the network (static/inspections/run.js)."""
    inspection = _inspection(request, pk)
    if not actions.can_conduct(request.user, inspection):
        raise PermissionDenied
    if inspection.is_locked():
        return redirect(inspection)
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    photos: dict[int | None, list[Photo]] = {}
    for photo in inspection.photos.all():
        photos.setdefault(photo.criterion_id, []).append(photo)
    sections = list(
        inspection.template_version.sections.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("provision"))
        )
    )
    found = set(inspection.findings.values_list("criterion_id", flat=True))
    result = scoring.score(sections, answers)
    section_scores = {row.section_id: row for row in result.sections}
    steps = []
    for section in sections:
        for criterion in section.criteria.all():
            answer = answers.get(criterion.pk)
            failing = criterion.failing_values()
            steps.append(
                {
                    "section": section,
                    "section_score": section_scores[section.pk],
                    "criterion": criterion,
                    "answer": answer,
                    "photos": photos.get(criterion.pk, []),
                    "values": criterion.kind.values(criterion),
                    "failing": " ".join(failing),
                    "failed": bool(
                        answer and not answer.not_applicable and answer.value in failing
                    ),
                    "has_finding": criterion.pk in found,
                }
            )
    return render(
        request,
        "inspections/inspection_run.html",
        {
            "inspection": inspection,
            "steps": steps,
            "result": result,
            "total": len(steps),
            "answered": len(answers),
            "photo_form": PhotoForm(),
            "accept": ACCEPT_ATTRIBUTE,
            "revisit": actions.revisit_of(inspection, user=request.user),
            # A finding about a person's conduct opens a draft violation record.
            "officials": Official.objects.under(inspection.unit).active().order_by("full_name"),
        },
    )


@login_required
@require_POST
def inspection_answer(request: AuthenticatedRequest, pk: int, criterion_id: int) -> HttpResponse:
    """Save one answer without JavaScript (the phone page posts through the API instead)."""
    inspection = _inspection(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer could not be read."))
        return redirect("inspections:inspection_run", pk)
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = uuid.uuid4()
    [result] = actions.record_answers(
        actor=request.user,
        inspection=inspection,
        answers=[
            actions.AnswerIn(
                client_id=client_id,
                criterion_id=criterion_id,
                value=form.cleaned_data["value"],
                not_applicable=form.cleaned_data["not_applicable"],
                note=form.cleaned_data["note"],
                answered_at=timezone.now(),
            )
        ],
    )
    if result.status == "rejected":
        messages.error(request, result.message)
    else:
        messages.success(request, _("Answer saved."))
    return redirect(f"{inspection.get_absolute_url()}run/#criterion-{criterion_id}")


@login_required
@require_POST
def inspection_photo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    criterion = None
    if form.is_valid():
        criterion_id = form.cleaned_data.get("criterion")
        if criterion_id:
            criterion = get_object_or_404(inspection.template_version.criteria(), pk=criterion_id)
        try:
            actions.add_photo(
                actor=request.user,
                inspection=inspection,
                upload=form.cleaned_data["photo"],
                criterion=criterion,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Photo saved."))
    else:
        messages.error(request, _("Choose a photo to upload."))
    anchor = f"#criterion-{criterion.pk}" if criterion else ""
    return redirect(f"{inspection.get_absolute_url()}run/{anchor}")


@login_required
@require_GET
def photo_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    photo = get_object_or_404(
        Photo.objects.filter(inspection__in=Inspection.objects.visible_to(request.user)), pk=pk
    )
    return serve(photo.file, filename=photo.download_name)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step (what will be locked, what is still missing), a page of
    its own since the Content-Security-Policy forbids inline scripts; POST: submit and lock."""
    inspection = _inspection(request, pk)
    if request.method == "GET":
        if not actions.can_conduct(request.user, inspection):
            raise PermissionDenied
        if inspection.is_locked():
            return redirect(inspection)
        return render(
            request,
            "inspections/inspection_submit.html",
            {
                "inspection": inspection,
                "result": actions.compute_score(inspection),
                "missing": actions.missing_items(inspection),
                "findings": inspection.findings.count(),
                "today": timezone.localdate(),
            },
        )
    inspected_on = None
    if request.POST.get("inspected_on"):
        try:
            inspected_on = datetime.date.fromisoformat(request.POST["inspected_on"])
        except ValueError:
            messages.error(request, _("Inspected on: enter a valid date."))
            return redirect("inspections:inspection_submit", pk=inspection.pk)
    try:
        inspection = actions.submit_inspection(
            actor=request.user, inspection=inspection, inspected_on=inspected_on
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(inspection)
    messages.success(
        request,
        _("Inspection submitted: score %(score)s.")
        % {"score": format_percent(inspection.score) if inspection.score is not None else "—"},
    )
    return redirect(inspection)


@login_required
@require_POST
def inspection_amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    form = AmendForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            actions.amend_answer(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The amendment was recorded and the score recomputed."))
    else:
        messages.error(request, _("Choose the criterion and say why it is corrected."))
    return redirect(inspection)


@login_required
@require_POST
def inspection_check_action(request: AuthenticatedRequest, pk: int, action_id: int) -> HttpResponse:
    """Verify on the spot an action still open from an earlier inspection of this target."""
    inspection = _inspection(request, pk)
    action = get_object_or_404(
        CorrectiveAction.objects.visible_to(request.user).of_target(inspection), pk=action_id
    )
    form = RevisitCheckForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.check_action_on_revisit(
                actor=request.user,
                inspection=inspection,
                action=action,
                closed=form.cleaned_data["decision"] == "closed",
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The check of the corrective action was recorded."))
    else:
        messages.error(request, _("Say whether the action is done or still open."))
    return redirect(f"{inspection.get_absolute_url()}#revisit")


@login_required
@require_POST
def finding_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    form = FindingForm(request.POST, inspection=inspection)
    # From the phone checklist, the inspector goes back to the criterion they were on.
    back = f"{inspection.get_absolute_url()}#findings"
    if request.POST.get("back") == "run" and not inspection.is_locked():
        criterion = request.POST.get("criterion", "")
        anchor = f"#criterion-{criterion}" if criterion.isdigit() else "#finish"
        back = reverse("inspections:inspection_run", args=[inspection.pk]) + anchor
    if form.is_valid():
        try:
            actions.record_finding(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Finding recorded."))
    else:
        messages.error(request, errors_as_text(form))
    return redirect(back)


def _language(request: AuthenticatedRequest) -> str:
    requested = request.GET.get("lang")
    if requested in ("vi", "en"):
        return requested
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "vi"


@login_required
@require_GET
def inspection_report_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    response = HttpResponse(
        documents.render_docx(inspection, _language(request), by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="inspection-{inspection.pk}.docx"'
    return response


@login_required
@require_GET
def inspection_report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    response = HttpResponse(
        documents.render_pdf(inspection, _language(request), by=request.user),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="inspection-{inspection.pk}.pdf"'
    return response


@login_required
@require_GET
def unit_trend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)
    inspections = Inspection.objects.visible_to(request.user).filter(unit=unit)
    rows = figures.trend(inspections)
    return render(
        request,
        "inspections/unit_trend.html",
        {
            "unit": unit,
            "rows": rows,
            "points": figures.sparkline_points([row["score"] for row in rows]),
            "by_criterion": figures.by_criterion(inspections),
        },
    )
