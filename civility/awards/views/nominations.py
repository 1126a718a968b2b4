"""Pages from eligibility to the board: eligibility lists, nominations with their evidence,
votes, closing a review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.awards import actions
from civility.awards.eligibility.assessor import Assessor, eligibility_rows
from civility.awards.eligibility.lines import status_label
from civility.awards.eligibility.quotas import title_for
from civility.awards.forms import (
    CloseReviewForm,
    EligibilityForm,
    NominationFilterForm,
    NominationForm,
    VoteForm,
)
from civility.awards.models.catalogue import AwardTitle, Recipient
from civility.awards.models.decisions import Award
from civility.awards.models.nominations import (
    Nomination,
    NominationEvidence,
    NominationStatus,
    Verdict,
)
from civility.awards.models.roles import PROPOSER_ROLES, READER_ROLES
from civility.awards.views.common import (
    choosable_units,
    narrow_pickers,
    visible_title,
    year_asked,
)
from civility.core.files import serve
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.orgs.access import for_roles
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official, OrgUnit

# --- Eligibility -------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*READER_ROLES, denied=PermissionDenied)
def eligibility(request: AuthenticatedRequest) -> HttpResponse:
    focus = focus_unit(request, READER_ROLES)
    if focus is None:
        raise PermissionDenied
    titles = AwardTitle.objects.for_unit(focus).current().order_by("recipient", "level", "key")
    units = choosable_units(request.user, READER_ROLES)
    data = request.GET if "title" in request.GET else None
    form = EligibilityForm(
        data,
        titles=AwardTitle.objects.visible_to(request.user),
        units=units,
        initial={"year": year_asked(request), "unit": focus},
    )
    narrow_pickers(form, READER_ROLES)
    rows, title, year, background = [], None, None, False
    if form.is_valid():
        title, year, unit = (form.cleaned_data[k] for k in ("title", "year", "unit"))
        title = title_for(unit, title.key, year) or title
        background = actions.eligibility_in_background(unit)
        if not background:
            rows = eligibility_rows(Assessor.for_unit(unit, year=year), unit, title)
    counts = dict.fromkeys(Verdict.values, 0)
    for row in rows:
        counts[row.verdict] += 1
    return render(
        request,
        "awards/eligibility.html",
        {
            "form": form,
            "titles": titles,
            "rows": rows,
            "title": title,
            "year": year,
            "counts": [(v, Verdict(v).label, counts[v]) for v in Verdict.values],
            "status_label": status_label,
            "can_propose": bool(choosable_units(request.user, PROPOSER_ROLES).exists()),
            "background": background,
        },
    )


@login_required
@require_POST
def eligibility_job(request: AuthenticatedRequest) -> HttpResponse:
    """The eligibility list of a large subtree (one title, or every title: `all`), written
    by a background job as an .xlsx."""
    form = EligibilityForm(
        request.POST,
        titles=AwardTitle.objects.visible_to(request.user),
        units=choosable_units(request.user, READER_ROLES),
    )
    if not form.is_valid():
        raise PermissionDenied
    title, year, unit = (form.cleaned_data[k] for k in ("title", "year", "unit"))
    if request.POST.get("all"):
        title = None
    job = actions.request_eligibility(actor=request.user, unit=unit, year=year, title=title)
    return redirect(job)


# --- Nominations -------------------------------------------------------------------------


@login_required
@require_GET
def nomination_list(request: AuthenticatedRequest) -> HttpResponse:
    form = NominationFilterForm(request.GET, request=request)
    nominations = form.filter(
        Nomination.objects.visible_to(request.user).select_related("title", "official", "unit")
    )
    context = {
        "form": form,
        "listing": paginate(request, nominations, sorts=form.SORTS, default="-year"),
        "unit": form.unit,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "awards/nomination_list.html#results", context)
    return render(request, "awards/nomination_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request: AuthenticatedRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    title = visible_title(request, source.get("title") or 0)
    try:
        year = int(source.get("year", ""))
    except ValueError:
        raise Http404 from None
    official = unit = None
    if title.recipient == Recipient.INDIVIDUAL:
        official = get_object_or_404(
            Official.objects.visible_to(request.user).select_related("unit"),
            pk=source.get("official") or 0,
        )
        nominee_unit = official.unit
    else:
        unit = get_object_or_404(
            OrgUnit.objects.visible_to(request.user), pk=source.get("unit") or 0
        )
        nominee_unit = unit
    if not actions.can_propose(request.user, nominee_unit):
        raise PermissionDenied
    form = NominationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = actions.propose_nomination(
                actor=request.user,
                title=title,
                year=year,
                official=official,
                unit=unit,
                justification=form.cleaned_data["justification"],
                links=form.cleaned_data["links"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Nomination proposed."))
            return redirect(nomination)
    assessment = actions.assess_nominee(title=title, year=year, official=official, unit=unit)
    return render(
        request,
        "awards/nomination_create.html",
        {
            "form": form,
            "title": title,
            "year": year,
            "official": official,
            "unit": unit,
            "assessment": assessment,
            "status_label": status_label,
        },
    )


@login_required
@require_GET
def evidence_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        NominationEvidence.objects.filter(
            nomination__in=Nomination.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve(evidence.file, filename=evidence.download_name)


def _nomination(request: AuthenticatedRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            "title", "official", "unit", "proposing_unit", "proposed_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def nomination_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    votes = list(nomination.votes.select_related("voter"))
    own_vote = next((v for v in votes if v.voter_id == request.user.pk), None)
    can_vote = actions.can_vote(request.user, nomination) and nomination.is_open()
    return render(
        request,
        "awards/nomination_detail.html",
        {
            "nomination": nomination,
            "lines": [{**line, "label": status_label(line["status"])} for line in nomination.lines],
            "evidence": nomination.evidence.all(),
            "votes": votes,
            "tally": nomination.tally(),
            "can_vote": can_vote,
            "vote_form": VoteForm(initial={"choice": own_vote.choice} if own_vote else None)
            if can_vote
            else None,
            "can_close": nomination.is_open() and actions.can_decide(request.user, nomination.unit),
            "close_form": CloseReviewForm(),
            "can_withdraw": nomination.status
            in (NominationStatus.PROPOSED, NominationStatus.RECOMMENDED)
            and actions.can_propose(request.user, nomination.unit),
            "award": Award.objects.filter(nomination=nomination).select_related("decision").first(),
        },
    )


@login_required
@require_POST
def nomination_vote(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose for, against or abstain."))
        return redirect(nomination)
    try:
        actions.cast_vote(actor=request.user, nomination=nomination, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vote recorded."))
    return redirect(nomination)


@login_required
@require_POST
def nomination_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    try:
        nomination = actions.close_review(
            actor=request.user, nomination=nomination, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, nomination.get_status_display())
    return redirect(nomination)


@login_required
@require_POST
def nomination_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    try:
        actions.withdraw_nomination(actor=request.user, nomination=nomination)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Nomination withdrawn."))
    return redirect(nomination)
