"""The public pages, no login: report an official's conduct anonymously and follow the
report with its receipt code and secret."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civility.conduct import actions
from civility.conduct.forms import (
    AnswerForm,
    PublicReportForm,
    ReceiptForm,
)
from civility.conduct.models import (
    AnonymousReport,
)
from civility.core.forms import add_errors
from civility.core.receipts import normalize_code
from civility.feedback import throttle
from civility.orgs.models import OrgUnit, OrgUnitQuerySet, UnitKind

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


def _public_units() -> OrgUnitQuerySet:
    return OrgUnit.objects.current().filter(kind__in=PUBLIC_UNIT_KINDS)


@require_GET
def public_start(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    units = (
        _public_units().search(query).select_related("parent").order_by("name")[:30]
        if len(query) >= 2
        else []
    )
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
            add_errors(form, error)
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
    context: dict[str, object] = {"form": lookup, "report": report, "answer_form": answer_form}
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
    receipt = (throttle.key_for("receipt", normalize_code(receipt_code)), burst, refill)
    throttle.spend([throttle.client_bucket(request, "THROTTLE_LOOKUP"), receipt])
    report = actions.find_anonymous_report(receipt_code=receipt_code, secret=secret)
    if report is not None:
        throttle.give_back([receipt])
    return report
