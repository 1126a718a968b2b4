"""One way to list records: a count, pages, whitelisted sorting and a filter form.

Every list page calls `paginate()` with its already scoped and filtered queryset and a
declarative sort whitelist; the page renders `core/_sort_th.html` for each sortable column
header and `core/_pager.html` under the table. Links keep the filters: both are built from
the request's query string without `page` (and, for headers, without `sort`).

- Sorting: `?sort=key` or `?sort=-key`, where `key` is one of the list's `sorts`; anything
  else is ignored (the default order), never an error. The primary key is always the last
  ordering term, so a page never repeats or skips a row.
- Paging: Django's Paginator; a page number that is not a number gives the first page, one
  past the end the last page (`Paginator.get_page`), on every list.
- Counting: a city's lists hold 20,000 to millions of rows (150,000 officials, 1.8 million
  evaluations a year, the audit log), so the count is bounded: the database counts at most
  `count_cap + 1` rows (COUNT over a LIMITed subquery), and past the cap the page says
  "more than 10,000" and offers the 200 pages up to it. Nobody pages further than that; the
  filters narrow a list to an exact count, and the unit page gives a subtree's exact totals.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal, cast, overload

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from civility.orgs.models import OrgUnit  # orgs imports core: only for the types

PAGE_SIZE = 50
COUNT_CAP = 10_000


class CappedPaginator(Paginator[Any]):
    """A paginator whose count stops at `cap`: `is_capped` tells whether there were more."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int | str,
        *,
        cap: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.queryset = object_list
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        # COUNT(*) over a LIMITed subquery: the database stops after cap + 1 rows.
        return min(self.queryset.order_by()[: self.cap + 1].count(), self.cap + 1)

    @cached_property
    def is_capped(self) -> bool:
        return self.cap is not None and self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if self.cap is not None and self.is_capped:
            return max(1, self.cap // self.per_page)
        return super().num_pages


@dataclass
class Column:
    """A sortable column header: the link that sorts by it and its current state."""

    url: str
    aria_sort: str  # "ascending", "descending" or "none", for the <th aria-sort>


@dataclass
class Listing:
    page: Page[Any]
    sort: str
    query: str  # the filters and sort, without the page: for the pager's links
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def paginator(self) -> CappedPaginator:
        return cast(CappedPaginator, self.page.paginator)  # paginate() made it

    @property
    def count(self) -> int:
        return min(self.paginator.count, self.paginator.cap or self.paginator.count)

    @property
    def is_capped(self) -> bool:
        return self.paginator.is_capped


def sort_key(request: HttpRequest, sorts: Mapping[str, tuple[str, ...]], default: str) -> str:
    """The requested sort if whitelisted, else `default`."""
    asked = request.GET.get("sort", "")
    return asked if asked.lstrip("-") in sorts else default


def ordering(sorts: Mapping[str, tuple[str, ...]], key: str) -> list[str]:
    descending = key.startswith("-")
    terms = []
    for term in (*sorts[key.lstrip("-")], "pk"):
        flipped = term[1:] if term.startswith("-") else f"-{term}"
        terms.append(flipped if descending else term)
    return terms


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    sorts: Mapping[str, tuple[str, ...]],
    default: str,
    page_size: int = PAGE_SIZE,
    count_cap: int | None = None,
) -> Listing:
    """Sort `queryset` by the requested whitelisted key and cut out the requested page.

    `sorts` maps a key of the query string to the model fields it orders by (ascending);
    `default` is a key, with "-" for descending."""
    key = sort_key(request, sorts, default)
    queryset = queryset.order_by(*ordering(sorts, key))
    paginator = CappedPaginator(queryset, page_size, cap=count_cap or COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    params = _params(request)
    params.pop("page", None)
    query = params.urlencode()
    params.pop("sort", None)
    base = params.urlencode()
    columns = {}
    for name in sorts:
        state = "ascending" if key == name else "descending" if key == f"-{name}" else "none"
        # A click on the current column reverses it; on another column sorts it ascending.
        target = f"-{name}" if state == "ascending" else name
        columns[name] = Column(
            url="?" + (f"{base}&" if base else "") + f"sort={target}", aria_sort=state
        )
    return Listing(page=page, sort=key, query=query, columns=columns)


def _params(request: HttpRequest) -> QueryDict:
    params = request.GET.copy()
    # Empty filters only lengthen the links.
    for name in [name for name, values in params.lists() if not any(values)]:
        del params[name]
    return params


class UnitFilterField(forms.ModelChoiceField["OrgUnit"]):
    """The "unit (with its subtree)" filter: a plain <select name="unit"> whose choices are
    validated against every unit the user may see but which offers only a short list (the
    unit pickers turn it into a searchable picker over all of them)."""

    def __init__(self, **kwargs: Any) -> None:
        from civility.orgs.models import OrgUnit  # late: core imports no other app on load

        kwargs.setdefault("label", _("Unit (with its subtree)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=OrgUnit.objects.none(), **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.display_name

    def scope(
        self, user: AbstractBaseUser | AnonymousUser | None, offered: Iterable[OrgUnit]
    ) -> None:
        """Accept any unit `user` may see; offer the units `offered`."""
        from civility.orgs.models import OrgUnit  # late: core imports no other app on load

        self.queryset = OrgUnit.objects.visible_to(user)
        self.widget.choices = [(unit.pk, unit.display_name) for unit in offered]


class TextFilterField(forms.CharField):
    """The free-text filter (searched without diacritics by each list's `search()`)."""

    def __init__(self, *, placeholder: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        attrs = {"autocomplete": "off"}
        if placeholder:
            attrs["placeholder"] = placeholder
        super().__init__(widget=forms.SearchInput(attrs=attrs), **kwargs)


class PeriodField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # The browser's date input sends ISO dates; people type day/month/year.
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
        )


class _Selected(enum.Enum):
    """The default of ListFilterForm's `default_unit`: the unit selected in the switcher."""

    SELECTED = enum.auto()


_SELECTED: Final = _Selected.SELECTED


class ListFilterForm(forms.Form):
    """The filters every list shares: a unit with its subtree, free text, a period.

    Bound to the request's query string; `filter()` applies them. A list's form names the
    fields they act on and adds its own (status, category...) in `narrow()`:

    - `unit_path`: the lookup of the owning unit's path (None: no unit filter);
    - `period_field`: the date (or datetime, with `period_is_datetime`) the period bounds
      (None: no period filter);
    - `search()`: the free-text search, without diacritics (None: no text filter).

    With no unit asked for, the list shows the unit selected in the switcher; a unit the
    user may not see is a 404, as everywhere else.
    """

    unit_path: str | None = "unit__path"
    unit_defaults_to_selected = True
    period_field: str | None = None
    period_is_datetime = False
    text_placeholder: StrOrPromise = ""

    # A declared field (the form's metaclass takes it out of the class); on the instance
    # `unit` is the unit chosen, which is what readers of the form see.
    unit: OrgUnit | None = UnitFilterField()  # type: ignore[assignment]
    q = TextFilterField()
    # A list may bound its period with another date field (evaluations: a month).
    start: forms.DateField = PeriodField(label=_("From"))
    end: forms.DateField = PeriodField(label=_("To"))

    def __init__(
        self,
        data: QueryDict,
        *,
        request: HttpRequest,
        default_unit: OrgUnit | None | Literal[_Selected.SELECTED] = _SELECTED,
        **kwargs: Any,
    ) -> None:
        # late: core imports no other app when it loads
        from civility.orgs.context_processors import offered_units, selected_unit
        from civility.orgs.models import OrgUnit  # late: core imports no other app on load

        data = data.copy()
        super().__init__(data, **kwargs)
        self.request = request
        if self.unit_path is None:
            del self.fields["unit"]
        else:
            cast(UnitFilterField, self.fields["unit"]).queryset = OrgUnit.objects.visible_to(
                request.user
            )
        if self.period_field is None:
            del self.fields["start"], self.fields["end"]
        if type(self).search is ListFilterForm.search:
            del self.fields["q"]
        elif self.text_placeholder:
            self.fields["q"].widget.attrs["placeholder"] = self.text_placeholder
        self.configure()
        self.is_valid()  # invalid fields drop out of cleaned_data and show their error
        self.unit = None
        if self.unit_path is not None:
            if "unit" in self.errors:
                raise Http404
            self.unit = self.cleaned_data.get("unit")
            if self.unit is None and self.unit_defaults_to_selected:
                self.unit = selected_unit(request) if default_unit is _SELECTED else default_unit
                if self.unit is not None:
                    data["unit"] = str(self.unit.pk)  # shown as chosen
            choices: list[tuple[int | str, StrOrPromise]] = [
                (unit.pk, unit.display_name) for unit in offered_units(request, self.unit)
            ]
            if not self.unit_defaults_to_selected:
                choices.insert(0, ("", _("Any")))
            self.fields["unit"].widget.choices = choices

    def configure(self) -> None:
        """Set choices that depend on the request, before the data is validated."""

    def search(self, queryset: QuerySet[Any], text: str) -> QuerySet[Any] | None:
        return None

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return queryset

    def in_unit(self, queryset: QuerySet[Any], unit: OrgUnit) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.unit_path}__startswith": unit.path})

    def in_period(self, queryset: QuerySet[Any], lookups: dict[str, object]) -> QuerySet[Any]:
        """`lookups` holds "gte" and/or "lt" bounds (dates, or aware datetimes)."""
        return queryset.filter(
            **{f"{self.period_field}__{lookup}": value for lookup, value in lookups.items()}
        )

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data
        if self.unit is not None:
            queryset = self.in_unit(queryset, self.unit)
        if self.period_field is not None:
            lookups = {}
            for bound, lookup in (("start", "gte"), ("end", "lt")):
                day = data.get(bound)
                if day is None:
                    continue
                if bound == "end":
                    day += datetime.timedelta(days=1)
                lookups[lookup] = (
                    datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())
                    if self.period_is_datetime
                    else day
                )
            if lookups:
                queryset = self.in_period(queryset, lookups)
        text = (data.get("q") or "").strip()
        found = self.search(queryset, text) if text else None
        if found is not None:
            queryset = found
        return self.narrow(queryset, data)


@overload
def int_param(request: HttpRequest, name: str, default: int) -> int: ...
@overload
def int_param(request: HttpRequest, name: str, default: None = None) -> int | None: ...
def int_param(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    """A whole number from the query string (?unit=12), `default` when absent; anything else
    answers 404, as a link to a record that is not there would."""
    value = request.GET.get(name, "")
    if not value:
        return default
    if not value.isdigit():
        raise Http404
    return int(value)
