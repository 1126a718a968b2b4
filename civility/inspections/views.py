"""Pages for checklists, plans, inspections (the phone checklist), findings and corrective
actions, reports and analytics.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, in
scope but not allowed is a 403.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.core.audit import log_reads
from civility.core.files import serve
from civility.core.i18n import format_number, format_percent
from civility.core.listing import paginate
from civility.core.photos import ACCEPT_ATTRIBUTE
from civility.inspections import actions, analytics, documents, scoring, spreadsheets
from civility.inspections.forms import (
    ActionFilterForm,
    AmendForm,
    AnswerForm,
    CriterionForm,
    FindingForm,
    InspectionFilterForm,
    PhotoForm,
    PlanForm,
    PlanInspectionsForm,
    RespondForm,
    RevisitCheckForm,
    StartForm,
    TemplateImportForm,
    VerifyForm,
)
from civility.inspections.models import (
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    ActionStatus,
    ActionStep,
    ChecklistTemplate,
    CorrectiveAction,
    Criterion,
    EvidenceFile,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Photo,
    TemplateVersion,
)
from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.provinces import shipped_for
from civility.orgs.scopes import scope_of


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Overview ------------------------------------------------------------------------------


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
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
        "can_start": bool(scope_of(request.user).paths_with_role(*INSPECTOR_ROLES))
        or scope_of(request.user).is_global,
        "overdue": corrective.overdue().count(),
        "escalated": corrective.not_closed().escalated_to(request.user).count(),
    }
    return render(request, "inspections/inspection_list.html", context)


# --- Templates -----------------------------------------------------------------------------


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = (
        ChecklistTemplate.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(version_count=Count("versions"))
    )
    seed_units = [
        unit
        for unit in OrgUnit.objects.filter(
            scope_of(request.user).q("path", roles=MANAGER_ROLES), kind=UnitKind.PROVINCE
        ).order_by("name")
        if (slugs := shipped_for(unit, actions.SEEDS))
        and ChecklistTemplate.objects.filter(slug__in=slugs).count() != len(slugs)
    ]
    return render(
        request,
        "inspections/template_list.html",
        {"templates": templates, "seed_units": seed_units},
    )


@login_required
@require_POST
def template_seed(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).filter(kind=UnitKind.PROVINCE),
        pk=request.POST.get("unit"),
    )
    slugs = shipped_for(unit, actions.SEEDS)
    if not slugs:
        messages.error(
            request,
            _("Civility ships no checklist for %(province)s.") % {"province": unit.display_name},
        )
        return redirect("inspections:template_list")
    for slug in slugs:
        actions.load_template_seed(actor=request.user, unit=unit, slug=slug)
    messages.success(request, _("The three shipped checklists were loaded."))
    return redirect("inspections:template_list")


def _template(request: HttpRequest, pk: int) -> ChecklistTemplate:
    return get_object_or_404(
        ChecklistTemplate.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    versions = list(template.versions.annotate(used=Count("inspections")).order_by("-number"))
    number = request.GET.get("version")
    version = next(
        (v for v in versions if str(v.number) == number), versions[0] if versions else None
    )
    sections = (
        version.sections.prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.select_related("provision__chapter__version__code"),
            )
        )
        if version
        else []
    )
    return render(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "version": version,
            "sections": sections,
            "is_latest": bool(versions) and version == versions[0],
            "can_manage": actions.can_manage_template(request.user, template),
        },
    )


@login_required
@require_GET
def template_export(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    version = get_object_or_404(
        TemplateVersion,
        template=template,
        number=request.GET.get("version") or template.current_version().number,
    )
    response = HttpResponse(
        spreadsheets.export_version(version, by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="checklist-{template.slug}-v{version.number}.xlsx"'
    )
    return response


@login_required
def template_import(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    if not actions.can_manage_template(request.user, template):
        raise PermissionDenied
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sections = spreadsheets.parse_workbook(form.cleaned_data["file"].read())
            version = actions.create_template_version(
                actor=request.user,
                template=template,
                sections=sections,
                note=form.cleaned_data["note"] or _("Imported from .xlsx"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)d created from the file.") % {"number": version.number}
            )
            return redirect(template)
    return render(request, "inspections/template_import.html", {"template": template, "form": form})


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(
            section__version__template__in=ChecklistTemplate.objects.visible_to(request.user)
        ).select_related("section__version__template__unit"),
        pk=pk,
    )
    template = criterion.section.version.template
    if not actions.can_manage_template(request.user, template):
        raise PermissionDenied
    form = CriterionForm(request.POST or None, instance=Criterion.objects.get(pk=criterion.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in CriterionForm.Meta.fields}
        try:
            updated = actions.update_criterion(actor=request.user, criterion=criterion, **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if updated.section.version_id != criterion.section.version_id:
                messages.success(
                    request,
                    _("The checklist is in use, so version %(number)d was created.")
                    % {"number": updated.section.version.number},
                )
            else:
                messages.success(request, _("Criterion saved."))
            return redirect(template)
    return render(
        request,
        "inspections/criterion_form.html",
        {"criterion": criterion, "template": template, "form": form},
    )


# --- Plans ---------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        InspectionPlan.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(
            total=Count("inspections", filter=~Q(inspections__status=InspectionStatus.CANCELLED)),
            done=Count("inspections", filter=Q(inspections__status=InspectionStatus.SUBMITTED)),
        )
    )
    can_create = scope_of(request.user).is_global or bool(
        scope_of(request.user).paths_with_role(*MANAGER_ROLES)
    )
    return render(request, "inspections/plan_list.html", {"plans": plans, "can_create": can_create})


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(plan)
    return render(request, "inspections/plan_form.html", {"form": form})


def _plan(request: HttpRequest, pk: int) -> InspectionPlan:
    return get_object_or_404(
        InspectionPlan.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    inspections = plan.inspections.visible_to(request.user)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "inspections": inspections.with_related().order_by("planned_on", "unit__name"),
            "progress": analytics.progress(inspections),
            "by_unit": analytics.average_by_unit(inspections),
            "by_criterion": analytics.by_criterion(inspections),
            "most_failed": analytics.most_failed(inspections),
            "can_manage": actions.can_manage_plan(request.user, plan),
        },
    )


@login_required
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not actions.can_manage_plan(request.user, plan):
        raise PermissionDenied
    form = PlanInspectionsForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = actions.add_plan_inspections(
                actor=request.user,
                plan=plan,
                template=data["template"],
                planned_on=data["planned_on"],
                units=list(data["units"]),
                places=list(data["places"]),
                kind=data["kind"],
                inspecting_unit=data["inspecting_unit"],
                team=list(data["team"]),
                team_note=data["team_note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s inspection planned.", "%(count)s inspections planned.", len(created)
                )
                % {"count": format_number(len(created))},
            )
            return redirect(plan)
    return render(request, "inspections/plan_add.html", {"plan": plan, "form": form})


# --- Inspections ---------------------------------------------------------------------------


@login_required
def inspection_start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.start_inspection_on_the_spot(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:inspection_run", inspection.pk)
    return render(request, "inspections/inspection_start.html", {"form": form})


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return get_object_or_404(Inspection.objects.visible_to(request.user).with_related(), pk=pk)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def inspection_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone checklist: one criterion after another; answers save as you go and survive
    losing the network (static/inspections/run.js)."""
    inspection = _inspection(request, pk)
    if not actions.can_conduct(request.user, inspection):
        raise PermissionDenied
    if inspection.is_locked():
        return redirect(inspection)
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    photos: dict[int | None, list] = {}
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
                    "scores": range(0, (criterion.max_score or 0) + 1),
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
def inspection_answer(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
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
def inspection_photo(request: HttpRequest, pk: int) -> HttpResponse:
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
def photo_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    photo = get_object_or_404(
        Photo.objects.filter(inspection__in=Inspection.objects.visible_to(request.user)), pk=pk
    )
    return serve(photo.image, filename=photo.download_name)


@login_required
@require_GET
def step_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The photo taken when an action was checked on a revisit."""
    step = get_object_or_404(
        ActionStep.objects.filter(action__in=CorrectiveAction.objects.visible_to(request.user)),
        pk=pk,
    )
    return serve(step.photo, filename=step.photo_download_name)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A unit's evidence that a corrective action was carried out."""
    evidence = get_object_or_404(
        EvidenceFile.objects.filter(action__in=CorrectiveAction.objects.readable_by(request.user)),
        pk=pk,
    )
    return serve(evidence.file, filename=evidence.download_name)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_submit(request: HttpRequest, pk: int) -> HttpResponse:
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
def inspection_amend(request: HttpRequest, pk: int) -> HttpResponse:
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
def inspection_check_action(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
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
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
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
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(back)


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("lang")
    if requested in ("vi", "en"):
        return requested
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "vi"


@login_required
@require_GET
def inspection_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    response = HttpResponse(
        documents.render_docx(inspection, _language(request), by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="inspection-{inspection.pk}.docx"'
    return response


@login_required
@require_GET
def inspection_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    response = HttpResponse(
        documents.render_pdf(inspection, _language(request), by=request.user),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="inspection-{inspection.pk}.pdf"'
    return response


@login_required
@require_GET
def unit_trend(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)
    inspections = Inspection.objects.visible_to(request.user).filter(unit=unit)
    rows = analytics.trend(inspections)
    return render(
        request,
        "inspections/unit_trend.html",
        {
            "unit": unit,
            "rows": rows,
            "points": analytics.sparkline_points([row["score"] for row in rows]),
            "by_criterion": analytics.by_criterion(inspections),
        },
    )


# --- Corrective actions --------------------------------------------------------------------


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
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


def _log_serving_reads(user, rows: list[CorrectiveAction]) -> None:
    """Audit the reads of actions a ward head sees only because the counter serves the ward."""
    ids = [row.pk for row in rows]
    if ids:
        log_reads(
            actor=user,
            instances=CorrectiveAction.objects.filter(pk__in=ids).serving_only_for(user),
        )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
            _add_errors(form, error)
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
