"""Pages for commitment campaigns: the campaign, paper signatures and their verification,
the official's own commitments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.codes import actions, figures
from civility.codes.forms import (
    CampaignForm,
    PaperCommitmentForm,
    SignForm,
    VerifyCommitmentForm,
)
from civility.codes.models import (
    COORDINATOR_ROLES,
    Commitment,
    CommitmentCampaign,
    Reminder,
    SignatureMethod,
)
from civility.core.forms import add_errors, errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.core.listing import int_param
from civility.orgs.context_processors import focus_within
from civility.orgs.scopes import MANAGER_ROLES, scope_of

UNSIGNED_LIMIT = 200


@login_required
@require_GET
def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    campaigns = (
        CommitmentCampaign.objects.visible_to(request.user)
        .select_related("version__code", "unit")
        .order_by("closed_at", "-deadline")
    )
    can_start = (
        bool(scope_of(request.user).paths_with_role(*COORDINATOR_ROLES))
        or scope_of(request.user).is_global
    )
    return render(
        request,
        "codes/campaign_list.html",
        {"campaigns": campaigns, "can_start": can_start, "today": timezone.localdate()},
    )


@login_required
def campaign_create(request: AuthenticatedRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.start_campaign(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign has started."))
            return redirect(campaign)
    return render(request, "codes/campaign_form.html", {"form": form})


def _campaign(request: AuthenticatedRequest, pk: int) -> CommitmentCampaign:
    return get_object_or_404(
        CommitmentCampaign.objects.visible_to(request.user).select_related("version__code", "unit"),
        pk=pk,
    )


@login_required
@require_GET
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    focus = focus_within(request, campaign.unit, int_param(request, "unit"))
    officials = campaign.officials().visible_to(request.user)
    whole, rows = figures.completion(campaign, officials, focus)
    unsigned = (
        officials.filter(unit__path__startswith=focus.path)
        .exclude(commitments__campaign=campaign)
        .select_related("unit")
        .order_by("unit__path", "full_name")
    )
    signed = list(
        Commitment.objects.visible_to(request.user)
        .filter(campaign=campaign, official__unit__path__startswith=focus.path)
        .select_related("official__unit", "verified_by")
        .order_by("-signed_at")[:UNSIGNED_LIMIT]
    )
    scope = scope_of(request.user)
    return render(
        request,
        "codes/campaign_detail.html",
        {
            "campaign": campaign,
            "focus": focus,
            "whole": whole,
            "rows": rows,
            "unsigned": unsigned[:UNSIGNED_LIMIT],
            "unsigned_more": max(whole.unsigned - UNSIGNED_LIMIT, 0),
            "signed": signed,
            "verifiable": _verifiable_commitments(request.user, signed),
            "can_record_paper": campaign.is_open()
            and bool(scope.paths_with_role(*MANAGER_ROLES))
            or scope.is_global,
            "can_close": campaign.closed_at is None
            and scope.covers(campaign.unit, roles=COORDINATOR_ROLES),
            "parent_focus": focus.parent
            if focus.pk != campaign.unit.pk and focus.parent and scope.covers(focus.parent)
            else None,
        },
    )


def _verifiable_commitments(user: User, commitments: list[Commitment]) -> set[int]:
    """Ids of the paper signatures listed that `user` may verify. Recorders are loaded once
    each, so their scopes are read once however many sheets they recorded."""
    scope = scope_of(user)
    pending = [c for c in commitments if c.method == SignatureMethod.PAPER and not c.is_verified()]
    if not pending or not (scope.is_global or scope.paths_with_role(*MANAGER_ROLES)):
        return set()
    recorders = get_user_model().objects.in_bulk({c.recorded_by_id for c in pending} - {None})
    verifiable = set()
    for commitment in pending:
        commitment.recorded_by = recorders.get(commitment.recorded_by_id)
        if actions.can_verify_commitment(user, commitment):
            verifiable.add(commitment.pk)
    return verifiable


@login_required
@require_POST
def commitment_verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related("official__unit"), pk=pk
    )
    form = VerifyCommitmentForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_commitment(
                actor=request.user,
                commitment=commitment,
                confirmed=form.cleaned_data["confirmed"] == "yes",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The paper signature is verified."))
    else:
        messages.error(request, errors_as_text(form))
    return redirect("codes:campaign_detail", pk=commitment.campaign_id)


@login_required
def campaign_paper(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    officials = (
        campaign.officials()
        .filter(scope_of(request.user).q("unit__path", roles=MANAGER_ROLES))
        .exclude(commitments__campaign=campaign)
        .select_related("unit")
        .order_by("full_name")
    )
    form = PaperCommitmentForm(
        request.POST or None,
        request.FILES or None,
        officials=officials,
        initial={
            "signed_on": min(timezone.localdate(), campaign.deadline),
            "official": request.GET.get("official"),
        },
    )
    if campaign.historical:
        # Offer who was in post when it opened, as campaign.officials() accepts them.
        form.fields["official"].widget.narrow(as_of=campaign.starts_on)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_paper_commitment(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is recorded as signed on paper.")
                % {"name": form.cleaned_data["official"].full_name},
            )
            return redirect(campaign)
    return render(request, "codes/campaign_paper.html", {"campaign": campaign, "form": form})


@login_required
@require_POST
def campaign_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    actions.close_campaign(actor=request.user, campaign=campaign)
    messages.success(request, _("The campaign is closed."))
    return redirect(campaign)


@login_required
@require_GET
def my_commitments(request: AuthenticatedRequest) -> HttpResponse:
    official = actions.official_of(request.user)
    context: dict[str, Any] = {"official": official}
    if official is not None:
        campaigns = (
            CommitmentCampaign.objects.for_official(official)
            .select_related("version__code", "unit")
            .annotate(signed_count=Count("commitments", filter=Q(commitments__official=official)))
            .order_by("deadline")
        )
        context.update(
            # signed_count is the annotation above, which the Django plugin does not follow.
            to_sign=[c for c in campaigns if not c.signed_count and c.is_open()],  # type: ignore[attr-defined]
            commitments=official.commitments.select_related("campaign__version__code"),
            reminders=Reminder.objects.filter(
                official=official, read_at__isnull=True
            ).select_related("campaign__version__code"),
        )
    return render(request, "codes/my_commitments.html", context)


@login_required
def commitment_sign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    official = actions.official_of(request.user)
    if official is None:
        raise Http404
    campaign = get_object_or_404(
        CommitmentCampaign.objects.for_official(official).select_related("version__code"), pk=pk
    )
    existing = Commitment.objects.filter(campaign=campaign, official=official).first()
    form = SignForm(request.POST or None)
    if request.method == "POST" and (existing or form.is_valid()):
        try:
            commitment, created = actions.sign_commitment(actor=request.user, campaign=campaign)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("Thank you: your commitment is recorded."))
            else:
                messages.info(request, _("You had already signed this commitment."))
            return redirect("codes:my_commitments")
    return render(
        request,
        "codes/commitment_sign.html",
        {
            "campaign": campaign,
            "version": campaign.version,
            "chapters": campaign.version.chapters.prefetch_related("articles__clauses"),
            "form": form,
            "existing": existing,
        },
    )
