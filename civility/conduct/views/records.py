"""Pages for violation records: the list, one's own records, filing, the record page and
its steps, evidence and questions to an anonymous reporter.

Every fetch is scoped: records through `visible_to(user)` (handlers of the subtree and the
official concerned), so anything else is a 404. Showing a confidential record, on its page or
in a list, writes an ACCESS event to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civility.conduct import actions
from civility.conduct.forms import (
    ConfirmForm,
    DetailsForm,
    DismissForm,
    EvidenceForm,
    NoteForm,
    QuestionForm,
    RecordFilterForm,
    RecordForm,
)
from civility.conduct.models import (
    READER_ROLES,
    AnonymousReport,
    RecordEvidence,
    RecordStatus,
    RecordStep,
    ViolationGroup,
    ViolationRecord,
    ViolationType,
)
from civility.conduct.rules import RULE_SETS, rule_set_on
from civility.core.files import serve
from civility.core.forms import add_errors, errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of


@login_required
@require_GET
def record_list(request: AuthenticatedRequest) -> HttpResponse:
    focus = focus_unit(request, READER_ROLES)
    if focus is None:
        return redirect("conduct:my_records")
    form = RecordFilterForm(
        request.GET,
        request=request,
        default_unit=focus,
        groups=ViolationGroup.objects.for_unit(focus),
    )
    unit: OrgUnit = form.cleaned_data.get("unit") or focus
    listing = paginate(
        request,
        form.filter(ViolationRecord.objects.visible_to(request.user).with_related()),
        sorts=form.SORTS,
        default="-reported",
    )
    actions.read_records(actor=request.user, records=listing.page.object_list)
    counts = dict(
        ViolationRecord.objects.visible_to(request.user)
        .under(unit)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "unit": unit,
        "form": form,
        "listing": listing,
        "counts": [
            (status, label, counts.get(status, 0)) for status, label in RecordStatus.choices
        ],
        "can_report": actions.can_report(request.user, unit),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "conduct/record_list.html#results", context)
    return render(request, "conduct/record_list.html", context)


@login_required
@require_GET
def my_records(request: AuthenticatedRequest) -> HttpResponse:
    records = list(
        ViolationRecord.objects.filter(official__user=request.user)
        .with_related()
        .order_by("-occurred_on", "-pk")
    )
    actions.read_records(actor=request.user, records=records)
    return render(request, "conduct/my_records.html", {"records": records})


def _record_form(
    request: AuthenticatedRequest,
    data: QueryDict | None = None,
    files: MultiValueDict[str, UploadedFile[Any]] | None = None,
    initial: dict[str, Any] | None = None,
) -> RecordForm:
    scope = scope_of(request.user)
    units = OrgUnit.objects.filter(scope.q("path", roles=READER_ROLES)).order_by("path")
    officials = Official.objects.filter(scope.q("unit__path", roles=READER_ROLES)).active()
    own = getattr(request.user, "official", None) if request.user.is_authenticated else None
    if own is not None:
        officials = officials | Official.objects.filter(pk=own.pk)
    unit = focus_unit(request, READER_ROLES)
    types = ViolationType.objects.usable().visible_to(request.user)
    if unit is not None:
        types = types.for_unit(unit)
    form = RecordForm(
        data,
        files,
        initial=initial,
        officials=officials.select_related("unit").order_by("full_name"),
        units=units,
        types=types,
    )
    form.fields["unit"].widget.narrow(role=READER_ROLES, all=True)
    form.fields["official"].widget.narrow(role=READER_ROLES)
    return form


@login_required
def record_create(request: AuthenticatedRequest) -> HttpResponse:
    initial = {"occurred_on": timezone.localdate(), "confidential": True}
    if request.GET.get("official", "").isdigit():
        initial["official"] = request.GET["official"]
    form = _record_form(request, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = actions.report_violation(
                actor=request.user,
                unit=data["unit"],
                official=data["official"],
                violation_type=data["type"],
                occurred_on=data["occurred_on"],
                source=data["source"],
                description=data["description"],
                severity=data["severity"],
                location=data["location"],
                source_reference=data["source_reference"],
                source_url=data["source_url"],
                confidential=data["confidential"],
                files=data["files"],
                links=form.link_list(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot file a record for this unit or official."))
        else:
            messages.success(request, _("Record %(number)s filed.") % {"number": record.number})
            return redirect(record)
    return render(request, "conduct/record_form.html", {"form": form})


def _record(request: AuthenticatedRequest, pk: int) -> ViolationRecord:
    return get_object_or_404(ViolationRecord.objects.visible_to(request.user).with_related(), pk=pk)


@login_required
@require_GET
@never_cache
def record_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    actions.read_record(actor=request.user, record=record)
    can_handle = actions.can_handle(request.user, record)
    can_decide = actions.can_decide(request.user, record)
    report = AnonymousReport.objects.filter(record=record).first() if can_handle else None
    context = {
        "record": record,
        "steps": _steps(request, record),
        "evidence": record.evidence.all(),
        "show_reporter": actions.may_see_reporter(request.user, record),
        "can_handle": can_handle,
        "can_decide": can_decide,
        "report": report,
        "report_messages": report.messages.select_related("author") if report else [],
        "rule_set": record.rule_set_obj(),
    }
    if can_handle and record.is_open():
        types = ViolationType.objects.usable().for_unit(record.unit)
        officials = Official.objects.under(record.unit).active().order_by("full_name")
        details_form = DetailsForm(
            initial={
                "type": record.type_id,
                "official": record.official_id,
                "severity": record.severity,
            },
            officials=officials,
            types=types,
        )
        details_form.fields["official"].widget.narrow(under=record.unit)
        context["details_form"] = details_form
        context["evidence_form"] = EvidenceForm()
        context["note_form"] = NoteForm()
        if report is not None:
            context["question_form"] = QuestionForm()
    if can_decide and record.status == RecordStatus.VERIFYING:
        context["confirm_form"] = ConfirmForm(
            initial={
                "severity": record.severity
                or (record.type.default_severity if record.type else ""),
                "decision_date": timezone.localdate(),
                "related_to_duties": (
                    ("yes" if record.type.related_to_duties else "no") if record.type else ""
                ),
            }
        )
        context["dismiss_form"] = DismissForm()
        context["rule_sets"] = RULE_SETS
        if record.official is not None:
            context["rule_note"] = rule_set_on(timezone.localdate()).note_for(
                record.official.staff_category
            )
    if can_decide and record.status in (RecordStatus.CONFIRMED, RecordStatus.DISMISSED):
        context["close_form"] = NoteForm()
    return render(request, "conduct/record_detail.html", context)


def _steps(
    request: AuthenticatedRequest, record: ViolationRecord
) -> list[tuple[RecordStep, User | None]]:
    """Steps with the actor to show: the official concerned never sees the reporter's name."""
    show_all = actions.may_see_reporter(request.user, record)
    return [
        (step, step.actor if show_all or step.actor_id != record.reported_by_id else None)
        for step in record.steps.select_related("actor")
    ]


def _step_view(
    request: AuthenticatedRequest,
    pk: int,
    form_class: type[forms.Form],
    run: Callable[[ViolationRecord, dict[str, Any]], object],
) -> HttpResponse:
    """POST a step form, run the action, go back to the record with a message."""
    record = _record(request, pk)
    return _run_step(request, record, form_class(request.POST, request.FILES or None), run)


def _run_step(
    request: AuthenticatedRequest,
    record: ViolationRecord,
    form: forms.Form,
    run: Callable[[ViolationRecord, dict[str, Any]], object],
) -> HttpResponse:
    """Run the action with a valid form's data; back to the record with a message either way."""
    if not form.is_valid():
        messages.error(request, errors_as_text(form))
        return redirect(record)
    try:
        run(record, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Record %(number)s updated.") % {"number": record.number})
    return redirect(record)


@login_required
@require_POST
def record_verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        NoteForm,
        lambda record, data: actions.start_verification(
            actor=request.user, record=record, note=data["note"]
        ),
    )


@login_required
@require_POST
def record_details(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = DetailsForm(
        request.POST,
        officials=Official.objects.under(record.unit),
        types=ViolationType.objects.usable().for_unit(record.unit),
    )
    return _run_step(
        request,
        record,
        form,
        lambda record, data: actions.update_record_details(
            actor=request.user,
            record=record,
            violation_type=data["type"],
            official=data["official"],
            severity=data["severity"],
        ),
    )


@login_required
@require_POST
def record_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        ConfirmForm,
        lambda record, data: actions.confirm_record(actor=request.user, record=record, **data),
    )


@login_required
@require_POST
def record_dismiss(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        DismissForm,
        lambda record, data: actions.dismiss_record(
            actor=request.user, record=record, reason=data["reason"]
        ),
    )


@login_required
@require_POST
def record_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        NoteForm,
        lambda record, data: actions.close_record(
            actor=request.user, record=record, note=data["note"]
        ),
    )


@login_required
@require_POST
def record_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        EvidenceForm,
        lambda record, data: actions.add_evidence(
            actor=request.user,
            record=record,
            upload=data["file"],
            url=data["url"],
            label=data["label"],
        ),
    )


@login_required
@require_GET
@never_cache
def evidence_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """An evidence file, to whoever may read its record; a confidential record's read is
    audited like opening the record."""
    evidence = get_object_or_404(
        RecordEvidence.objects.filter(
            record__in=ViolationRecord.objects.visible_to(request.user)
        ).select_related("record"),
        pk=pk,
    )
    actions.read_record(actor=request.user, record=evidence.record)
    return serve(evidence.file, filename=evidence.download_name)


@login_required
@require_POST
def record_ask(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        QuestionForm,
        lambda record, data: actions.ask_reporter(
            actor=request.user, record=record, text=data["text"]
        ),
    )
