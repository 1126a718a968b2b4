"""Dashboards, rankings, downloads and periodic reports. Pages read the index and rollup
tables only; every unit comes from `OrgUnit.objects.visible_to(user)` (out of scope: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.core.files import serve
from civility.core.http import AuthenticatedRequest
from civility.feedback import figures as feedback_figures
from civility.insights import actions, exports, scorecards
from civility.insights import figures as insight_figures
from civility.insights.forms import ReportForm, SubscriptionForm, WeightsForm, parse_period
from civility.insights.models import AnyUser, CultureIndex, ReportJob, Subscription, WeightSet
from civility.insights.periods import KINDS, Period
from civility.inspections.models import CorrectiveAction
from civility.orgs.context_processors import scope_roots, selected_unit
from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.scopes import scope_of

OFFICIALS_LISTED = 300


def _unit(request: HttpRequest, name: str = "unit") -> OrgUnit:
    unit_id = request.GET.get(name) or request.POST.get(name)
    if unit_id:
        if not str(unit_id).isdigit():
            raise Http404
        found: OrgUnit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
        return found
    unit = selected_unit(request)
    if unit is None:
        raise Http404
    return unit


def _period(request: HttpRequest) -> tuple[Period, str | None]:
    return parse_period(request.GET.get("period"), Period.current("quarter"))


def _own_unit_below(request: HttpRequest) -> OrgUnit | None:
    """The user's own unit under the unit asked for, when that unit is out of their scope
    (a ward head asking for the city): they are shown where their unit stands among its
    siblings instead of a 404."""
    unit_id = request.GET.get("unit", "")
    asked = OrgUnit.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
    if asked is None:
        return None
    return next((root for root in scope_roots(request) if root.path.startswith(asked.path)), None)


@login_required
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    try:
        unit = _unit(request)
    except Http404:
        own = _own_unit_below(request)
        if own is None:
            raise
        query: dict[str, str | int] = {"unit": own.pk}
        if request.GET.get("period"):
            query["period"] = request.GET["period"]
        return redirect(f"{request.path}?{urlencode(query)}#siblings")
    period, period_error = _period(request)
    entry = CultureIndex.objects.for_period(period).filter(unit=unit).first()
    children = insight_figures.children_ranked(unit, period)
    siblings = insight_figures.siblings_ranked(unit, period)
    ranked_siblings = [row for row in siblings if row.rank is not None]
    own_rank = next((row.rank for row in siblings if row.is_self), None)
    # On a phone the ward sees the top three and its neighbours; the rest folds away.
    near = [
        row
        for row in ranked_siblings
        if (rank := row.rank) is not None
        and (rank <= 3 or (own_rank is not None and abs(rank - own_rank) <= 2))
    ]
    trend = insight_figures.trend(unit, period)
    can_map_forward = insight_figures.has_former_units(children)
    todays_units = (
        insight_figures.in_todays_units(children)
        if can_map_forward and request.GET.get("todays_units")
        else None
    )
    counters = officials = None
    if unit.kind in (UnitKind.SERVICE_POINT, UnitKind.SERVICE_BRANCH, UnitKind.COUNTER) or (
        unit.is_commune_level()
    ):
        counters = feedback_figures.per_counter(unit=unit, start=period.start, end=period.end)
        # A commune's service point belongs to the Service Center: its counters are listed
        # for their figures; their index opens for users whose scope covers them, their
        # ratings, calls and corrective actions (read-only) for the commune's heads too.
        ids = [row["counter_id"] for row in counters]
        openable = set(
            OrgUnit.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        readable = openable | set(
            OrgUnit.objects.serving_scope_of(request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        open_actions = dict(
            CorrectiveAction.objects.filter(unit_id__in=readable)
            .not_closed()
            .values("unit_id")
            .annotate(count=Count("pk"))
            .values_list("unit_id", "count")
        )
        for row in counters:
            row["openable"] = row["counter_id"] in openable
            row["readable"] = row["counter_id"] in readable
            row["open_actions"] = open_actions.get(row["counter_id"], 0)
    staff = Official.objects.visible_to(request.user).filter(unit=unit).active()
    if staff.exists():
        rated = {
            row["official_id"]: row
            for row in feedback_figures.per_official(unit=unit, start=period.start, end=period.end)
        }
        officials = [
            (official, rated.get(official.pk))
            for official in staff.order_by("full_name")[:OFFICIALS_LISTED]
        ]
    return render(
        request,
        "insights/dashboard.html",
        {
            "unit": unit,
            "can_edit_weights": _may_edit_weights(request.user, unit),
            "has_public_scorecard": unit.kind in scorecards.SCORECARD_KINDS,
            "ancestors": unit.ancestors().filter(scope_of(request.user).q("path")),
            "period": period,
            "period_error": period_error,
            "kinds": [(kind, Period.containing(kind, period.end)) for kind in KINDS],
            "previous": period.previous(),
            "following": period.following(),
            "entry": entry,
            "not_computed": not actions.is_computed(period, timezone.localdate()),
            "computed_at": actions.computed_at(period),
            "previous_entry": CultureIndex.objects.for_period(period.previous())
            .filter(unit=unit)
            .first(),
            "lines": insight_figures.component_lines(entry, unit, period),
            "children": children,
            "can_map_forward": can_map_forward,
            "todays_units": todays_units,
            "children_scored": any(row.score is not None for row in children),
            "siblings": siblings,
            "ranked_siblings": ranked_siblings,
            "near_siblings": near,
            "unranked_siblings": len(siblings) - len(ranked_siblings),
            "ranking_version": insight_figures.ranking_version(children),
            "trend": trend,
            "chart_trend": {
                "labels": [p.label for p, _score in trend],
                "values": [None if s is None else float(s) for _p, s in trend],
                "label": _("Culture index"),
            },
            "chart_ranking": {
                "labels": [row.unit.display_name for row in children if row.score is not None],
                "values": [float(row.score) for row in children if row.score is not None],
                "label": _("Culture index"),
            },
            "counters": counters,
            "officials": officials,
        },
    )


@login_required
@require_POST
def compute_period(request: AuthenticatedRequest) -> HttpResponse:
    """Compute a past period's figures in a job; its page follows the progress and opens
    the dashboard of that period when done."""
    unit = _unit(request)
    text = request.POST.get("period")
    period, error = parse_period(text, Period.current("month"))
    if error or not text:
        messages.error(request, error or _("Choose a period."))
        return redirect(f"{reverse('insights:dashboard')}?{urlencode({'unit': unit.pk})}")
    try:
        job = actions.request_period_figures(actor=request.user, unit=unit, period=period)
    except ValidationError as failure:
        messages.error(request, " ".join(failure.messages))
        return redirect(actions.dashboard_url(unit.pk, period))
    return redirect(job)


@login_required
@require_GET
def table_export(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit(request)
    period, error = _period(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    name = request.GET.get("table", "ranking")
    builder = exports.TABLES.get(name)
    if builder is None:
        return HttpResponse(
            _("Unknown table “%(name)s”.") % {"name": name},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if name == "components":
        entry = CultureIndex.objects.for_period(period).filter(unit=unit).first()
        table = builder(unit, period, entry)
    else:
        table = builder(unit, period)
    filename = f"{name}-{unit.pk}-{period.slug}"
    provenance = exports.provenance(title=table.title, unit=unit, period=period, by=request.user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            exports.csv_text(table, provenance), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    response = HttpResponse(
        exports.xlsx_bytes([table], provenance),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _weights_province(unit: OrgUnit) -> OrgUnit:
    if unit.parent_id is None:
        return unit
    return unit.ancestors().first() or unit  # a unit with a parent has ancestors


def _may_edit_weights(user: AnyUser, unit: OrgUnit) -> bool:
    """The weights are the province's: set by its coordinators (and administrators)."""
    return scope_of(user).covers(_weights_province(unit), roles=actions.WEIGHT_ROLES)


@login_required
@require_http_methods(["GET", "POST"])
def weights_edit(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit(request)
    province = _weights_province(unit)
    if not _may_edit_weights(request.user, unit):
        raise PermissionDenied
    raw_year = request.GET.get("year") or request.POST.get("year") or ""
    year = (
        int(raw_year)
        if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100
        else (timezone.localdate().year)
    )
    rules = actions.weights_for(province.pk, year)
    initial = {
        **{f"w_{key}": value for key, value in rules.weights.items()},
        **{f"min_{key}": value for key, value in rules.min_samples.items()},
        **{f"scale_{key}": value for key, value in rules.scales.items()},
        "small_sample_rule": rules.rule,
    }
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _weight_set, job = actions.save_weights(
                actor=request.user,
                province=province,
                year=year,
                weights=form.weights(),
                scales=form.scales(),
                min_samples=form.min_samples(),
                small_sample_rule=form.cleaned_data["small_sample_rule"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The weights for %(year)d are saved.") % {"year": year})
            if not job.is_finished():
                return redirect(job)
            return redirect(f"{request.path}?unit={province.pk}&year={year}")
    return render(
        request,
        "insights/weights_edit.html",
        {
            "province": province,
            "year": year,
            "form": form,
            "weight_set": WeightSet.objects.filter(unit=province, year=year).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    unit = _unit(request)
    today = timezone.localdate()
    asked, _error = parse_period(request.GET.get("period"), Period.containing("half", today))
    form = ReportForm(request.POST or None, initial=ReportForm.initial_for(asked))
    if request.method == "POST" and form.is_valid():
        job = actions.request_report(
            actor=request.user,
            unit=unit,
            period=form.period(),
            language=translation.get_language() or "vi",
        )
        return redirect(job)
    jobs = ReportJob.objects.visible_to(request.user).filter(unit=unit).select_related("unit")
    return render(
        request,
        "insights/report_list.html",
        {
            "unit": unit,
            "form": form,
            "jobs": jobs[:50],
            "can_subscribe": scope_of(request.user).covers(unit, roles=actions.REPORT_ROLES),
        },
    )


@login_required
@require_GET
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(
        ReportJob.objects.visible_to(request.user).select_related("unit", "job"), pk=pk
    )
    template = "insights/report_detail.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"job": job})


@login_required
@require_GET
def report_download(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponseBase:
    job = get_object_or_404(ReportJob.objects.visible_to(request.user), pk=pk)
    file = {"docx": job.docx, "xlsx": job.xlsx}.get(kind)
    if not file:
        raise Http404
    return serve(file, filename=f"bao-cao-{job.period.slug}.{kind}")


@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own report subscriptions; subscribing to the selected unit's reports."""
    unit = _unit(request) if (request.GET.get("unit") or request.POST.get("unit")) else None
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST":
        if unit is None:
            raise Http404
        if form.is_valid():
            try:
                actions.subscribe(
                    actor=request.user,
                    unit=unit,
                    kind=form.cleaned_data["kind"],
                    format=form.cleaned_data["format"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Subscribed: the report will be e-mailed to %(email)s when it is due.")
                    % {"email": request.user.email},
                )
                return redirect(f"{request.path}?unit={unit.pk}")
    subscriptions = (
        Subscription.objects.filter(user=request.user)
        .select_related("unit")
        .prefetch_related("deliveries")
    )
    return render(
        request,
        "insights/subscription_list.html",
        {
            "unit": unit,
            "form": form,
            "subscriptions": subscriptions,
            "can_subscribe": unit is not None
            and scope_of(request.user).covers(unit, roles=actions.REPORT_ROLES),
        },
    )


@login_required
@require_POST
def subscription_stop(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription.objects.filter(user=request.user), pk=pk)
    actions.unsubscribe(actor=request.user, subscription=subscription)
    messages.success(request, _("You will no longer receive this report."))
    return redirect("insights:subscription_list")


@require_GET
def report_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """The download link of a subscribed report too large to attach: signed, expiring, and
    only while its recipient still holds a role over the unit."""
    delivery = actions.delivery_from_token(token)
    if delivery is None or delivery.job is None:
        raise Http404
    subscription, job = delivery.subscription, delivery.job
    file = job.docx if subscription.format == "docx" else job.xlsx
    if not file:
        raise Http404
    return serve(
        file, filename=f"bao-cao-{subscription.unit_id}-{job.period.slug}.{subscription.format}"
    )
