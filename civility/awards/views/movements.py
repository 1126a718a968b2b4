"""Pages of emulation movements and their registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civility.awards import actions
from civility.awards.forms import (
    MovementForm,
    RegistrationForm,
)
from civility.awards.models.movements import Movement
from civility.awards.models.roles import MANAGER_ROLES
from civility.awards.views.common import choosable_units, narrow_pickers
from civility.core.forms import add_errors, errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official
from civility.orgs.scopes import scope_of

# --- Movements ---------------------------------------------------------------------------


@login_required
@require_GET
def movement_list(request: AuthenticatedRequest) -> HttpResponse:
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
            "can_create": bool(choosable_units(request.user, MANAGER_ROLES).exists()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: AuthenticatedRequest) -> HttpResponse:
    units = choosable_units(request.user, MANAGER_ROLES)
    if not units.exists():
        raise PermissionDenied
    form = narrow_pickers(MovementForm(request.POST or None, units=units), MANAGER_ROLES)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            movement = actions.create_movement(actor=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Movement created."))
            return redirect(movement)
    return render(request, "awards/form.html", {"form": form, "heading": _("New movement")})


@login_required
@require_GET
def movement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(
        Movement.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    scope = scope_of(request.user)
    registrations = movement.registrations.filter(scope.q("unit__path")).select_related(
        "unit", "official"
    )
    focus = focus_unit(request, MANAGER_ROLES)
    form = None
    if focus is not None and focus.path.startswith(movement.unit.path):
        form = RegistrationForm(
            units=choosable_units(request.user, MANAGER_ROLES).filter(
                path__startswith=movement.unit.path
            ),
            officials=Official.objects.under(focus).active(),
        )
        narrow_pickers(form, MANAGER_ROLES, focus=focus)
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
def movement_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(Movement.objects.visible_to(request.user), pk=pk)
    if request.POST.get("self"):
        official = getattr(request.user, "official", None)
        if official is None:
            raise PermissionDenied
        target = {"official": official}
    else:
        form = RegistrationForm(
            request.POST,
            units=choosable_units(request.user, MANAGER_ROLES),
            officials=Official.objects.visible_to(request.user).active(),
        )
        if not form.is_valid():
            messages.error(request, errors_as_text(form))
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
