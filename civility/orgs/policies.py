"""Choices the law leaves to a province or an agency ("settings"), and who made them.

Where a legal text leaves a choice open (the level at which a quota is counted, rounding,
which units may give a higher share) or where the text was not found (NOT FOUND in the
domain audit), Civility does not decide silently. Each such choice is declared here by the
app that uses it, with a default; a coordinator records a value for a unit (usually the
province or an agency), in force from a date, with its ground. The value applies to the
unit's subtree; the nearest unit's value wins. A verdict that used a setting shows its value,
who set it and its ground, or "to be confirmed" when no ground was recorded.

Apps declare their settings in their own `policies.py`, imported from `AppConfig.ready()`,
so the settings page lists every one of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.orgs.models import OrgUnit, UnitPolicy

Label = str | Promise
# What people type for an on/off setting, in either language.
TRUE_WORDS = frozenset({"1", "true", "on", "yes", "có"})
FALSE_WORDS = frozenset({"0", "false", "off", "no", "không"})


@dataclass(frozen=True)
class PolicySpec:
    """One choice left open: its label, the kind and range of its value, and a default.

    `default_source` is the legal ground of the default when a text sets it; empty when the
    default is Civility's own choice, which is then shown as "to be confirmed".
    """

    key: str
    label: Label
    help_text: Label
    default: int | bool | str
    default_source: str = ""
    choices: tuple[tuple[str, Label], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    unit: Label = ""  # shown after integer values ("%", "months")

    @property
    def kind(self) -> type:
        return type(self.default)

    def clean(self, raw: object) -> int | bool | str:
        """The value from a form or API field; a ValidationError names the setting."""
        if self.kind is bool:
            if isinstance(raw, bool):
                return raw
            answer = str(raw).strip().lower()
            if answer in TRUE_WORDS or answer in FALSE_WORDS:
                return answer in TRUE_WORDS
            raise ValidationError(_("%(setting)s takes yes or no.") % {"setting": self.label})
        if self.kind is int:
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ValidationError(
                    _("%(setting)s must be a whole number.") % {"setting": self.label}
                ) from None
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValidationError(
                    _("%(setting)s must be between %(minimum)s and %(maximum)s.")
                    % {"setting": self.label, "minimum": self.minimum, "maximum": self.maximum}
                )
            return value
        text = str(raw).strip()
        if self.choices and text not in {key for key, _label in self.choices}:
            raise ValidationError(_("Choose one of the listed values for %s.") % self.label)
        return text

    def accepted_values(self) -> list[tuple[str, str]]:
        """What may be typed as the value, each with its meaning, for the settings page."""
        if self.kind is bool:
            return [(_("yes"), _("Yes")), (_("no"), _("No"))]
        if self.choices:
            return [(key, str(label)) for key, label in self.choices]
        if self.kind is int:
            return [(f"{self.minimum}–{self.maximum}", str(self.unit or ""))]
        return []

    def display(self, value: object) -> str:
        if self.kind is bool:
            return _("Yes") if value else _("No")
        if self.choices:
            labels: dict[object, Label] = dict(self.choices)
            return str(labels.get(value, value))
        if self.kind is int and self.unit:
            return f"{value} {self.unit}"
        return str(value) or "—"


_SPECS: dict[str, PolicySpec] = {}


def declare(spec: PolicySpec) -> PolicySpec:
    if _SPECS.get(spec.key, spec) != spec:
        raise ValueError(f"setting {spec.key!r} is declared twice, differently")
    _SPECS[spec.key] = spec
    return spec


def spec_for(key: str) -> PolicySpec:
    return _SPECS[key]


def declared() -> list[PolicySpec]:
    return sorted(_SPECS.values(), key=lambda spec: spec.key)


CIVILITY_DEFAULT = gettext_lazy("Civility's default")


@dataclass(frozen=True)
class PolicyValue:
    """The value of a setting for a unit on a day, with who chose it and on what ground."""

    spec: PolicySpec
    value: int | bool | str
    source: str
    set_by: object | None  # the OrgUnit whose record applies; None for the default
    valid_from: datetime.date | None

    @property
    def to_be_confirmed(self) -> bool:
        return not self.source

    @property
    def display_value(self) -> str:
        return self.spec.display(self.value)

    @property
    def chosen_by(self) -> str:
        return str(self.set_by) if self.set_by is not None else str(CIVILITY_DEFAULT)

    def explain(self) -> str:
        """One line for a verdict: "Setting X: 30 % — chosen by Hà Nội from 01/01/2026
        (ground: …)" or "… — Civility's default, to be confirmed"."""
        parts = {
            "setting": self.spec.label,
            "value": self.display_value,
            "by": self.chosen_by,
        }
        if self.valid_from is not None:
            parts["by"] = _("%(unit)s from %(day)s") % {
                "unit": self.chosen_by,
                "day": date_format(self.valid_from, "SHORT_DATE_FORMAT"),
            }
        ground = self.source or _("to be confirmed")
        return _("Setting “%(setting)s”: %(value)s, chosen by %(by)s (ground: %(ground)s)") % {
            **parts,
            "ground": ground,
        }


def policy(key: str, *, unit: OrgUnit, on: datetime.date) -> PolicyValue:
    """The value in force for `unit` on `on`: the record of the nearest unit above it (itself
    included) that is in force that day, else the declared default."""
    return policy_values([key], unit=unit, on=on)[key]


def policy_values(
    keys: Iterable[str], *, unit: OrgUnit, on: datetime.date
) -> dict[str, PolicyValue]:
    """`policy(key, unit=unit, on=on)` for several settings of one unit, from one query: a
    public page reads a group of settings on every view."""
    specs = {key: spec_for(key) for key in keys}
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    records: dict[str, UnitPolicy] = {}
    for record in (
        UnitPolicy.objects.filter(key__in=list(specs), unit_id__in=ids, valid_from__lte=on)
        .select_related("unit")
        .order_by("-unit__depth", "-valid_from")
    ):
        records.setdefault(record.key, record)  # the nearest unit's latest record
    values = {}
    for key, spec in specs.items():
        found = records.get(key)
        values[key] = (
            PolicyValue(spec, spec.default, spec.default_source, None, None)
            if found is None
            else PolicyValue(spec, found.value, found.source, found.unit, found.valid_from)
        )
    return values


def policy_for_units(
    key: str, *, units: Iterable[OrgUnit], on: datetime.date
) -> dict[int, PolicyValue]:
    """`policy(key, unit=u, on=on)` for every unit of `units`, from one query: a whole city's
    work (a period opened, the year's proposals) reads a setting for hundreds of units."""
    spec = spec_for(key)
    units = list(units)
    lineages = {
        unit.pk: [int(part) for part in unit.path.strip("/").split("/") if part] for unit in units
    }
    ids = {pk for lineage in lineages.values() for pk in lineage}
    records: dict[int, UnitPolicy] = {}
    for record in (
        UnitPolicy.objects.filter(key=key, unit_id__in=ids, valid_from__lte=on)
        .select_related("unit")
        .order_by("unit_id", "-valid_from")
    ):
        records.setdefault(record.unit_id, record)  # the latest in force on each unit
    default = PolicyValue(spec, spec.default, spec.default_source, None, None)
    values = {}
    for unit in units:
        found = next((records[pk] for pk in reversed(lineages[unit.pk]) if pk in records), None)
        values[unit.pk] = (
            default
            if found is None
            else PolicyValue(spec, found.value, found.source, found.unit, found.valid_from)
        )
    return values


def policies_for(unit: OrgUnit, *, on: datetime.date) -> list[PolicyValue]:
    return [policy(spec.key, unit=unit, on=on) for spec in declared()]
