"""Pages of the citizens' voice.

Public (no login): the counter's page behind its QR code (rate, call for help), rating by
dossier code, reporting a public place, the receipt page, the kiosk shell. Staff: figures,
the assistance desk, report triage, hotspots, kiosks of a counter, dossier figures.
Every staff fetch is scoped (`visible_to(user)`): outside the scope is a 404.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.core import receipts
from civility.core.audit import log_reads
from civility.core.clients import client_network
from civility.core.files import extension_of, serve
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.feedback import actions, conf, figures, stream, throttle, trust
from civility.feedback.forms import (
    DossierImportForm,
    DossierRatingForm,
    NoteForm,
    PeriodForm,
    RatingForm,
    ReceiptLookupForm,
    ReportFilterForm,
    ReportForm,
    SecretForm,
)
from civility.feedback.models import (
    DOSSIER_UNIT_KINDS,
    RATED_UNIT_KINDS,
    STAFF_ROLES,
    AssistanceCall,
    AssistanceCallQuerySet,
    CounterDevice,
    DossierStat,
    FollowUpCase,
    PublicReport,
    ReportChannel,
    SessionCounter,
    answers,
    bell_paths,
)
from civility.feedback.scales import current_scale
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, OrgUnitQuerySet, Place
from civility.orgs.scopes import MANAGER_ROLES, scope_of

DEVICE_COOKIE = "cv_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600


# --- helpers for public pages ----------------------------------------------------------------


def _device_key(request: HttpRequest) -> tuple[str, str | None]:
    """The phone's random cookie (made here if missing) for throttling only: it is never
    stored with a rating or report, and buckets keyed by its HMAC expire within a day."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if len(value) == 32 and value.isalnum():
        return value, None
    value = secrets.token_hex(16)
    return value, value


def _with_device_cookie(response: HttpResponse, new_value: str | None) -> HttpResponse:
    if new_value:
        response.set_cookie(
            DEVICE_COOKIE,
            new_value,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _network_key(request: HttpRequest) -> str:
    return client_network(request)


def _public_counter(pk: int) -> OrgUnit:
    counter = (
        OrgUnit.objects.filter(pk=pk, kind__in=RATED_UNIT_KINDS).select_related("parent").first()
    )
    if counter is None or not counter.is_current():
        raise Http404
    return counter


def _throttled(
    request: HttpRequest, exc: throttle.Throttled, template: str, context: dict[str, Any]
) -> HttpResponse:
    return throttle.too_many_requests(request, exc, template=template, context=context)


# --- public: counter page (QR), dossier rating, help -----------------------------------------


def _rate_online(
    request: HttpRequest,
    form: RatingForm,
    *,
    counter: OrgUnit,
    device: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Store the valid `form`'s rating of `counter`: the thanks page (with the receipt of the
    follow-up case a complaint opens), or `template` again, throttled or with the errors the
    action found. The caller adds the device cookie."""
    try:
        stored = actions.online_rate(
            counter=counter,
            rating=form.rating(),
            device_key=device,
            network_key=_network_key(request),
        )
    except throttle.Throttled as exc:
        return _throttled(request, exc, template, context)
    except ValidationError as exc:
        add_errors(form, exc)
        return render(request, template, context)
    thanks = {
        "counter": counter,
        "case_receipt": stored.case_receipt,
        "case_secret": stored.case_secret,
    }
    return render(request, "feedback/thanks.html", thanks)


@never_cache
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
def counter_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter's public page behind the QR code on its board: rate, or call for help."""
    counter = _public_counter(pk)
    device, new_cookie = _device_key(request)
    form = RatingForm(request.POST or None)
    context = {"counter": counter, "form": form, "scale": current_scale()}
    template = "feedback/counter_feedback.html"
    if request.method == "POST" and form.is_valid():
        response = _rate_online(
            request, form, counter=counter, device=device, template=template, context=context
        )
    else:
        response = render(request, template, context)
    return _with_device_cookie(response, new_cookie)


@never_cache
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
def dossier_rating(request: HttpRequest) -> HttpResponse:
    """Rate with the dossier code printed on the receipt slip, from anywhere."""
    counters = (
        OrgUnit.objects.filter(kind__in=RATED_UNIT_KINDS)
        .current()
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    device, new_cookie = _device_key(request)
    form = DossierRatingForm(request.POST or None, counters=counters)
    if request.method == "GET" and request.GET.get("counter", "").isdigit():
        form.initial["counter"] = int(request.GET["counter"])
    context = {"form": form, "scale": current_scale()}
    template = "feedback/dossier_rating.html"
    if request.method == "POST" and form.is_valid():
        counter = form.cleaned_data["counter"]
        response = _rate_online(
            request, form, counter=counter, device=device, template=template, context=context
        )
    else:
        response = render(request, template, context)
    return _with_device_cookie(response, new_cookie)


@require_POST
@throttle.limit("THROTTLE_PUBLIC")
def counter_assist(request: HttpRequest, pk: int) -> HttpResponse:
    """The "call for help" button of the counter's public page."""
    counter = _public_counter(pk)
    try:
        call, _created = actions.raise_assistance_call(counter=counter, source="public")
    except throttle.Throttled as exc:
        return _throttled(request, exc, "feedback/assist_sent.html", {"counter": counter})
    return render(request, "feedback/assist_sent.html", {"counter": counter, "call": call})


# --- public: reports and receipts ------------------------------------------------------------


def _report_form_view(request: HttpRequest, place: Place | None) -> HttpResponse:
    device, new_cookie = _device_key(request)
    form = ReportForm(request.POST or None, request.FILES or None, place=place)
    context = {
        "form": form,
        "place": place,
        "map_tile_url": conf.map_tile_url(),
        "map_centre": conf.map_centre(),
        "map_attribution": conf.map_attribution(),
    }
    if request.method == "POST" and form.is_valid():
        burst, refill = conf.report_bucket()
        buckets = [
            (throttle.key_for("rep-dev", device), burst, refill),
            (throttle.key_for("rep-net", _network_key(request)), burst * 4, refill / 4),
        ]
        data = form.cleaned_data
        report_input = actions.ReportInput(
            category=data["category"],
            description=data["description"],
            place=place or data.get("place"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            address=data.get("address", ""),
            photo=data.get("photo_upload"),
            contact_name=data.get("contact_name", ""),
            contact_email=data.get("contact_email", ""),
            contact_phone=data.get("contact_phone", ""),
        )
        try:
            # Tokens and report in one transaction: a report refused as invalid costs none.
            with transaction.atomic():
                throttle.spend(buckets)
                report, secret = actions.submit_report(data=report_input, channel=ReportChannel.WEB)
        except throttle.Throttled as exc:
            return _with_device_cookie(
                _throttled(request, exc, "feedback/report_form.html", context), new_cookie
            )
        except ValidationError as exc:
            # Not core.forms.add_errors: the form names the action's `photo` photo_upload.
            for name, errors in exc.message_dict.items():
                target = "photo_upload" if name == "photo" else name
                form.add_error(target if target in form.fields else None, errors)
        else:
            # The secret is shown in this answer only: nothing readable keeps it.
            return _with_device_cookie(_receipt_page(request, report, secret=secret), new_cookie)
    return _with_device_cookie(render(request, "feedback/report_form.html", context), new_cookie)


@never_cache
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
def place_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form behind the QR code of a public place's board."""
    place = get_object_or_404(Place.objects.select_related("unit"), pk=pk)
    return _report_form_view(request, place)


@never_cache
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
def report_create(request: HttpRequest) -> HttpResponse:
    return _report_form_view(request, None)


@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
@throttle.limit("THROTTLE_LOOKUP")
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """The receipt code travels in the POST body, out of the URLs that proxies log."""
    form = ReceiptLookupForm(request.POST or None)
    if form.is_valid():
        code = receipts.as_shown(form.cleaned_data["code"])
        if PublicReport.objects.filter(receipt=code).exists():
            return redirect("feedback:receipt", code)
        if FollowUpCase.objects.filter(receipt=code).exists():
            return redirect("feedback:case_public", code)
        form.add_error("code", _("No report has this receipt code."))
    return render(request, "feedback/receipt_lookup.html", {"form": form})


def _receipt_page(
    request: HttpRequest,
    report: PublicReport,
    *,
    secret: str = "",
    form: SecretForm | None = None,
) -> HttpResponse:
    context = {
        "report": report,
        "updates": report.public_updates(),
        "secret": secret,
        "verdict_form": form or SecretForm(),
    }
    return render(request, "feedback/receipt.html", context, status=400 if form else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
@throttle.limit("THROTTLE_LOOKUP", methods=("GET", "POST"))
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """A report's public status and notes, never its reporter. Once closed, the reporter
    says, with the secret they were given at filing, whether they are satisfied with the
    handling (Civility's own indicator of report handling, figures.report_handling; not a
    Decision 766 rate); the receipt code alone, which Open311 lists, cannot."""
    report = get_object_or_404(
        PublicReport.objects.select_related("category", "place", "unit", "duplicate_of"),
        receipt=receipts.as_shown(code),
    )
    if request.method == "POST":
        form = SecretForm(request.POST)
        answer = request.POST.get("satisfied")
        if answer not in ("yes", "no"):
            form.add_error(None, _("Say whether you are satisfied."))
        elif form.is_valid():
            try:
                actions.record_handling_satisfaction(
                    report=report, secret=form.cleaned_data["secret"], satisfied=answer == "yes"
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Thank you for your answer."))
                return redirect("feedback:receipt", report.receipt)
        return _receipt_page(request, report, form=form)
    return _receipt_page(request, report)


# --- kiosk shell and event stream ----------------------------------------------------------------


@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    """The kiosk's single page. Its key lives in the tablet's storage (given once in the
    link's #fragment, which browsers never send to the server); all data goes by the API."""
    return render(request, "feedback/kiosk.html", {"scale": current_scale()})


@csrf_exempt
@require_GET
def stream_view(request: HttpRequest) -> HttpResponseBase:
    """Server-Sent Events for the development server and live-server tests. In production
    the reverse proxy routes this path to the ASGI process (civility/feedback/asgi.py), so
    sync workers are never held by a stream; set FEEDBACK_STREAM_WSGI=true to allow it
    under WSGI anyway."""
    if not conf.stream_under_wsgi():
        return HttpResponse(_("The event stream is served by the ASGI process."), status=503)
    grant = stream.read_token(request.GET.get("t", ""))
    if grant is None:
        return HttpResponse(_("Invalid or expired stream token."), status=403)
    response = StreamingHttpResponse(
        stream.sync_events(grant, seconds=conf.stream_seconds()),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


# --- staff: figures ------------------------------------------------------------------------------


def _unit_param(request: HttpRequest) -> OrgUnit | None:
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    return selected_unit(request)


def _openable_counters(user: User) -> OrgUnitQuerySet:
    """The counters whose page (counter_detail) `user` may open: those of their own subtree,
    and, read-only, those serving a commune they head."""
    readable = OrgUnit.objects.visible_to(user) | OrgUnit.objects.serving_scope_of(user)
    return readable.filter(kind__in=RATED_UNIT_KINDS).distinct()


@login_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit_param(request)
    if unit is None:
        raise PermissionDenied
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    counters = figures.per_counter(unit=unit, start=start, end=end)
    return render(
        request,
        "feedback/overview.html",
        {
            "unit": unit,
            "period": period,
            "start": start,
            "end": end,
            "figures": figures.rating_figures(start=start, end=end, unit=unit),
            "counters": counters,
            # Counters serving a commune sit in the Service Center's subtree: listed for
            # their figures, linked only for those who may open them.
            "openable": set(
                _openable_counters(request.user)
                .filter(pk__in=[row["counter_id"] for row in counters])
                .values_list("pk", flat=True)
            ),
            "officials": figures.per_official(unit=unit, start=start, end=end),
            "d766": figures.decision_766(unit=unit, start=start, end=end),
            "handling": figures.report_handling(unit=unit, start=start, end=end),
            "open_reports": PublicReport.objects.visible_to(request.user)
            .under(unit)
            .open()
            .count(),
            "flags": trust.flag_counts(unit=unit, start=start, end=end),
        },
    )


@login_required
@require_GET
def counter_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A counter's figures. The heads of the ward a Service Center counter serves read them
    too (OrgUnit.objects.serving_scope_of), read-only and with every read audited."""
    counter = get_object_or_404(_openable_counters(request.user), pk=pk)
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    scope = scope_of(request.user)
    can_manage = scope.covers(counter, roles=MANAGER_ROLES)
    calls = list(AssistanceCall.objects.filter(counter=counter)[:20])
    serving_only = not scope.covers(counter)
    if serving_only:
        log_reads(actor=request.user, instances=[counter, *calls])
    return render(
        request,
        "feedback/counter_detail.html",
        {
            "counter": counter,
            "period": period,
            "start": start,
            "end": end,
            "figures": figures.rating_figures(start=start, end=end, unit=counter),
            "officials": figures.per_official(unit=counter, start=start, end=end),
            # Working kiosks first, then revoked keys, latest first (a new link leaves one).
            "devices": CounterDevice.objects.visible_to(request.user)
            .filter(counter=counter)
            .order_by(F("revoked_at").desc(nulls_first=True), "name", "pk"),
            "calls": calls,
            "serving_only": serving_only,
            "sessions": trust.recent_sessions(counter),
            "session_mode": SessionCounter.objects.filter(counter=counter).first(),
            "can_manage": can_manage,
        },
    )


# --- staff: assistance desk ----------------------------------------------------------------------


def _desk_calls(request: AuthenticatedRequest) -> AssistanceCallQuerySet:
    return (
        AssistanceCall.objects.answered_by(request.user)
        .open()
        .select_related("counter", "counter__parent")
        .prefetch_related("escalations")
        .order_by("raised_at")
    )


@login_required
@require_GET
def desk(request: AuthenticatedRequest) -> HttpResponse:
    """Open assistance calls of the counters the user answers for, live."""
    paths = bell_paths(request.user)
    context = {
        "calls": _desk_calls(request),
        "stream_url": reverse("feedback:stream") + "?t=" + stream.make_token(paths)
        if paths
        else "",
    }
    if request.htmx:
        return render(request, "feedback/desk.html#calls", context)
    context["serving"] = trust.desk_counters(request.user)
    return render(request, "feedback/desk.html", context)


@login_required
@require_POST
def call_update(request: AuthenticatedRequest, pk: int, verb: str) -> HttpResponse:
    call = get_object_or_404(_desk_calls(request), pk=pk)
    if verb == "acknowledge":
        actions.acknowledge_call(actor=request.user, call=call)
    elif verb == "resolve":
        actions.resolve_call(actor=request.user, call=call)
    else:
        raise Http404
    if request.htmx:
        return render(request, "feedback/desk.html#calls", {"calls": _desk_calls(request)})
    return redirect("feedback:desk")


# --- staff: reports -------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET, request=request)
    reports = PublicReport.objects.visible_to(request.user).select_related(
        "category", "place", "unit"
    )
    listing = paginate(request, form.filter(reports), sorts=form.SORTS, default="-submitted")
    context = {"form": form, "listing": listing, "unit": form.unit}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "feedback/report_list.html#results", context)
    return render(request, "feedback/report_list.html", context)


@login_required
@require_GET
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        PublicReport.objects.visible_to(request.user).select_related(
            "category", "place", "unit", "duplicate_of"
        ),
        pk=pk,
    )
    can_triage = scope_of(request.user).covers(report.unit, roles=STAFF_ROLES)
    return render(
        request,
        "feedback/report_detail.html",
        {
            "report": report,
            "updates": report.updates.select_related("author"),
            "answers": answers(report),
            "can_triage": can_triage,
            "note_form": NoteForm(),
            "communes": OrgUnit.objects.visible_to(request.user)
            .filter(kind__in=COMMUNE_LEVEL_KINDS)
            .current()
            .order_by("name")
            if can_triage
            else [],
        },
    )


@login_required
@require_GET
def report_photo(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    report = get_object_or_404(PublicReport.objects.visible_to(request.user), pk=pk)
    return serve(report.photo, filename=f"{report.receipt}{extension_of(report.photo.name or '')}")


@require_GET
def receipt_photo(request: HttpRequest, code: str) -> HttpResponseBase:
    """A report's photo for anyone, as long as the report itself is public (Open311)."""
    report = get_object_or_404(PublicReport.objects.public(), receipt=receipts.as_shown(code))
    return serve(report.photo, filename=f"{report.receipt}{extension_of(report.photo.name or '')}")


@login_required
@require_POST
def report_action(request: AuthenticatedRequest, pk: int, verb: str) -> HttpResponse:
    reports = PublicReport.objects.visible_to(request.user)
    report = get_object_or_404(reports.select_related("unit"), pk=pk)
    text = request.POST.get("note", "")
    try:
        if verb == "accept":
            actions.accept_report(actor=request.user, report=report, note=text)
        elif verb == "reject":
            actions.reject_report(actor=request.user, report=report, reason=text)
        elif verb == "note":
            actions.add_report_note(
                actor=request.user, report=report, note=text, is_public="is_public" in request.POST
            )
        elif verb == "close":
            actions.close_report(actor=request.user, report=report, public_note=text)
        elif verb == "merge":
            code = receipts.as_shown(request.POST.get("into", ""))
            into = reports.select_related("unit").filter(receipt=code).first()
            if into is None:
                raise ValidationError({"into": _("No report you can see has this receipt code.")})
            actions.merge_report(actor=request.user, report=report, into=into)
        elif verb == "reassign":
            unit_id = request.POST.get("unit", "")
            unit = (
                OrgUnit.objects.visible_to(request.user)
                .filter(pk=int(unit_id) if unit_id.isdigit() else 0)
                .first()
            )
            if unit is None:
                raise ValidationError({"unit": _("Choose a commune or ward.")})
            actions.reassign_report(actor=request.user, report=report, unit=unit)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    if not PublicReport.objects.visible_to(request.user).filter(pk=report.pk).exists():
        return redirect("feedback:report_list")
    return HttpResponseRedirect(report.get_absolute_url())


@login_required
@require_GET
def hotspots(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit_param(request)
    if unit is None:
        raise PermissionDenied
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    return render(
        request,
        "feedback/hotspots.html",
        {
            "unit": unit,
            "period": period,
            "start": start,
            "end": end,
            "spots": figures.hotspots(unit=unit, start=start, end=end),
        },
    )


# --- staff: dossier figures -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dossier_stats(request: AuthenticatedRequest) -> HttpResponse:
    units = OrgUnit.objects.visible_to(request.user).filter(kind__in=DOSSIER_UNIT_KINDS)
    form = DossierImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            created, updated = actions.save_dossier_stats(
                actor=request.user, rows=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except PermissionDenied:
            form.add_error("file", _("You may not enter figures for some of these units."))
        else:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s replaced.")
                % {"created": created, "updated": updated},
            )
            return redirect("feedback:dossier_stats")
    unit = selected_unit(request)
    stats = DossierStat.objects.visible_to(request.user).select_related("unit")
    if unit is not None:
        stats = stats.filter(unit__path__startswith=unit.path)
    return render(
        request, "feedback/dossier_stats.html", {"form": form, "stats": stats[:200], "unit": unit}
    )
