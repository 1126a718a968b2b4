"""Pages for units, officials and places. Every fetch goes through `visible_to(user)`."""

from __future__ import annotations

from typing import Protocol, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.aggregates import JSONBAgg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Model, Q, QuerySet, Value, When
from django.db.models.functions import JSONObject
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civility.core import todo
from civility.core.forms import add_errors
from civility.core.http import AuthenticatedRequest
from civility.core.listing import paginate
from civility.core.models import AuditEvent
from civility.feedback.front_door import public_home
from civility.orgs.actions import can_set_policies, create_official, set_policy, update_official
from civility.orgs.context_processors import (
    can_read_audit,
    scope_roots,
    select_unit,
    selected_unit,
)
from civility.orgs.forms import (
    OfficialFilterForm,
    OfficialForm,
    PlaceFilterForm,
    PolicyForm,
    UnitFilterForm,
    UnitSelectForm,
)
from civility.orgs.history import Destination, destinations
from civility.orgs.models import (
    Official,
    OrgUnit,
    OrgUnitQuerySet,
    Place,
    StaffCategory,
    Succession,
    UnitPolicy,
)
from civility.orgs.policies import declared, policies_for
from civility.orgs.scopes import MANAGER_ROLES, Reader, Scope, scope_of

PAGE_SIZE = 50

_Row = TypeVar("_Row", bound=Model, covariant=True)


class _Scoped(Protocol[_Row]):
    """A manager or QuerySet of rows with `visible_to(user)`. mypy infers the row type from a
    QuerySet but not from a manager the Django plugin made (`Model.objects`): whoever passes
    one names the type of what comes back."""

    def visible_to(self, user: Reader) -> QuerySet[_Row]: ...


def get_visible_or_404(queryset: _Scoped[_Row], user: Reader, pk: int) -> _Row:
    """Fetch one row the user may see; anything else is a 404, so existence does not leak."""
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def can_manage(user: Reader, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=MANAGER_ROLES)


def with_tree_facts(units: OrgUnitQuerySet) -> OrgUnitQuerySet:
    """Child counts and successors in the same query as the units themselves; current units
    come first, then former ones, each by name."""
    former = Q(valid_to__lt=timezone.localdate())
    return units.annotate(
        is_former=Case(When(former, then=Value(True)), default=Value(False)),
        child_count=Count("children", distinct=True),
        successor_list=JSONBAgg(
            JSONObject(id="successors__id", name="successors__name"),
            distinct=True,
            filter=Q(successors__isnull=False),
            default=[],
        ),
    ).order_by("is_former", "name")


def _filter_unit(request: HttpRequest, unit_id: int | None) -> OrgUnit | None:
    """The unit whose subtree a list shows: the one asked for (404 if not visible), else the
    selected one."""
    if unit_id is None:
        return selected_unit(request)
    unit: OrgUnit = get_visible_or_404(OrgUnit.objects, request.user, unit_id)
    return unit


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def home(request: HttpRequest) -> HttpResponse:
    """The person's to-do list, from every app (civility/core/todo.py); to someone not
    signed in, the citizens' front door."""
    if not request.user.is_authenticated:
        return public_home(request)
    items = todo.items_for(request.user, today=timezone.localdate())
    context = {
        "groups": todo.grouped(items),
        "count": len(items),
        "unit": selected_unit(request),
        "official": getattr(request.user, "official", None),
        "has_roles": bool(scope_of(request.user).grants) or request.user.is_superuser,
    }
    return render(request, "orgs/home.html", context)


@require_POST
@login_required
def unit_select(request: HttpRequest) -> HttpResponse:
    form = UnitSelectForm(request.POST)
    if not form.is_valid():
        raise Http404
    unit: OrgUnit = get_visible_or_404(OrgUnit.objects, request.user, form.cleaned_data["unit"])
    select_unit(request, unit)
    return redirect(_safe_next(request, "orgs:home"))


@require_GET
@login_required
def unit_list(request: AuthenticatedRequest) -> HttpResponse:
    """The tree from the scope roots, and below it the paged table of a subtree's units."""
    form = UnitFilterForm(request.GET, request=request)
    units = OrgUnit.objects.visible_to(request.user).select_related("parent")
    if form.unit is None:
        units = units.none()
    context: dict[str, object] = {
        "form": form,
        "unit": form.unit,
        "listing": paginate(request, form.filter(units), sorts=form.SORTS, default="name"),
        "today": timezone.localdate(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "orgs/unit_list.html#results", context)
    root_ids = [unit.pk for unit in scope_roots(request)]
    context["roots"] = with_tree_facts(OrgUnit.objects.filter(pk__in=root_ids))
    return render(request, "orgs/unit_list.html", context)


@require_GET
@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    # One query: a child of a visible unit is visible, and children of a unit outside the
    # scope are filtered out by `visible_to`, so nothing leaks without fetching the parent.
    children = with_tree_facts(OrgUnit.objects.visible_to(request.user).filter(parent_id=pk))
    return render(
        request,
        "orgs/unit_list.html#children",
        {"children": children, "today": timezone.localdate()},
    )


def _todays_units(unit: OrgUnit, scope: Scope) -> list[tuple[Destination, bool]]:
    """Where a former unit's figures go today, when that is more than its direct successors
    (a ward of 2024 in a district that ended too): each unit with its share and whether it
    is an estimate."""
    if unit.is_current():
        return []
    found = destinations([unit])[unit.pk]
    direct = set(unit.successors.values_list("pk", flat=True))
    if {destination.unit.pk for destination in found} == direct:
        return []
    return [(destination, scope.covers(destination.unit)) for destination in found]


@require_GET
@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit: OrgUnit = get_visible_or_404(OrgUnit.objects, request.user, pk)
    scope = scope_of(request.user)
    ancestors = [(ancestor, scope.covers(ancestor)) for ancestor in unit.ancestors()]
    officials = (
        Official.objects.visible_to(request.user)
        .under(unit)
        .aggregate(
            working=Count("pk", filter=Q(left_on__isnull=True)),
            leaders=Count("pk", filter=Q(left_on__isnull=True, is_leader=True)),
            sensitive=Count("pk", filter=Q(left_on__isnull=True, post__is_sensitive=True)),
            left=Count("pk", filter=Q(left_on__isnull=False)),
            **{
                category: Count("pk", filter=Q(left_on__isnull=True, staff_category=category))
                for category in StaffCategory.values
            },
        )
    )
    categories = [(label, officials[value]) for value, label in StaffCategory.choices]
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "successors": [
            (link, link.successor, scope.covers(link.successor))
            for link in Succession.objects.filter(predecessor=unit)
            .select_related("successor")
            .order_by("successor__name")
        ],
        "predecessors": [
            (link, link.predecessor, scope.covers(link.predecessor))
            for link in Succession.objects.filter(successor=unit)
            .select_related("predecessor")
            .order_by("predecessor__name")
        ],
        "todays_units": _todays_units(unit, scope),
        "children": with_tree_facts(unit.children.all()),
        "officials": officials,
        "categories": categories,
        "unit_count": OrgUnit.objects.subtree_of(unit).current().count(),
        "place_count": Place.objects.visible_to(request.user)
        .filter(unit__path__startswith=unit.path)
        .count(),
        "places": Place.objects.visible_to(request.user).filter(unit=unit).order_by("name"),
        "can_manage": can_manage(request.user, unit),
        "is_selected": selected_unit(request) == unit,
        "today": timezone.localdate(),
    }
    return render(request, "orgs/unit_detail.html", context)


@require_GET
@login_required
def official_list(request: AuthenticatedRequest) -> HttpResponse:
    form = OfficialFilterForm(request.GET, request=request)
    officials = Official.objects.visible_to(request.user).with_unit_and_post()
    if form.unit is None:
        officials = officials.none()
    listing = paginate(request, form.filter(officials), sorts=form.SORTS, default="name")
    context = {
        "form": form,
        "unit": form.unit,
        "listing": listing,
        "can_create": form.unit is not None and can_manage(request.user, form.unit),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "orgs/official_list.html#results", context)
    return render(request, "orgs/official_list.html", context)


@require_GET
@login_required
def official_detail(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_visible_or_404(
        Official.objects.with_unit_and_post().select_related("user"), request.user, pk
    )
    history = None
    if can_read_audit(scope_of(request.user)):
        history = (
            AuditEvent.objects.get_for_object(official)
            .visible_to(request.user)
            .select_related("actor", "content_type")[:PAGE_SIZE]
        )
    context = {
        "official": official,
        "history": history,
        "can_manage": can_manage(request.user, official.unit),
    }
    return render(request, "orgs/official_detail.html", context)


@login_required
def official_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    official = get_visible_or_404(Official.objects.with_unit_and_post(), request.user, pk)
    if not can_manage(request.user, official.unit):
        raise PermissionDenied
    form = OfficialForm(request.POST or None, instance=official, unit=official.unit)
    if request.method == "POST" and form.is_valid():
        try:
            update_official(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The official's record was saved."))
            return redirect(official)
    return render(request, "orgs/official_form.html", {"form": form, "official": official})


@login_required
def official_create(request: AuthenticatedRequest) -> HttpResponse:
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id is not None and not str(unit_id).isdigit():
        raise Http404
    unit = _filter_unit(request, int(unit_id) if unit_id else None)
    if unit is None:
        raise Http404
    if not can_manage(request.user, unit):
        raise PermissionDenied
    form = OfficialForm(
        request.POST or None, instance=Official(unit=unit), unit=unit, creating=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            official = create_official(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The official was added."))
            return redirect(official)
    return render(request, "orgs/official_form.html", {"form": form, "unit": unit})


@require_GET
@login_required
def place_list(request: AuthenticatedRequest) -> HttpResponse:
    form = PlaceFilterForm(request.GET, request=request)
    places = Place.objects.visible_to(request.user).select_related("unit")
    if form.unit is None:
        places = places.none()
    context = {
        "form": form,
        "unit": form.unit,
        "listing": paginate(request, form.filter(places), sorts=form.SORTS, default="name"),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "orgs/place_list.html#results", context)
    return render(request, "orgs/place_list.html", context)


@login_required
def unit_policies(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The settings in force for a unit, who chose each and on what ground; coordinators of
    the unit record new choices here."""
    unit: OrgUnit = get_visible_or_404(OrgUnit.objects, request.user, pk)
    today = timezone.localdate()
    can_set = can_set_policies(request.user, unit)
    form = PolicyForm(request.POST or None, initial={"valid_from": today})
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        if form.is_valid():
            try:
                set_policy(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The setting was recorded."))
                return redirect("orgs:unit_policies", pk=unit.pk)
    context = {
        "unit": unit,
        "values": policies_for(unit, on=today),
        "records": _recorded_policies(unit),
        "form": form if can_set else None,
    }
    return render(request, "orgs/unit_policies.html", context)


def _recorded_policies(unit: OrgUnit) -> list[tuple[UnitPolicy, str, str]]:
    """Each record with its setting's label and value as shown (a record of a setting no
    longer declared shows its key and raw value)."""
    specs = {spec.key: spec for spec in declared()}
    rows = []
    for record in UnitPolicy.objects.filter(unit=unit).select_related("recorded_by"):
        spec = specs.get(record.key)
        label = str(spec.label) if spec else record.key
        rows.append((record, label, spec.display(record.value) if spec else str(record.value)))
    return rows
