"""Searchable pickers of units and people, for every form that chooses them.

A country has ~6,700 units and a city ~150,000 officials: a <select> listing them all is
unusable on a phone and heavy to render. The widgets here render a <select> holding only the
chosen options (so a form validates and re-renders on error as usual, and the field's scoped
queryset still decides what is valid); civility.js turns every `select[data-picker]` into a
Tom Select box that asks the two search views below as one types. The views are scoped like
every read: a person only ever finds units and people of the subtrees their roles cover.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias, cast
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from civility.orgs.models import (
    Folded,
    Official,
    OfficialQuerySet,
    OrgUnit,
    OrgUnitQuerySet,
    folded_words,
)
from civility.orgs.scopes import Reader, scope_of

# The most options a search answers with: enough to scroll on a phone, and the list stays
# quick to send and draw; a longer list means the person should type more.
MAX_RESULTS = 50
PATH_SEPARATOR = " › "

# One option of a picker, as the search views send it and the widget renders it: value (a
# primary key) and text, and for units the path of their parents, for people unit and post.
Option: TypeAlias = dict[str, int | str]


# --- Units ------------------------------------------------------------------------------


def visible_units(
    user: Reader,
    *,
    kinds: Iterable[str] = (),
    roles: Iterable[str] = (),
    under: OrgUnit | None = None,
    current: bool = True,
    as_of: datetime.date | int | None = None,
) -> OrgUnitQuerySet:
    """The units a picker may offer `user`: their scope (or the part of it where they hold
    one of `roles`), narrowed to some kinds, to a subtree, and to units that exist on
    `as_of` (a record's date: a ward of 2024 for a record of 2024; a year: any day of it),
    else today, unless `current` is False (every unit, former ones too)."""
    roles = tuple(roles)
    units = OrgUnit.objects.filter(scope_of(user).q("path", roles=roles or None))
    if as_of is not None or current:
        units = units_of(units, as_of)
    if kinds:
        units = units.filter(kind__in=tuple(kinds))
    if under is not None:
        units = units.subtree_of(under)
    return units


def units_of(units: OrgUnitQuerySet, when: datetime.date | int | None) -> OrgUnitQuerySet:
    """`units` that existed on the day `when` (today when None), or on some day of the year
    `when`: a ward of 2024 for a record of 2024, none that ended before the record."""
    if isinstance(when, int):
        return units.valid_during(datetime.date(when, 1, 1), datetime.date(when, 12, 31))
    return units.current() if when is None else units.valid_on(when)


def refuse_units_not_of(form: forms.BaseForm, field: str, when: datetime.date | int | None) -> None:
    """The server's half of a dated picker (`as_of`, `dated_by`): an error on `field`, naming
    it, for each unit chosen there that did not exist on the record's day (today when None)
    or year. The field's queryset may hold former units; this decides which ones fit."""
    chosen = form.cleaned_data.get(field)
    if not chosen:
        return
    units = [chosen] if isinstance(chosen, OrgUnit) else list(chosen)
    fitting = set(
        units_of(OrgUnit.objects.filter(pk__in=[u.pk for u in units]), when).values_list(
            "pk", flat=True
        )
    )
    label = form.fields[field].label
    for unit in units:
        if unit.pk in fitting:
            continue
        if isinstance(when, int):
            message = _("%(field)s: %(unit)s did not exist in %(year)s.") % {
                "field": label,
                "unit": unit.display_name,
                "year": when,
            }
        else:
            message = _("%(field)s: %(unit)s did not exist on %(day)s.") % {
                "field": label,
                "unit": unit.display_name,
                "day": date_format(when or timezone.localdate(), "SHORT_DATE_FORMAT"),
            }
        form.add_error(field, message)


def refuse_officials_not_in_post(
    form: forms.BaseForm, field: str, when: datetime.date | int | None
) -> None:
    """The server's half of a dated people picker (`dated_by`): an error on `field`, naming
    it, for each official chosen there who had left before the record's day (today when
    None) or year (its first day, as the picker offers). The field's queryset may hold
    former staff; this decides which ones fit (`Official.objects.in_post_on`)."""
    chosen = form.cleaned_data.get(field)
    if not chosen:
        return
    people = [chosen] if isinstance(chosen, Official) else list(chosen)
    day = datetime.date(when, 1, 1) if isinstance(when, int) else when or timezone.localdate()
    fitting = set(
        Official.objects.filter(pk__in=[p.pk for p in people])
        .in_post_on(day)
        .values_list("pk", flat=True)
    )
    label = form.fields[field].label
    for person in people:
        if person.pk in fitting or person.left_on is None:
            continue
        if isinstance(when, int):
            message = _("%(field)s: %(name)s had left on %(left)s, before %(year)s.") % {
                "field": label,
                "name": person.full_name,
                "left": date_format(person.left_on, "SHORT_DATE_FORMAT"),
                "year": when,
            }
        else:
            message = _("%(field)s: %(name)s had left on %(left)s, before %(day)s.") % {
                "field": label,
                "name": person.full_name,
                "left": date_format(person.left_on, "SHORT_DATE_FORMAT"),
                "day": date_format(day, "SHORT_DATE_FORMAT"),
            }
        form.add_error(field, message)


def search_units(user: Reader, text: str, **narrowing: Any) -> list[Option]:
    """At most MAX_RESULTS units matching every word of `text` (accents and case ignored),
    names that start with the text first, then the shallower, then by name; each with the
    path of its parents so that two counters called "Quầy số 1" can be told apart."""
    text = unicodedata.normalize("NFC", text).strip()
    units = visible_units(user, **narrowing).search(text)
    if text:
        units = units.annotate(
            starts=Case(
                When(search_name__startswith=Folded(Value(text)), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("starts", "depth", "name", "pk")
    else:
        units = units.order_by("depth", "path")
    found = list(units.only("pk", "name", "name_en", "path", "depth")[:MAX_RESULTS])
    roots = scope_roots(user)
    return [unit_option(unit, parents) for unit, parents in with_parents(found, roots=roots)]


def with_parents(
    units: list[OrgUnit], *, roots: Iterable[str] | None = None
) -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """Each unit with its ancestors (outermost first), read in one query. Ancestors at or
    above one of `roots` (the user's scope: every unit they see shares them) are left out;
    with no roots given, only the top of the tree (the province) is."""
    chains = {
        unit.pk: [int(part) for part in unit.path.strip("/").split("/")[:-1]] for unit in units
    }
    wanted = {pk for chain in chains.values() for pk in chain}
    ancestors = OrgUnit.objects.only("pk", "name", "name_en", "path", "depth").in_bulk(wanted)
    result: list[tuple[OrgUnit, list[OrgUnit]]] = []
    for unit in units:
        parents = [ancestors[pk] for pk in chains[unit.pk] if pk in ancestors]
        if roots is None:
            parents = [parent for parent in parents if parent.depth > 0]
        else:
            parents = [p for p in parents if not any(r.startswith(p.path) for r in roots)]
        result.append((unit, parents))
    return result


def scope_roots(user: Reader) -> list[str]:
    scope = scope_of(user)
    return [] if scope.is_global else scope.paths


def unit_option(unit: OrgUnit, parents: list[OrgUnit]) -> Option:
    return {
        "value": unit.pk,
        "text": unit.display_name,
        "path": PATH_SEPARATOR.join(parent.display_name for parent in parents),
    }


# --- People -----------------------------------------------------------------------------


def person_name(person: Official | User) -> str:
    """A person's full name in Vietnamese order (family, middle, given), never a user name
    when a name is known. `person` is an Official or a user account; an account's name is
    its official's, else its last name (family and middle) then its first name (given)."""
    if isinstance(person, Official):
        return person.full_name
    official: Official | None = getattr(person, "official", None) if _has_official(person) else None
    if official is not None:
        return official.full_name
    name = f"{person.last_name} {person.first_name}".strip()
    return name or person.get_username()


def _has_official(user: User) -> bool:
    try:
        return user.official is not None
    except Official.DoesNotExist:
        return False


def _person_details(person: Official | User) -> tuple[str, str]:
    official: Official | None
    if isinstance(person, Official):
        official = person
    elif _has_official(person):
        official = person.official
    else:
        official = None
    if official is None:
        return "", ""
    post = official.post if official.post_id else None
    return official.unit.display_name, post.name if post is not None else ""


def person_option(person: Official | User) -> Option:
    unit, post = _person_details(person)
    return {"value": person.pk, "text": person_name(person), "unit": unit, "post": post}


def pickable_officials(
    user: Reader,
    *,
    roles: Iterable[str] = (),
    under: OrgUnit | None = None,
    as_of: datetime.date | int | None = None,
) -> OfficialQuerySet:
    """Working officials of the user's scope (the part where they hold one of `roles`, when
    given) or, when a form offered the people of one subtree (signed `under`), of it; for a
    record of a past day (`as_of`; a year: its first day), those still in post on it."""
    if isinstance(as_of, int):
        as_of = datetime.date(as_of, 1, 1)
    officials = Official.objects.active() if as_of is None else Official.objects.in_post_on(as_of)
    if under is not None:
        return officials.under(under)
    return officials.filter(scope_of(user).q("unit__path", roles=tuple(roles) or None))


def pickable_accounts(
    user: Reader, *, roles: Iterable[str] = (), under: OrgUnit | None = None
) -> QuerySet[User]:
    """Active accounts holding a role (one of `roles` when given, as for the members of an
    inspection delegation) in the user's scope or in the subtree a form offered, or, with
    neither, working in the user's scope."""
    roles = tuple(roles)
    accounts = get_user_model().objects.filter(is_active=True)
    if under is not None:
        condition = Q(role_assignments__unit__path__startswith=under.path)
    else:
        condition = scope_of(user).q("role_assignments__unit__path")
    if roles:
        accounts = accounts.filter(condition, role_assignments__role__in=roles)
    elif under is not None:
        accounts = accounts.filter(condition | Q(official__unit__path__startswith=under.path))
    else:
        accounts = accounts.filter(condition | scope_of(user).q("official__unit__path"))
    return accounts.distinct()


def search_people(
    user: Reader,
    text: str,
    *,
    accounts: bool = False,
    as_of: datetime.date | int | None = None,
    **narrowing: Any,
) -> list[Option]:
    """At most MAX_RESULTS officials (or user accounts) whose full name holds every word of
    `text`, accents and case ignored, with their unit and post; officials in post on `as_of`
    (a record's day) rather than today's (accounts are always today's)."""
    people: QuerySet[User] | OfficialQuerySet
    if accounts:
        people = pickable_accounts(user, **narrowing)
        for word in unicodedata.normalize("NFC", text).split():
            people = people.filter(
                Q(official__search_name__contains=Folded(Value(word)))
                | Q(last_name__unaccent__icontains=word)
                | Q(first_name__unaccent__icontains=word)
            )
        people = people.select_related("official__unit", "official__post").order_by(
            "official__full_name", "last_name", "first_name", "pk"
        )
    else:
        people = pickable_officials(user, as_of=as_of, **narrowing)
        for folded in folded_words(text):
            people = people.filter(search_name__contains=folded)
        people = people.with_unit_and_post().order_by("full_name", "pk")
    return [person_option(person) for person in people[:MAX_RESULTS]]


# --- Search views -----------------------------------------------------------------------

# What a picker narrows its search to travels signed, so nobody widens it by editing the URL.
# A token is not bound to its user (the widget renders without the request) but expires: a
# subtree offered to one person's form does not stay open to whoever copies the link.
SALT = "civility.orgs.pickers"
TOKEN_MAX_AGE = 24 * 3600  # a page left open overnight is reloaded


def narrowing_token(query: Mapping[str, object]) -> str:
    """The signed narrowing of one picker: kind, role (lists), under (a unit id), all
    (units that no longer exist too), as_of (the units of that day), dated (the units of the
    day the form's date field holds), of ("user" for accounts instead of officials)."""
    return signing.dumps(query, salt=SALT, compress=True)


def _narrowing(request: HttpRequest) -> dict[str, Any]:
    token = request.GET.get("n", "")
    if not token:
        return {}
    try:
        query: dict[str, Any] = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
        return query
    except signing.BadSignature as error:
        raise PermissionDenied from error


def _day(text: object) -> datetime.date | int | None:
    """A day (ISO), or a year (four digits) for a form that asks for the year."""
    text = str(text or "").strip()
    if len(text) == 4 and text.isdigit():
        return int(text) if datetime.MINYEAR < int(text) < datetime.MAXYEAR else None
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None  # a half-typed date in the form: offer today's units


def _as_of(request: HttpRequest, query: Mapping[str, Any]) -> datetime.date | int | None:
    """The day whose units a picker offers: the one its form fixed (signed), or, for a
    picker whose form has a date field (`dated`), the date typed there (civility.js sends
    it); None for today."""
    if query.get("as_of"):
        return _day(query["as_of"])
    if query.get("dated"):
        return _day(request.GET.get("as_of"))
    return None


def _unit(pk: int | None) -> OrgUnit | None:
    return OrgUnit.objects.filter(pk=pk).first() if pk else None


@require_GET
@login_required
def unit_search(request: HttpRequest) -> JsonResponse:
    """Units for a picker, always within the user's scope (roles covering them)."""
    query = _narrowing(request)
    results = search_units(
        request.user,
        request.GET.get("q", "")[:100],
        kinds=query.get("kind", ()),
        roles=query.get("role", ()),
        under=_unit(query.get("under")) or None,
        current=not query.get("all"),
        as_of=_as_of(request, query),
    )
    return JsonResponse({"results": results})


@require_GET
@login_required
def person_search(request: HttpRequest) -> JsonResponse:
    """Officials (or accounts) for a picker, within the user's scope; or, when the form that
    drew the picker offered the people of one subtree (the officials of an inspected unit to
    an inspector from a peer unit), within that subtree, as the form itself does."""
    query = _narrowing(request)
    results = search_people(
        request.user,
        request.GET.get("q", "")[:100],
        accounts=query.get("of") == "user",
        roles=query.get("role", ()),
        under=_unit(query.get("under")),
        as_of=_as_of(request, query),
    )
    return JsonResponse({"results": results})


# --- Widgets ----------------------------------------------------------------------------


class _Picker(forms.Select):
    """A <select> of the chosen options only, which civility.js makes searchable."""

    picker = ""
    url_name = ""

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, multiple: bool = False, **query: object
    ) -> None:
        super().__init__(attrs)
        self.allow_multiple_selected = multiple
        self.query = query

    def narrow(self, **query: object) -> None:
        """Tell the search what the field accepts (kind=, role=, under=, of=, all=), so it
        offers what the form will take; the field's queryset still validates. For units,
        `as_of=<date>` offers the units that existed on the record's date, and
        `dated_by="<field>"` the units of the date (or year) typed in that field; for
        officials, those still in post on that day. The form checks units against its date
        with refuse_units_not_of."""
        self.query.update(query)

    def search_url(self) -> str:
        query: dict[str, object] = {}
        for key, value in self.search_query().items():
            if key == "dated_by":
                key, value = "dated", bool(value)
            if isinstance(value, OrgUnit):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, list | tuple | set):
                value = [str(item) for item in value]
            if value not in (None, "", []):
                query[key] = value
        url = reverse(self.url_name)
        return f"{url}?{urlencode({'n': narrowing_token(query)})}" if query else url

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile[Any]], name: str
    ) -> Any:
        if self.allow_multiple_selected:
            getter = getattr(data, "getlist", None)
            return getter(name) if getter else data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile[Any]], name: str
    ) -> bool:
        if self.allow_multiple_selected:
            return False  # an unticked list sends nothing, like SelectMultiple
        return super().value_omitted_from_data(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {
            **(attrs or {}),
            "data-picker": self.picker,
            "data-search-url": self.search_url(),
            "data-placeholder": str(_("Type to search…")),
            "data-no-results": str(_("Nothing found. Type fewer or other letters.")),
            "data-remove": str(_("Remove")),
        }
        if self.query.get("dated_by"):
            attrs["data-as-of-field"] = self.query["dated_by"]
        return super().get_context(name, value, attrs)

    def optgroups(
        self, name: str, value: list[str], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        chosen = [v for v in value if str(v).isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        options = []
        if not self.allow_multiple_selected and not self.is_required:
            options.append(self.create_option(name, "", "", not chosen, 0, attrs=attrs))
        if queryset is None:
            # Choices given as a list (a filter offering a few units): the chosen ones only.
            pairs = cast("Iterable[tuple[object, StrOrPromise | int]]", self.choices)
            options += [
                self.create_option(name, key, str(label), True, index + 1, attrs=attrs)
                for index, (key, label) in enumerate(pairs)
                if str(key) in chosen
            ]
        elif chosen:
            for index, option in enumerate(self.chosen_options(queryset.filter(pk__in=chosen))):
                data = dict(option)
                text = data.pop("text")
                pk = data.pop("value")
                item = self.create_option(name, pk, text, True, index + 1, attrs=attrs)
                item["attrs"]["data-data"] = json.dumps(
                    {**data, "text": text, "value": str(pk)}, ensure_ascii=False
                )
                options.append(item)
        return [(None, options, 0)]

    def search_query(self) -> dict[str, object]:
        return self.query

    def chosen_options(self, queryset: QuerySet[Any]) -> list[Option]:
        raise NotImplementedError


class UnitPicker(_Picker):
    """One unit, or several with `multiple=True`, found by typing part of its name."""

    picker = "units"
    url_name = "orgs:unit_search"

    def chosen_options(self, queryset: QuerySet[OrgUnit]) -> list[Option]:
        units = list(queryset.order_by("path"))
        return [unit_option(unit, parents) for unit, parents in with_parents(units)]


class PersonPicker(_Picker):
    """An official (or, with `of="user"`, a user account) found by typing part of the full
    name; shown with the unit and post."""

    picker = "people"
    url_name = "orgs:person_search"

    def search_query(self) -> dict[str, object]:
        model = getattr(getattr(self.choices, "queryset", None), "model", Official)
        return self.query if model is Official else {"of": "user", **self.query}

    def chosen_options(self, queryset: QuerySet[Official] | QuerySet[User]) -> list[Option]:
        # The field's queryset holds the model it names.
        people: QuerySet[Official] | QuerySet[User]
        if queryset.model is Official:
            people = queryset.select_related("unit", "post")
        else:
            people = cast("QuerySet[User]", queryset).select_related(
                "official__unit", "official__post"
            )
        return [person_option(person) for person in people]
