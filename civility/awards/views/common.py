"""What the awards pages share: the units a form offers, its pickers narrowed to them, the
year asked, an error in one sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from civility.awards.models.catalogue import AwardTitle
from civility.core.forms import errors_as_text
from civility.core.http import AuthenticatedRequest
from civility.orgs.models import OrgUnit, OrgUnitQuerySet, UnitKind
from civility.orgs.scopes import scope_of

PAGE_SIZE = 50
# Too many to offer in a drop-down; they are reached through their commune.
SMALL_UNITS = (UnitKind.VILLAGE, UnitKind.RESIDENTIAL_GROUP, UnitKind.COUNTER)

_Form = TypeVar("_Form", bound=forms.BaseForm)


def narrow_pickers(
    form: _Form, roles: tuple[str, ...], *, small: bool = False, focus: OrgUnit | None = None
) -> _Form:
    """Let the form's pickers search what its fields hold: units as
    `choosable_units(user, roles, small=small)` gives them, officials of the focus unit's
    subtree."""
    kinds = None if small else [kind for kind in UnitKind.values if kind not in SMALL_UNITS]
    form.fields["unit"].widget.narrow(role=roles, kind=kinds)
    for name in ("official", "authors"):
        if focus is not None and name in form.fields:
            form.fields[name].widget.narrow(under=focus)
    return form


def choosable_units(
    user: User, roles: tuple[str, ...], *, small: bool = False, former: bool = False
) -> OrgUnitQuerySet:
    """Units the user may choose with `roles`: today's, or with `former` those that ended
    too (for a form that checks the unit against its record's date)."""
    units = OrgUnit.objects.filter(scope_of(user).q("path", roles=roles))
    if not former:
        units = units.current()
    if not small:
        units = units.exclude(kind__in=SMALL_UNITS)
    return units.order_by("path")


def year_asked(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - (1 if timezone.localdate().month < 10 else 0)


class HasPage(Protocol):
    def get_absolute_url(self) -> str: ...


def post_and_return(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    *,
    done: StrOrPromise,
    back: HasPage,
) -> HttpResponse:
    """A small form posted from a record's page: run its one action with the cleaned data,
    say how it went in a message (the page it returns to holds no copy of the form to show
    errors under) and go back to the record."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_message(form, error))
        else:
            messages.success(request, done)
    else:
        messages.error(request, error_message(form))
    return redirect(back)


def error_message(form: forms.BaseForm, error: ValidationError | None = None) -> str:
    if error is not None:
        return " ".join(error.messages)
    return errors_as_text(form)


def visible_title(request: AuthenticatedRequest, pk: int | str) -> AwardTitle:
    """The title `pk` (a number, or as the query string gives it) in the user's scope."""
    return get_object_or_404(
        AwardTitle.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
