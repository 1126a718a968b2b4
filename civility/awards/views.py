"""Pages for movements, the title catalogue, eligibility, nominations, the board, decisions,
the public honour board and good models.

Every fetch is scoped (`visible_to(user)`): anything outside the user's scope is a 404; in
scope but not allowed is a 403 (PermissionDenied from the actions).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.awards import actions, bonuses, documents
from civility.awards.eligibility import Assessor, eligibility_rows, status_label
from civility.awards.figures import model_counts
from civility.awards.forms import (
    BaseSalaryForm,
    CloseReviewForm,
    DecisionForm,
    EligibilityForm,
    GoodModelFilterForm,
    GoodModelForm,
    HoldForm,
    HonourFilterForm,
    ModelStatusForm,
    MovementForm,
    NewTitleForm,
    NominationFilterForm,
    NominationForm,
    QuotaForm,
    RecoveryForm,
    RegistrationForm,
    ReplicationForm,
    RevocationDecisionForm,
    RevocationOpenForm,
    TitleForm,
    VoteForm,
)
from civility.awards.models import (
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    MANAGER_ROLES,
    PROPOSER_ROLES,
    READER_ROLES,
    Award,
    AwardDecision,
    AwardTitle,
    BaseSalary,
    DecisionSource,
    GoodModel,
    HonourConsent,
    Movement,
    Nomination,
    NominationEvidence,
    NominationStatus,
    Quota,
    Recipient,
    ReviewHold,
    RevocationReview,
    Verdict,
)
from civility.core.files import serve
from civility.core.i18n import format_number
from civility.core.listing import paginate
from civility.orgs.access import for_roles
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.scopes import scope_of

PAGE_SIZE = 50
# Too many to offer in a drop-down; they are reached through their commune.
_SMALL_UNITS = (UnitKind.VILLAGE, UnitKind.RESIDENTIAL_GROUP, UnitKind.COUNTER)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _pickers(form, roles: tuple[str, ...], *, small: bool = False, focus=None):
    """Let the form's pickers search what its fields hold: units as `_units(user, roles,
    small=small)` gives them, officials of the focus unit's subtree."""
    kinds = None if small else [kind for kind in UnitKind.values if kind not in _SMALL_UNITS]
    form.fields["unit"].widget.narrow(role=roles, kind=kinds)
    for name in ("official", "authors"):
        if focus is not None and name in form.fields:
            form.fields[name].widget.narrow(under=focus)
    return form


def _units(user, roles: tuple[str, ...], *, small: bool = False, former: bool = False):
    """Units the user may choose with `roles`: today's, or with `former` those that ended
    too (for a form that checks the unit against its record's date)."""
    units = OrgUnit.objects.filter(scope_of(user).q("path", roles=roles))
    if not former:
        units = units.current()
    if not small:
        units = units.exclude(kind__in=_SMALL_UNITS)
    return units.order_by("path")


def _focus(request: HttpRequest, roles: tuple[str, ...]) -> OrgUnit | None:
    """The unit chosen in the switcher if the user has one of `roles` there, else the first
    unit where they do."""
    scope = scope_of(request.user)
    unit = selected_unit(request)
    if unit is not None and scope.covers(unit, roles=roles):
        return unit
    paths = scope.paths_with_role(*roles)
    if scope.is_global:
        return unit or OrgUnit.objects.filter(parent__isnull=True).order_by("name").first()
    return OrgUnit.objects.filter(path__in=paths).order_by("path").first() if paths else None


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - (1 if timezone.localdate().month < 10 else 0)


# --- Movements ---------------------------------------------------------------------------


@login_required
@require_GET
def movement_list(request: HttpRequest) -> HttpResponse:
    movements = (
        Movement.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(registrations_count=Count("registrations"))
    )
    return render(
        request,
        "awards/movement_list.html",
        {
            "movements": movements,
            "can_create": bool(_units(request.user, MANAGER_ROLES).exists()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: HttpRequest) -> HttpResponse:
    units = _units(request.user, MANAGER_ROLES)
    if not units.exists():
        raise PermissionDenied
    form = _pickers(MovementForm(request.POST or None, units=units), MANAGER_ROLES)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            movement = actions.create_movement(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Movement created."))
            return redirect(movement)
    return render(request, "awards/form.html", {"form": form, "heading": _("New movement")})


@login_required
@require_GET
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(
        Movement.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    scope = scope_of(request.user)
    registrations = movement.registrations.filter(scope.q("unit__path")).select_related(
        "unit", "official"
    )
    focus = _focus(request, MANAGER_ROLES)
    form = None
    if focus is not None and focus.path.startswith(movement.unit.path):
        form = RegistrationForm(
            units=_units(request.user, MANAGER_ROLES).filter(path__startswith=movement.unit.path),
            officials=Official.objects.under(focus).active(),
        )
        _pickers(form, MANAGER_ROLES, focus=focus)
        form.fields["unit"].widget.narrow(under=movement.unit)
    own = getattr(request.user, "official", None)
    return render(
        request,
        "awards/movement_detail.html",
        {
            "movement": movement,
            "registrations": registrations,
            "form": form,
            "own_official": own if own and own.unit.path.startswith(movement.unit.path) else None,
            "models": movement.good_models.visible_to(request.user),
            "decisions": movement.decisions.visible_to(request.user)
            .select_related("unit")
            .annotate(award_count=Count("awards")),
        },
    )


@login_required
@require_POST
def movement_register(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(Movement.objects.visible_to(request.user), pk=pk)
    if request.POST.get("self"):
        official = getattr(request.user, "official", None)
        if official is None:
            raise PermissionDenied
        target = {"official": official}
    else:
        form = RegistrationForm(
            request.POST,
            units=_units(request.user, MANAGER_ROLES),
            officials=Official.objects.visible_to(request.user).active(),
        )
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.errors.values()))
            return redirect(movement)
        target = (
            {"official": form.cleaned_data["official"]}
            if form.cleaned_data["official"]
            else {"unit": form.cleaned_data["unit"]}
        )
        target["pledge"] = form.cleaned_data["pledge"]
    try:
        actions.register_for_movement(actor=request.user, movement=movement, **target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Registered for the movement."))
    return redirect(movement)


# --- Title catalogue ---------------------------------------------------------------------


@login_required
@require_GET
def title_list(request: HttpRequest) -> HttpResponse:
    titles = AwardTitle.objects.visible_to(request.user).current().select_related("unit")
    seed_units = [
        unit
        for unit in _units(request.user, CATALOGUE_ROLES).filter(kind=UnitKind.PROVINCE)
        if not unit.award_titles.exists()
    ]
    manageable = _units(request.user, CATALOGUE_ROLES).filter(award_titles__isnull=False)
    return render(
        request,
        "awards/title_list.html",
        {
            "titles": titles,
            "seed_units": seed_units,
            "can_create": manageable.exists(),
        },
    )


@login_required
@require_POST
def title_seed(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=request.POST.get("unit"))
    created = actions.load_award_catalogue(actor=request.user, unit=unit)
    messages.success(
        request,
        ngettext("%(count)s title version loaded.", "%(count)s title versions loaded.", created)
        % {"count": format_number(created)},
    )
    return redirect("awards:title_list")


def _title(request: HttpRequest, pk: int) -> AwardTitle:
    return get_object_or_404(
        AwardTitle.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = _title(request, pk)
    can_manage = actions.can_manage_catalogue(request.user, title.unit)
    versions = AwardTitle.objects.filter(unit=title.unit, key=title.key).order_by("-version")
    quotas = (
        Quota.objects.visible_to(request.user).filter(title_key=title.key).select_related("unit")
    )
    return render(
        request,
        "awards/title_detail.html",
        {
            "title": title,
            "versions": versions,
            "quotas": quotas,
            "can_manage": can_manage,
            "form": TitleForm(instance=title, initial={"valid_from": timezone.localdate()})
            if can_manage and title.is_current()
            else None,
            "quota_form": _pickers(
                QuotaForm(units=_units(request.user, CATALOGUE_ROLES + PROPOSER_ROLES)),
                CATALOGUE_ROLES + PROPOSER_ROLES,
            )
            if _units(request.user, CATALOGUE_ROLES).exists()
            else None,
        },
    )


@login_required
@require_POST
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    title = _title(request, pk)
    form = TitleForm(request.POST, instance=AwardTitle.objects.get(pk=title.pk))
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            new = actions.revise_title(
                actor=request.user,
                title=title,
                valid_from=form.cleaned_data["valid_from"],
                **changes,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Title saved (version %(n)d).") % {"n": new.version})
            return redirect(new)
    return render(request, "awards/form.html", {"form": form, "heading": title.display_name})


@login_required
@require_http_methods(["GET", "POST"])
def title_create(request: HttpRequest) -> HttpResponse:
    units = _units(request.user, CATALOGUE_ROLES).filter(kind=UnitKind.PROVINCE)
    unit = units.first()
    if unit is None:
        raise PermissionDenied
    form = NewTitleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            title = actions.create_title(actor=request.user, unit=unit, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(title)
    return render(request, "awards/form.html", {"form": form, "heading": _("New title")})


@login_required
@require_POST
def quota_create(request: HttpRequest, pk: int) -> HttpResponse:
    title = _title(request, pk)
    form = QuotaForm(request.POST, units=_units(request.user, CATALOGUE_ROLES))
    if form.is_valid():
        try:
            actions.set_quota(actor=request.user, title_key=title.key, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Quota set."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[k].label}: {' '.join(v)}" if k in form.fields else " ".join(v)
                for k, v in form.errors.items()
            ),
        )
    return redirect(title)


@login_required
@require_POST
def quota_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quota = get_object_or_404(Quota.objects.visible_to(request.user), pk=pk)
    title = AwardTitle.objects.for_unit(quota.unit).filter(key=quota.title_key).first()
    actions.delete_quota(actor=request.user, quota=quota)
    messages.success(request, _("Quota removed."))
    return redirect(title) if title else redirect("awards:title_list")


# --- Eligibility -------------------------------------------------------------------------


@login_required
@require_GET
@for_roles(*READER_ROLES, denied=PermissionDenied)
def eligibility(request: HttpRequest) -> HttpResponse:
    focus = _focus(request, READER_ROLES)
    if focus is None:
        raise PermissionDenied
    titles = AwardTitle.objects.for_unit(focus).current().order_by("recipient", "level", "key")
    units = _units(request.user, READER_ROLES)
    data = request.GET if "title" in request.GET else None
    form = EligibilityForm(
        data,
        titles=AwardTitle.objects.visible_to(request.user),
        units=units,
        initial={"year": _year(request), "unit": focus},
    )
    _pickers(form, READER_ROLES)
    rows, title, year, background = [], None, None, False
    if form.is_valid():
        title, year, unit = (form.cleaned_data[k] for k in ("title", "year", "unit"))
        from civility.awards.eligibility import title_for

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
            "can_propose": bool(_units(request.user, PROPOSER_ROLES).exists()),
            "background": background,
        },
    )


@login_required
@require_POST
def eligibility_job(request: HttpRequest) -> HttpResponse:
    """The eligibility list of a large subtree (one title, or every title: `all`), written
    by a background job as an .xlsx."""
    form = EligibilityForm(
        request.POST,
        titles=AwardTitle.objects.visible_to(request.user),
        units=_units(request.user, READER_ROLES),
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
def nomination_list(request: HttpRequest) -> HttpResponse:
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
def nomination_create(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    title = _title(request, source.get("title") or 0)
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
            _add_errors(form, error)
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
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        NominationEvidence.objects.filter(
            nomination__in=Nomination.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve(evidence.file, filename=evidence.download_name)


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            "title", "official", "unit", "proposing_unit", "proposed_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def nomination_vote(request: HttpRequest, pk: int) -> HttpResponse:
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
def nomination_close(request: HttpRequest, pk: int) -> HttpResponse:
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
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    try:
        actions.withdraw_nomination(actor=request.user, nomination=nomination)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Nomination withdrawn."))
    return redirect(nomination)


# --- Decisions ---------------------------------------------------------------------------


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
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
            "can_decide": _units(request.user, DECIDER_ROLES).exists(),
            "source": source,
            "sources": DecisionSource.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    units = _units(request.user, DECIDER_ROLES)
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
        initial={"decided_on": timezone.localdate(), "unit": _focus(request, DECIDER_ROLES)},
    )
    _pickers(form, DECIDER_ROLES)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["nominations"] = list(data["nominations"])
        try:
            decision = actions.record_decision(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(decision)
    return render(
        request,
        "awards/form.html",
        {"form": form, "heading": _("Record a decision"), "multipart": False},
    )


def _decision(request: HttpRequest, pk: int) -> AwardDecision:
    return get_object_or_404(
        AwardDecision.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    response = HttpResponse(
        documents.render_docx(decision, get_language() or "vi", by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}.docx"'
    return response


@login_required
@require_GET
def decision_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    response = HttpResponse(
        documents.render_xlsx(decision, get_language() or "vi", by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}.xlsx"'
    return response


# --- Reviews in progress -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@for_roles(*PROPOSER_ROLES, denied=PermissionDenied)
def hold_list(request: HttpRequest) -> HttpResponse:
    focus = _focus(request, PROPOSER_ROLES)
    if focus is None:
        raise PermissionDenied
    form = HoldForm(
        request.POST or None,
        units=_units(request.user, PROPOSER_ROLES),
        officials=Official.objects.under(focus).active(),
    )
    _pickers(form, PROPOSER_ROLES, focus=focus)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_review_hold(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Review recorded: no proposal meanwhile."))
            return redirect("awards:hold_list")
    holds = ReviewHold.objects.visible_to(request.user).select_related("unit", "official")
    return render(request, "awards/hold_list.html", {"form": form, "holds": holds})


@login_required
@require_POST
def hold_end(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(ReviewHold.objects.visible_to(request.user), pk=pk)
    try:
        ended_on = datetime.date.fromisoformat(request.POST.get("ended_on", ""))
        actions.end_review_hold(actor=request.user, hold=hold, ended_on=ended_on)
    except ValueError:
        messages.error(request, _("Ended on: enter a valid date."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("awards:hold_list")


# --- Revocation reviews ------------------------------------------------------------------


@login_required
@require_GET
def revocation_list(request: HttpRequest) -> HttpResponse:
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
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
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


def _error_message(form, error: ValidationError | None = None) -> str:
    if error is not None:
        return " ".join(error.messages)
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


@login_required
@require_POST
def revocation_open(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(
        Award.objects.visible_to(request.user).select_related("decision__unit", "title"), pk=pk
    )
    form = RevocationOpenForm(request.POST)
    if form.is_valid():
        try:
            actions.open_revocation_review(
                actor=request.user,
                award=award,
                ground=form.cleaned_data["ground"],
                detail=form.cleaned_data["detail"],
            )
        except ValidationError as error:
            messages.error(request, _error_message(form, error))
        else:
            messages.success(request, _("The award is under revocation review."))
    else:
        messages.error(request, _error_message(form))
    return redirect(award)


@login_required
@require_POST
def revocation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        RevocationReview.objects.visible_to(request.user).select_related("award"), pk=pk
    )
    form = RevocationDecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.decide_revocation_review(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_message(form, error))
        else:
            messages.success(request, _("The decision on the award was recorded."))
    else:
        messages.error(request, _error_message(form))
    return redirect(review.award)


@login_required
@require_POST
def revocation_recovery(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        RevocationReview.objects.visible_to(request.user).select_related("award"), pk=pk
    )
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            actions.record_bonus_recovery(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_message(form, error))
        else:
            messages.success(request, _("The recovery of the bonus was recorded."))
    else:
        messages.error(request, _error_message(form))
    return redirect(review.award)


# --- Base salaries -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def base_salary_list(request: HttpRequest) -> HttpResponse:
    """The national base salaries bonuses are computed from; system administrators add and
    correct them."""
    can_manage = bonuses.can_manage_base_salaries(request.user)
    form = BaseSalaryForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                bonuses.save_base_salary(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Base salary saved."))
                return redirect("awards:base_salary_list")
    salaries = BaseSalary.objects.annotate(decision_count=Count("decisions"))
    return render(
        request,
        "awards/base_salary_list.html",
        {"salaries": salaries, "form": form, "can_manage": can_manage},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def base_salary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not bonuses.can_manage_base_salaries(request.user):
        raise PermissionDenied
    salary = get_object_or_404(BaseSalary, pk=pk)
    form = BaseSalaryForm(request.POST or None, instance=BaseSalary.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            bonuses.save_base_salary(actor=request.user, salary=salary, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Base salary saved."))
            return redirect("awards:base_salary_list")
    return render(
        request,
        "awards/form.html",
        {"form": form, "heading": _("Base salary"), "multipart": False},
        status=400 if form.errors else 200,
    )


# --- Honour board ------------------------------------------------------------------------


@require_GET
def honour_board(request: HttpRequest) -> HttpResponse:
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
def my_awards(request: HttpRequest) -> HttpResponse:
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
def honour_consent(request: HttpRequest) -> HttpResponse:
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


# --- Good models and replication ---------------------------------------------------------


@login_required
@require_GET
def model_list(request: HttpRequest) -> HttpResponse:
    form = GoodModelFilterForm(request.GET, request=request)
    models = form.filter(
        GoodModel.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(replication_count=Count("replications"))
    )
    context = {
        "form": form,
        "listing": paginate(request, models, sorts=form.SORTS, default="-started"),
        "unit": form.unit,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "awards/model_list.html#results", context)
    context |= {
        "counts": model_counts(form.unit) if form.unit else [],
        "can_create": _units(request.user, MANAGER_ROLES).exists(),
    }
    return render(request, "awards/model_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def model_create(request: HttpRequest) -> HttpResponse:
    units = _units(request.user, MANAGER_ROLES, small=True, former=True)
    focus = _focus(request, MANAGER_ROLES)
    if focus is None:
        raise PermissionDenied
    form = GoodModelForm(
        request.POST or None,
        units=units,
        movements=Movement.objects.visible_to(request.user),
        officials=Official.objects.under(focus).active(),
    )
    _pickers(form, MANAGER_ROLES, small=True, focus=focus)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["authors"] = list(data["authors"])
        try:
            model = actions.register_good_model(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Registered."))
            return redirect(model)
    return render(request, "awards/form.html", {"form": form, "heading": _("New good model")})


def _model(request: HttpRequest, pk: int) -> GoodModel:
    return get_object_or_404(
        GoodModel.objects.visible_to(request.user).select_related("unit", "movement"), pk=pk
    )


@login_required
@require_GET
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    replications = list(model.replications.select_related("unit").order_by("adopted_on"))
    can_manage = actions.can_manage(request.user, model.unit)
    replicate_units = _units(request.user, MANAGER_ROLES, small=True).exclude(pk=model.unit_id)
    timeline: dict[int, list] = {}
    for replication in replications:
        timeline.setdefault(replication.adopted_on.year, []).append(replication)
    return render(
        request,
        "awards/model_detail.html",
        {
            "model": model,
            "replications": replications,
            "timeline": sorted(timeline.items()),
            "authors": model.authors.all(),
            "can_manage": can_manage,
            "status_form": ModelStatusForm(initial={"status": model.status})
            if can_manage
            else None,
            "replication_form": _pickers(
                ReplicationForm(
                    units=replicate_units, initial={"adopted_on": timezone.localdate()}
                ),
                MANAGER_ROLES,
                small=True,
            )
            if replicate_units.exists()
            else None,
        },
    )


@login_required
@require_POST
def model_status(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    form = ModelStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.change_model_status(actor=request.user, model=model, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    return redirect(model)


@login_required
@require_POST
def model_replicate(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    form = ReplicationForm(request.POST, units=_units(request.user, MANAGER_ROLES, small=True))
    if form.is_valid():
        try:
            actions.replicate_model(actor=request.user, model=model, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Replication recorded."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                if name in form.fields
                else " ".join(errors)
                for name, errors in form.errors.items()
            ),
        )
    return redirect(model)
