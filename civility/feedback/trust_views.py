"""Pages for counter sessions, rating flags and follow-up cases.

Staff pages fetch through `visible_to(user)`: outside the user's scope is a 404. The case's
public page is read with its receipt code and never shows the contact details; answering it
takes the secret given with the receipt.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.core import receipts
from civility.core.files import serve
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.feedback import cases, throttle, trust
from civility.feedback.forms import SecretForm
from civility.feedback.models import (
    RATED_UNIT_KINDS,
    CaseEvidence,
    CaseStatus,
    CounterSession,
    FlagKind,
    FlagOutcome,
    FollowUpCase,
    RatingFlag,
)
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    """Each message names what to fix (the actions word them so)."""
    messages.error(request, " ".join(exc.messages))


# --- counter sessions --------------------------------------------------------------------------


@login_required
@require_POST
def session_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """ "Serve next citizen" on the desk page (closes the counter's previous session)."""
    counter = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).filter(kind__in=RATED_UNIT_KINDS), pk=pk
    )
    try:
        trust.open_session(
            actor=request.user, counter=counter, dossier_code=request.POST.get("dossier_code", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("feedback:desk")


@login_required
@require_POST
def session_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        CounterSession.objects.visible_to(request.user).select_related("counter"), pk=pk
    )
    trust.close_session(actor=request.user, session=session)
    return redirect("feedback:desk")


@login_required
@require_POST
def sessions_stop(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    counter = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).filter(kind__in=RATED_UNIT_KINDS), pk=pk
    )
    trust.stop_sessions(actor=request.user, counter=counter)
    messages.success(request, _("This counter no longer serves in sessions."))
    return redirect("feedback:counter_detail", counter.pk)


# --- flags -----------------------------------------------------------------------------------


@login_required
@require_GET
def flag_list(request: AuthenticatedRequest) -> HttpResponse:
    flags = RatingFlag.objects.visible_to(request.user).select_related(
        "unit", "official", "reviewed_by"
    )
    unit = selected_unit(request)
    if unit is not None:
        flags = flags.under(unit)
    kind = request.GET.get("kind", "")
    if kind in FlagKind.values:
        flags = flags.filter(kind=kind)
    state = request.GET.get("state", "unreviewed")
    if state == "unreviewed":
        flags = flags.unreviewed()
    elif state in FlagOutcome.values:
        flags = flags.filter(outcome=state)
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/flag_list.html",
        {
            "page": page,
            "unit": unit,
            "kind": kind,
            "state": state,
            "kinds": FlagKind.choices,
            "outcomes": FlagOutcome.choices,
            "can_review": scope_of(request.user).holds(*MANAGER_ROLES),
        },
    )


@login_required
@require_POST
def flag_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(
        RatingFlag.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    try:
        trust.review_flag(
            actor=request.user,
            flag=flag,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("Only a coordinator or the unit head reviews flags."))
    else:
        messages.success(request, _("Saved."))
    return redirect("feedback:flag_list")


# --- follow-up cases (staff) ---------------------------------------------------------------


@login_required
@require_GET
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    all_cases = FollowUpCase.objects.visible_to(request.user).select_related(
        "unit", "counter", "escalated_to"
    )
    unit = selected_unit(request)
    if unit is not None:
        all_cases = all_cases.under(unit)
    status = request.GET.get("status", "open")
    listed = all_cases
    if status in CaseStatus.values:
        listed = listed.filter(status=status)
    elif status == "escalated":
        listed = listed.open().filter(escalated_at__isnull=False)
    # Escalated to this user's level (the in-app notice of an overdue case).
    scope = scope_of(request.user)
    escalated = all_cases.open().filter(escalated_at__isnull=False)
    if not scope.is_global:
        escalated = escalated.filter(scope.q("escalated_to__path", roles=cases.ESCALATION_ROLES))
    page = Paginator(listed.order_by("due_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/case_list.html",
        {
            "page": page,
            "unit": unit,
            "status": status,
            "statuses": CaseStatus.choices,
            "escalated": escalated.order_by("due_at")[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        FollowUpCase.objects.visible_to(request.user).select_related(
            "unit", "counter", "escalated_to"
        ),
        pk=pk,
    )
    if request.method == "POST":
        try:
            cases.reply_to_case(
                actor=request.user,
                case=case,
                text=request.POST.get("text", ""),
                files=request.FILES.getlist("files"),
                close="close" in request.POST,
            )
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You may not answer this case."))
        else:
            messages.success(request, _("Saved."))
        return redirect(case.get_absolute_url())
    return render(
        request,
        "feedback/case_detail.html",
        {"case": case, "steps": case.steps.select_related("author").prefetch_related("evidence")},
    )


@login_required
@require_POST
def case_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(FollowUpCase.objects.visible_to(request.user), pk=pk)
    try:
        cases.close_case(actor=request.user, case=case)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("You may not close this case."))
    else:
        messages.success(request, _("The case is closed."))
    return redirect(case.get_absolute_url())


@login_required
@require_GET
def case_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        CaseEvidence.objects.filter(step__case__in=FollowUpCase.objects.visible_to(request.user)),
        pk=pk,
    )
    return serve(evidence.file, filename=evidence.download_name)


# --- follow-up cases (citizen) --------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC")
@throttle.limit("THROTTLE_LOOKUP", methods=("GET", "POST"))
def case_public(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's view with the receipt code: the replies with their evidence, and once
    closed, "settled" or "not settled" (with a comment, which reopens the case)."""
    case = (
        FollowUpCase.objects.filter(receipt=receipts.as_shown(code)).select_related("unit").first()
    )
    if case is None:
        raise Http404
    form = SecretForm(request.POST or None)
    if request.method == "POST":
        answer = request.POST.get("settled")
        if answer not in ("yes", "no"):
            form.add_error(None, _("Say whether the answer settled the matter."))
        elif form.is_valid():
            try:
                cases.answer_case(
                    case=case,
                    secret=form.cleaned_data["secret"],
                    settled=answer == "yes",
                    comment=request.POST.get("comment", ""),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Thank you for your answer."))
                return redirect(case.get_public_url())
    return render(
        request,
        "feedback/case_public.html",
        {
            "case": case,
            "steps": case.public_steps().filter(~Q(kind="opened")),
            "verdict_form": form,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def case_public_evidence(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """Evidence of a public reply, to whoever holds the case's receipt (as its page)."""
    evidence = get_object_or_404(
        CaseEvidence.objects.filter(
            step__case__receipt=receipts.as_shown(code), step__is_public=True
        ),
        pk=pk,
    )
    return serve(evidence.file, filename=evidence.download_name)
