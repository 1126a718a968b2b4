"""The unit switcher: which units a user may work in, and which one is selected."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Scope, scope_of

SESSION_KEY = "unit_id"
_ROOTS_ATTRIBUTE = "_civility_scope_roots"
_SELECTED_ATTRIBUTE = "_civility_selected_unit"


def scope_roots(request: HttpRequest) -> list[OrgUnit]:
    """The units the user's roles are granted on (the outermost ones), by name."""
    if not hasattr(request, _ROOTS_ATTRIBUTE):
        scope = scope_of(request.user)
        if scope.is_global:
            units = OrgUnit.objects.filter(parent__isnull=True)
        elif scope.paths:
            units = OrgUnit.objects.filter(path__in=scope.paths)
        else:
            units = OrgUnit.objects.none()
        setattr(request, _ROOTS_ATTRIBUTE, list(units.order_by("name")))
    roots: list[OrgUnit] = getattr(request, _ROOTS_ATTRIBUTE)
    return roots


def selected_unit(request: HttpRequest) -> OrgUnit | None:
    """The unit chosen in the switcher (kept in the session), else the first scope root.

    A unit that left the user's scope since it was chosen is silently dropped.
    """
    if hasattr(request, _SELECTED_ATTRIBUTE):
        selected: OrgUnit | None = getattr(request, _SELECTED_ATTRIBUTE)
        return selected
    roots = scope_roots(request)
    unit = None
    unit_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if unit_id is not None:
        unit = next((root for root in roots if root.pk == unit_id), None)
        if unit is None:
            unit = OrgUnit.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None and roots:
        unit = roots[0]
    setattr(request, _SELECTED_ATTRIBUTE, unit)
    return unit


def focus_unit(request: HttpRequest, roles: tuple[str, ...]) -> OrgUnit | None:
    """The unit a page about work done under `roles` opens on: the switcher's unit when the
    user holds one of the roles there, else the first unit (by path) where they do; for a
    city-wide user the switcher's unit, else the root. None when they hold none of them."""
    scope = scope_of(request.user)
    unit = selected_unit(request)
    if unit is not None and scope.covers(unit, roles=roles):
        return unit
    if scope.is_global:
        return unit or OrgUnit.objects.filter(parent__isnull=True).order_by("name").first()
    paths = scope.paths_with_role(*roles)
    return OrgUnit.objects.filter(path__in=paths).order_by("path").first() if paths else None


def focus_within(request: HttpRequest, root: OrgUnit, unit_id: int | None) -> OrgUnit:
    """The unit whose part of `root`'s figures a page or endpoint shows (a campaign's, a
    programme's, an indicator's): the unit asked for (`unit_id`, which must lie in `root`'s
    subtree and the user's scope), else `root` when the user covers it, else the switcher's
    unit when it lies inside `root`, else the outermost unit of the user's inside `root`.
    Http404 when the user has no part of `root`."""
    if unit_id is not None:
        return get_object_or_404(
            OrgUnit.objects.visible_to(request.user).subtree_of(root), pk=unit_id
        )
    scope = scope_of(request.user)
    if scope.covers(root):
        return root
    selected = selected_unit(request)
    if selected is not None and selected.path.startswith(root.path) and scope.covers(selected):
        return selected
    inside = [path for path in scope.paths if path.startswith(root.path)]
    if not inside:
        raise Http404
    return OrgUnit.objects.get(path=min(inside, key=len))


def select_unit(request: HttpRequest, unit: OrgUnit) -> None:
    request.session[SESSION_KEY] = unit.pk
    setattr(request, _SELECTED_ATTRIBUTE, unit)


def can_read_audit(scope: Scope) -> bool:
    return scope.holds(*Scope.AUDIT_READER_ROLES)


def unit_switcher(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def switcher_units() -> list[OrgUnit]:
        units = list(scope_roots(request))
        current = selected_unit(request)
        if current is not None and current not in units:
            units.append(current)
        return units

    return {
        "switcher_units": SimpleLazyObject(switcher_units),
        "selected_unit": SimpleLazyObject(lambda: selected_unit(request)),
        "can_read_audit": SimpleLazyObject(lambda: can_read_audit(scope_of(user))),
    }


def offered_units(request: HttpRequest, current: OrgUnit | None) -> list[OrgUnit]:
    """Units a list's unit filter offers without a search: the scope roots and their
    children, plus the current one."""
    roots = scope_roots(request)
    if not roots:
        return []
    children = (
        OrgUnit.objects.visible_to(request.user)
        .filter(parent__in=roots)
        .current()
        .order_by("name")
        .only("pk", "name", "name_en", "parent_id", "depth", "kind")
    )
    by_parent: dict[int, list[OrgUnit]] = {}
    for child in children:
        if child.parent_id is not None:  # the query asked for children
            by_parent.setdefault(child.parent_id, []).append(child)
    choices: list[OrgUnit] = []
    for root in roots:
        choices.append(root)
        choices.extend(by_parent.get(root.pk, []))
    if current is not None and current.pk not in {unit.pk for unit in choices}:
        choices.append(current)
    return choices
