"""Pages of decisions and awards: the board's decisions with their documents, revocation
reviews, the public honour board and an official's own awards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.awards import actions, documents
from civility.awards.forms import (
    DecisionForm,
    HonourFilterForm,
    RecoveryForm,
    RevocationDecisionForm,
    RevocationOpenForm,
)
from civility.awards.models.decisions import (
    Award,
    AwardDecision,
    DecisionSource,
    HonourConsent,
    RevocationReview,
)
from civility.awards.models.movements import Movement
from civility.awards.models.nominations import Nomination, NominationStatus
from civility.awards.models.roles import DECIDER_ROLES
from civility.awards.views.common import (
    PAGE_SIZE,
    choosable_units,
    narrow_pickers,
    post_and_return,
)
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest, HtmxRequest
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.scopes import scope_of

# --- Decisions ---------------------------------------------------------------------------


@login_required
@require_GET
def decision_list(request: AuthenticatedRequest) -> HttpResponse:
    decisions = (
        AwardDecision.objects.visible_to(request.user)
        .select_related("unit", "movement")
        .annotate(award_count=Count("awards"))
        .order_by("-decided_on", "-pk")
    )
    source = request.GET.get("source", "")
    if source in DecisionSource.values:
        decisions = decisions.filter(source=source)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/decision_list.html",
        {
            "page": page,
            "can_decide": choosable_units(request.user, DECIDER_ROLES).exists(),
            "source": source,
            "sources": DecisionSource.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: AuthenticatedRequest) -> HttpResponse:
    units = choosable_units(request.user, DECIDER_ROLES)
    if not units.exists():
        raise PermissionDenied
    nominations = (
        Nomination.objects.filter(scope_of(request.user).q("unit__path", roles=DECIDER_ROLES))
        .filter(status=NominationStatus.RECOMMENDED)
        .select_related("title", "official", "unit")
    )
    form = DecisionForm(
        request.POST or None,
        units=units,
        nominations=nominations,
        movements=Movement.objects.visible_to(request.user),
        initial={"decided_on": timezone.localdate(), "unit": focus_unit(request, DECIDER_ROLES)},
    )
    narrow_pickers(form, DECIDER_ROLES)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["nominations"] = list(data["nominations"])
        try:
            decision = actions.record_decision(actor=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(decision)
    return render(
        request,
        "awards/form.html",
        {"form": form, "heading": _("Record a decision"), "multipart": False},
    )


def _decision(request: AuthenticatedRequest, pk: int) -> AwardDecision:
    return get_object_or_404(
        AwardDecision.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def decision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    awards = decision.awards.select_related(
        "title", "official", "unit", "nomination"
    ).prefetch_related("revocation_reviews")
    return render(
        request,
        "awards/decision_detail.html",
        {"decision": decision, "awards": awards, "total": decision.total_bonus()},
    )


@login_required
@require_GET
def decision_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    response = HttpResponse(
        documents.render_docx(decision, get_language() or "vi", by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}.docx"'
    return response


@login_required
@require_GET
def decision_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    response = HttpResponse(
        documents.render_xlsx(decision, get_language() or "vi", by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}.xlsx"'
    return response


# --- Revocation reviews ------------------------------------------------------------------


@login_required
@require_GET
def revocation_list(request: AuthenticatedRequest) -> HttpResponse:
    reviews = RevocationReview.objects.visible_to(request.user).select_related(
        "award__title", "award__official", "award__unit", "award__decision", "record"
    )
    show = request.GET.get("show", "pending")
    if show == "pending":
        reviews = reviews.pending()
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/revocation_list.html", {"page": page, "show": show})


@login_required
@require_GET
def award_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(
        Award.objects.visible_to(request.user).select_related(
            "title", "official", "unit", "decision__unit", "nomination"
        ),
        pk=pk,
    )
    can_decide = actions.can_decide(request.user, award.decision.unit)
    reviews = award.revocation_reviews.select_related("record", "decided_by", "opened_by")
    return render(
        request,
        "awards/award_detail.html",
        {
            "award": award,
            "reviews": [
                (
                    review,
                    RevocationDecisionForm(auto_id=f"id_review{review.pk}_%s")
                    if can_decide and review.is_pending()
                    else None,
                    RecoveryForm(auto_id=f"id_recovery{review.pk}_%s")
                    if can_decide and review.recovery_due()
                    else None,
                )
                for review in reviews
            ],
            "open_form": RevocationOpenForm() if can_decide else None,
        },
    )


@login_required
@require_POST
def revocation_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(
        Award.objects.visible_to(request.user).select_related("decision__unit", "title"), pk=pk
    )
    return post_and_return(
        request,
        RevocationOpenForm(request.POST),
        lambda data: actions.open_revocation_review(
            actor=request.user, award=award, ground=data["ground"], detail=data["detail"]
        ),
        done=_("The award is under revocation review."),
        back=award,
    )


@login_required
@require_POST
def revocation_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        RevocationReview.objects.visible_to(request.user).select_related("award"), pk=pk
    )
    return post_and_return(
        request,
        RevocationDecisionForm(request.POST),
        lambda data: actions.decide_revocation_review(actor=request.user, review=review, **data),
        done=_("The decision on the award was recorded."),
        back=review.award,
    )


@login_required
@require_POST
def revocation_recovery(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        RevocationReview.objects.visible_to(request.user).select_related("award"), pk=pk
    )
    return post_and_return(
        request,
        RecoveryForm(request.POST),
        lambda data: actions.record_bonus_recovery(actor=request.user, review=review, **data),
        done=_("The recovery of the bonus was recorded."),
        back=review.award,
    )


# --- Honour board ------------------------------------------------------------------------


@require_GET
def honour_board(request: HtmxRequest) -> HttpResponse:
    """Public: collectives recognised, and individuals who chose to appear."""
    units = OrgUnit.objects.filter(
        Q(parent__isnull=True) | Q(kind__in=(UnitKind.WARD, UnitKind.COMMUNE, UnitKind.DEPARTMENT))
    ).current()
    form = HonourFilterForm(request.GET or None, units=units)
    awards = (
        Award.objects.counted()
        .on_honour_board()
        .filter(decision__source="board")
        .select_related("title", "official", "unit", "decision")
        .order_by("-year", "title__level", "title_key", "unit__path", "official__full_name")
    )
    if form.is_valid():
        if form.cleaned_data["year"]:
            awards = awards.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["unit"]:
            awards = awards.under(form.cleaned_data["unit"])
    page = Paginator(awards, 100).get_page(request.GET.get("page"))
    return render(request, "awards/honour_board.html", {"form": form, "page": page})


@login_required
@require_GET
def my_awards(request: AuthenticatedRequest) -> HttpResponse:
    official = getattr(request.user, "official", None)
    awards = (
        Award.objects.filter(official=official).select_related("title", "decision")
        if official
        else Award.objects.none()
    )
    consent = HonourConsent.objects.filter(official=official).first() if official else None
    nominations = (
        Nomination.objects.filter(official=official).select_related("title") if official else []
    )
    return render(
        request,
        "awards/my_awards.html",
        {
            "official": official,
            "awards": awards,
            "nominations": nominations,
            "consented": bool(consent and consent.consented),
        },
    )


@login_required
@require_POST
def honour_consent(request: AuthenticatedRequest) -> HttpResponse:
    official = getattr(request.user, "official", None)
    if official is None:
        raise PermissionDenied
    consented = request.POST.get("consented") == "on"
    actions.set_honour_consent(actor=request.user, official=official, consented=consented)
    messages.success(
        request,
        _("Your name now appears on the public honour board.")
        if consented
        else _("Your name no longer appears on the public honour board."),
    )
    return redirect("awards:my_awards")
