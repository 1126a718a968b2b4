"""Pages for violation records, the catalogue and the figures; the public report page.

Every fetch is scoped: records through `visible_to(user)` (handlers of the subtree and the
official concerned), so anything else is a 404. Showing a confidential record, on its page or
in a list, writes an ACCESS event to the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civility.conduct import actions
from civility.conduct.figures import conduct_figures
from civility.conduct.forms import (
    AnswerForm,
    CatalogueImportForm,
    ConfirmForm,
    DetailsForm,
    DismissForm,
    EvidenceForm,
    FiguresForm,
    NewTypeForm,
    NoteForm,
    PublicReportForm,
    QuestionForm,
    ReceiptForm,
    RecordFilterForm,
    RecordForm,
    TypeForm,
)
from civility.conduct.models import (
    CATALOGUE_ROLES,
    READER_ROLES,
    AnonymousReport,
    RecordEvidence,
    RecordStatus,
    ViolationGroup,
    ViolationRecord,
    ViolationType,
)
from civility.conduct.rules import RULE_SETS, rule_set_on
from civility.core.files import serve
from civility.core.i18n import format_number
from civility.core.listing import paginate
from civility.feedback import throttle
from civility.orgs.access import for_roles
from civility.orgs.context_processors import selected_unit
from civility.orgs.imports import ImportFileError, read_table
from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.provinces import shipped_for
from civility.orgs.scopes import scope_of

PAGE_SIZE = 50


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _focus_unit(request: HttpRequest) -> OrgUnit | None:
    """The unit chosen in the switcher, if the user handles records there."""
    scope = scope_of(request.user)
    unit = selected_unit(request)
    if unit is not None and scope.covers(unit, roles=READER_ROLES):
        return unit
    paths = scope.paths_with_role(*READER_ROLES)
    return OrgUnit.objects.filter(path__in=paths).order_by("path").first() if paths else None


# --- Records -----------------------------------------------------------------------------


@login_required
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    focus = _focus_unit(request)
    if focus is None:
        return redirect("conduct:my_records")
    form = RecordFilterForm(
        request.GET,
        request=request,
        default_unit=focus,
        groups=ViolationGroup.objects.for_unit(focus),
    )
    unit = form.unit
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
def my_records(request: HttpRequest) -> HttpResponse:
    records = list(
        ViolationRecord.objects.filter(official__user=request.user)
        .with_related()
        .order_by("-occurred_on", "-pk")
    )
    actions.read_records(actor=request.user, records=records)
    return render(request, "conduct/my_records.html", {"records": records})


def _record_form(request: HttpRequest, data=None, files=None, initial=None) -> RecordForm:
    scope = scope_of(request.user)
    units = OrgUnit.objects.filter(scope.q("path", roles=READER_ROLES)).order_by("path")
    officials = Official.objects.filter(scope.q("unit__path", roles=READER_ROLES)).active()
    own = getattr(request.user, "official", None) if request.user.is_authenticated else None
    if own is not None:
        officials = officials | Official.objects.filter(pk=own.pk)
    unit = _focus_unit(request)
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
def record_create(request: HttpRequest) -> HttpResponse:
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
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot file a record for this unit or official."))
        else:
            messages.success(request, _("Record %(number)s filed.") % {"number": record.number})
            return redirect(record)
    return render(request, "conduct/record_form.html", {"form": form})


def _record(request: HttpRequest, pk: int) -> ViolationRecord:
    return get_object_or_404(ViolationRecord.objects.visible_to(request.user).with_related(), pk=pk)


@login_required
@require_GET
@never_cache
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
        context["details_form"] = DetailsForm(
            initial={
                "type": record.type_id,
                "official": record.official_id,
                "severity": record.severity,
            },
            officials=officials,
            types=types,
        )
        context["details_form"].fields["official"].widget.narrow(under=record.unit)
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


def _steps(request: HttpRequest, record: ViolationRecord) -> list:
    """Steps with the actor to show: the official concerned never sees the reporter's name."""
    show_all = actions.may_see_reporter(request.user, record)
    return [
        (step, step.actor if show_all or step.actor_id != record.reported_by_id else None)
        for step in record.steps.select_related("actor")
    ]


def _step_view(request: HttpRequest, pk: int, form_class, run) -> HttpResponse:
    """POST a step form, run the action, go back to the record with a message."""
    record = _record(request, pk)
    form = form_class(request.POST, request.FILES or None)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
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
def record_verify(request: HttpRequest, pk: int) -> HttpResponse:
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
def record_details(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = DetailsForm(
        request.POST,
        officials=Official.objects.under(record.unit),
        types=ViolationType.objects.usable().for_unit(record.unit),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(record)
    try:
        actions.update_record_details(
            actor=request.user,
            record=record,
            violation_type=form.cleaned_data["type"],
            official=form.cleaned_data["official"],
            severity=form.cleaned_data["severity"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Record %(number)s updated.") % {"number": record.number})
    return redirect(record)


@login_required
@require_POST
def record_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        ConfirmForm,
        lambda record, data: actions.confirm_record(actor=request.user, record=record, **data),
    )


@login_required
@require_POST
def record_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
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
def record_close(request: HttpRequest, pk: int) -> HttpResponse:
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
def record_evidence(request: HttpRequest, pk: int) -> HttpResponse:
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
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
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
def record_ask(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_view(
        request,
        pk,
        QuestionForm,
        lambda record, data: actions.ask_reporter(
            actor=request.user, record=record, text=data["text"]
        ),
    )


# --- Catalogue ---------------------------------------------------------------------------


def _catalogue_unit(request: HttpRequest) -> OrgUnit | None:
    """The province (or unit) whose catalogue applies where the user works."""
    unit = selected_unit(request)
    if unit is None:
        return None
    group = (
        ViolationGroup.objects.for_unit(unit)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    return group.unit if group is not None else None


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    owner = _catalogue_unit(request)
    show_retired = request.GET.get("retired") == "1"
    groups = []
    if owner is not None:
        for group in ViolationGroup.objects.filter(unit=owner).prefetch_related("types"):
            types = [t for t in group.types.all() if show_retired or t.is_current()]
            current = [t for t in group.types.all() if t.is_current()]
            groups.append(
                {
                    "group": group,
                    "types": types,
                    "empty": sum(1 for t in current if t.is_empty_slot()),
                    "filled": sum(1 for t in current if not t.is_empty_slot()),
                }
            )
    unit = selected_unit(request)
    seed_unit = None
    if owner is None and unit is not None:
        province = unit.province
        if (
            province is not None
            and shipped_for(province, actions.SEEDS)
            and actions.can_manage_catalogue(request.user, province)
        ):
            seed_unit = province
    return render(
        request,
        "conduct/catalogue.html",
        {
            "owner": owner,
            "groups": groups,
            "empty_total": sum(g["empty"] for g in groups),
            "show_retired": show_retired,
            "can_manage": owner is not None and actions.can_manage_catalogue(request.user, owner),
            "seed_unit": seed_unit,
        },
    )


@login_required
@require_POST
def catalogue_seed(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.filter(scope_of(request.user).q("path", roles=CATALOGUE_ROLES)),
        pk=request.POST.get("unit"),
    )
    try:
        created = actions.load_catalogue_seed(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s catalogue item loaded.", "%(count)s catalogue items loaded.", created
            )
            % {"count": format_number(created)},
        )
    return redirect("conduct:catalogue")


def _type(request: HttpRequest, pk: int) -> ViolationType:
    violation_type = get_object_or_404(
        ViolationType.objects.visible_to(request.user).select_related("group__unit"), pk=pk
    )
    if not actions.can_manage_catalogue(request.user, violation_type.group.unit):
        raise PermissionDenied
    return violation_type


@login_required
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    violation_type = _type(request, pk)
    initial = {name: getattr(violation_type, name) for name in TypeForm.base_fields}
    if violation_type.is_empty_slot():
        initial.update(title="", title_en="", text_status="official")
    form = TypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.revise_violation_type(
                actor=request.user, violation_type=violation_type, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if new.pk != violation_type.pk:
                messages.success(
                    request,
                    _(
                        "Version %(version)d of %(key)s saved; records keep the wording they "
                        "were filed under."
                    )
                    % {"version": new.version, "key": new.key},
                )
            else:
                messages.success(request, _("%(key)s saved.") % {"key": new.key})
            return redirect("conduct:catalogue")
    return render(
        request, "conduct/type_form.html", {"form": form, "violation_type": violation_type}
    )


@login_required
def type_create(request: HttpRequest) -> HttpResponse:
    owner = _catalogue_unit(request)
    if owner is None or not actions.can_manage_catalogue(request.user, owner):
        raise PermissionDenied
    form = NewTypeForm(
        request.POST or None,
        initial={"text_status": "official"},
        groups=ViolationGroup.objects.filter(unit=owner),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group, key = data.pop("group"), data.pop("key")
        try:
            actions.create_violation_type(actor=request.user, group=group, key=key, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(key)s added.") % {"key": key})
            return redirect("conduct:catalogue")
    return render(request, "conduct/type_form.html", {"form": form, "violation_type": None})


@login_required
@require_POST
def type_retire(request: HttpRequest, pk: int) -> HttpResponse:
    violation_type = actions.retire_violation_type(
        actor=request.user, violation_type=_type(request, pk)
    )
    messages.success(request, _("%(key)s retired.") % {"key": violation_type.key})
    return redirect("conduct:catalogue")


@login_required
def catalogue_import(request: HttpRequest) -> HttpResponse:
    owner = _catalogue_unit(request)
    if owner is None or not actions.can_manage_catalogue(request.user, owner):
        raise PermissionDenied
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            result = actions.import_catalogue(
                actor=request.user, unit=owner, table=table, dry_run=form.cleaned_data["dry_run"]
            )
            if result.written:
                messages.success(
                    request,
                    _(
                        "Catalogue imported: %(created)d added, %(updated)d revised, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("conduct:catalogue")
    return render(
        request, "conduct/catalogue_import.html", {"form": form, "result": result, "owner": owner}
    )


# --- Figures -----------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*READER_ROLES)
def figures(request: HttpRequest) -> HttpResponse:
    unit = _focus_unit(request)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    initial = {
        "start": today.replace(month=1, day=1),
        "end": today,
        "threshold": actions.repeat_threshold(),
    }
    form = FiguresForm(request.GET or initial)
    result = None
    if form.is_valid():
        result = conduct_figures(
            unit=unit,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            threshold=form.cleaned_data["threshold"],
        )
    return render(request, "conduct/figures.html", {"form": form, "figures": result, "unit": unit})


# --- Public page -------------------------------------------------------------------------


PUBLIC_UNIT_KINDS = (
    UnitKind.WARD,
    UnitKind.COMMUNE,
    UnitKind.SPECIAL_ZONE,
    UnitKind.DEPARTMENT,
    UnitKind.SERVICE_CENTER,
    UnitKind.SERVICE_BRANCH,
    UnitKind.SERVICE_POINT,
    UnitKind.PUBLIC_SERVICE_UNIT,
    UnitKind.COUNTER,
)


def _public_units():
    return OrgUnit.objects.current().filter(kind__in=PUBLIC_UNIT_KINDS)


@require_GET
def public_start(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    units = _public_units().search(query).order_by("name")[:30] if len(query) >= 2 else []
    return render(request, "conduct/public_start.html", {"query": query, "units": units})


@never_cache
@throttle.limit("THROTTLE_PUBLIC")
def public_report(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(_public_units(), pk=unit_id)
    form = PublicReportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "unit": unit}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The token goes with the report: a report refused as invalid costs none.
            with transaction.atomic():
                throttle.spend([throttle.client_bucket(request, "THROTTLE_CONDUCT_REPORT")])
                report, secret = actions.file_anonymous_report(
                    unit=unit,
                    official_hint=data["official_hint"],
                    description=data["description"],
                    occurred_on=data["occurred_on"],
                    location=data["location"],
                    files=data["files"],
                    contact=data["contact"] if data["leave_contact"] else "",
                    submission_id=data["submission_id"],
                )
        except throttle.Throttled as exc:
            return throttle.too_many_requests(
                request, exc, template="conduct/public_report.html", context=context
            )
        except ValidationError as error:
            _add_errors(form, error)
        except actions.ReportAlreadyFiled:
            return render(request, "conduct/public_already_filed.html", {"unit": unit})
        else:
            # Shown once, in this response only: the secret is not kept anywhere readable.
            return render(
                request,
                "conduct/public_receipt.html",
                {"report": report, "secret": secret, "unit": unit},
            )
    return render(request, "conduct/public_report.html", context)


@never_cache
@throttle.limit("THROTTLE_PUBLIC")
def public_status(request: HttpRequest) -> HttpResponse:
    """Read a report's status and answer questions with the receipt code and secret.

    Both travel in POST bodies only, never in a URL, so they stay out of access logs.
    """
    report = None
    answer_form = None
    if request.method == "POST" and "text" in request.POST:
        answer_form = AnswerForm(request.POST)
        lookup = ReceiptForm(
            {"receipt_code": request.POST.get("receipt_code"), "secret": request.POST.get("secret")}
        )
    else:
        lookup = ReceiptForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        try:
            report = _find_report(request, **lookup.cleaned_data)
        except throttle.Throttled as exc:
            return throttle.too_many_requests(
                request, exc, template="conduct/public_status.html", context={"form": lookup}
            )
        if report is None:
            lookup.add_error(None, _("No report matches this receipt code and secret."))
    if report is not None and answer_form is not None and answer_form.is_valid():
        try:
            actions.answer_as_reporter(report=report, text=answer_form.cleaned_data["text"])
        except ValidationError as error:
            answer_form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was sent."))
            answer_form = None
    if report is not None and answer_form is None:
        answer_form = AnswerForm(
            initial={
                "receipt_code": lookup.cleaned_data["receipt_code"],
                "secret": lookup.cleaned_data["secret"],
            }
        )
    context = {"form": lookup, "report": report, "answer_form": answer_form}
    if report is not None:
        context["record"] = report.record
        context["thread"] = report.messages.all()
        context["has_question"] = report.messages.filter(from_reporter=False).exists()
    return render(request, "conduct/public_status.html", context)


def _find_report(request: HttpRequest, *, receipt_code: str, secret: str) -> AnonymousReport | None:
    """The report if the secret matches, checked only after the client's and the receipt's
    allowances (the check costs a password hash, also for unknown codes). Every lookup counts
    for the client; only wrong secrets count for the receipt, so its reporter is not locked
    out by their own visits."""
    burst, refill = settings.THROTTLE_RECEIPT
    receipt = (throttle.key_for("receipt", actions.normalize_code(receipt_code)), burst, refill)
    throttle.spend([throttle.client_bucket(request, "THROTTLE_LOOKUP"), receipt])
    report = actions.find_anonymous_report(receipt_code=receipt_code, secret=secret)
    if report is not None:
        throttle.give_back([receipt])
    return report
