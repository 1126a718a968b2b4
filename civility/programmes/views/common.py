"""What the programmes pages share: parameters, the focus unit, the form page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from civility.core.listing import int_param
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def focus_unit_param(request: HttpRequest, fallback: OrgUnit | None = None) -> OrgUnit | None:
    """The unit in ?unit=, else the switcher's unit, else `fallback`.

    Not orgs.context_processors.focus_unit: figures pages link to a child unit with ?unit=
    and fall back to the caller's choice, where focus_unit picks a unit by the user's roles."""
    unit_id = int_param(request, "unit")
    if unit_id is not None:
        unit: OrgUnit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
        return unit
    return selected_unit(request) or fallback


def render_form(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str | None = None,
    submit: str | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "submit": submit or _("Save"), **extra}
    return render(request, "programmes/form.html", context, status=status)


def manages_focus(request: HttpRequest, unit: OrgUnit | None) -> bool:
    return unit is not None and scope_of(request.user).covers(unit, roles=MANAGER_ROLES)


def managed_focus(request: HttpRequest) -> OrgUnit:
    unit = focus_unit_param(request)
    if unit is None:
        raise Http404
    if not manages_focus(request, unit):
        raise PermissionDenied
    return unit
