"""Workflows for indicators: create, set and allocate targets, record and import actuals."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.orgs.imports import ImportResult, Table
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of
from civility.programmes import figures
from civility.programmes.actions.common import (
    ensure_manages,
    problem,
    self_and_ancestors,
    validate,
)
from civility.programmes.imports import plan_actuals
from civility.programmes.models import (
    COORDINATOR_ROLES,
    Actual,
    ActualSource,
    Aggregation,
    Frequency,
    Indicator,
    Programme,
    Target,
)


@transaction.atomic
def create_indicator(
    *,
    actor: User,
    unit: OrgUnit,
    code: str,
    name: str,
    measure: str,
    aggregation: str,
    frequency: str = Frequency.YEAR,
    name_en: str = "",
    numerator: Indicator | None = None,
    denominator: Indicator | None = None,
    scale: Decimal = Decimal(100),
    higher_is_better: bool = True,
    programme: Programme | None = None,
) -> Indicator:
    ensure_manages(actor, unit, COORDINATOR_ROLES)
    if aggregation == Aggregation.RATIO:
        errors = {}
        for name_, term in (("numerator", numerator), ("denominator", denominator)):
            if term is None:
                errors[name_] = _("A ratio needs this indicator.")
            elif term.aggregation == Aggregation.RATIO:
                errors[name_] = _("A ratio is made of two indicators that are not ratios.")
            elif not unit.path.startswith(term.unit.path):
                errors[name_] = _("Use an indicator of this unit or of a unit above it.")
        if errors or numerator is None or denominator is None:
            raise ValidationError(errors)
        if numerator.frequency != denominator.frequency:
            raise ValidationError({"denominator": _("Both indicators must be reported as often.")})
        if numerator.pk == denominator.pk:
            raise ValidationError({"denominator": _("The two indicators must differ.")})
        frequency = numerator.frequency
    else:
        numerator = denominator = None
    if Indicator.objects.filter(unit=unit, code=code).exists():
        raise ValidationError({"code": _("This unit already has an indicator with this code.")})
    indicator = Indicator(
        unit=unit,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        measure=measure.strip(),
        aggregation=aggregation,
        frequency=frequency,
        numerator=numerator,
        denominator=denominator,
        scale=scale,
        higher_is_better=higher_is_better,
        programme=programme,
    )
    validate(indicator)
    with acting_as(actor):
        indicator.save()
    return indicator


def _check_period(indicator: Indicator, period: int, *, target: bool = False) -> None:
    most = indicator.periods()
    allowed = period == 0 if most == 0 else (1 <= period <= most or (target and period == 0))
    if not allowed:
        raise ValidationError(
            {
                "period": _("This indicator is %(frequency)s: the period must be %(allowed)s.")
                % {
                    "frequency": indicator.get_frequency_display().lower(),
                    "allowed": "0" if most == 0 else f"1-{most}",
                }
            }
        )


def _check_unit(indicator: Indicator, unit: OrgUnit) -> None:
    if not unit.path.startswith(indicator.unit.path):
        raise ValidationError({"unit": _("The unit must be the indicator's unit or one under it.")})


def can_set_target(user: User, indicator: Indicator, unit: OrgUnit) -> bool:
    """The indicator's own unit's target is set by its coordinators; any other unit's is
    allocated by whoever manages the unit above it."""
    if unit.pk == indicator.unit_id or unit.parent is None:
        return scope_of(user).covers(unit, roles=COORDINATOR_ROLES)
    return scope_of(user).covers(unit.parent, roles=MANAGER_ROLES)


@transaction.atomic
def set_target(
    *, actor: User, indicator: Indicator, unit: OrgUnit, year: int, value: Decimal, period: int = 0
) -> Target:
    if not can_set_target(actor, indicator, unit):
        raise PermissionDenied
    _check_unit(indicator, unit)
    _check_period(indicator, period, target=True)
    with acting_as(actor):
        target, _created = Target.objects.update_or_create(
            indicator=indicator,
            unit=unit,
            year=year,
            period=period,
            defaults={"value": value, "set_by": actor},
        )
    return target


@transaction.atomic
def allocate_targets(
    *,
    actor: User,
    indicator: Indicator,
    parent: OrgUnit,
    year: int,
    values: dict[OrgUnit, Decimal],
    period: int = 0,
) -> figures.AllocationCheck:
    """Allocate the parent unit's target to its children. Refused (nothing written) when the
    allocation does not add up to the parent's target; going beyond it is allowed and said."""
    ensure_manages(actor, parent)
    parent_target = Target.objects.filter(
        indicator=indicator, unit=parent, year=year, period=period
    ).first()
    if parent_target is None:
        raise ValidationError(
            _("%(unit)s has no target for %(year)s yet: set it before allocating it.")
            % {"unit": parent.name, "year": year}
        )
    strangers = [unit.name for unit in values if unit.parent_id != parent.pk]
    if strangers:
        raise ValidationError(
            _("Targets are allocated to the units directly under %(unit)s, not to: %(names)s.")
            % {"unit": parent.name, "names": ", ".join(strangers)}
        )
    negative = [unit.name for unit, value in values.items() if value < 0]
    if negative:
        raise ValidationError(
            _("A target cannot be negative: %(names)s.") % {"names": ", ".join(negative)}
        )
    existing = dict(
        Target.objects.filter(
            indicator=indicator, year=year, period=period, unit__parent=parent
        ).values_list("unit_id", "value")
    )
    existing.update({unit.pk: value for unit, value in values.items()})
    check = figures.check_allocation(
        indicator, parent_target.value, existing, year=year, period=period
    )
    if not check.ok:
        raise ValidationError(check.message())
    with acting_as(actor):
        for unit, value in values.items():
            Target.objects.update_or_create(
                indicator=indicator,
                unit=unit,
                year=year,
                period=period,
                defaults={"value": value, "allocated_from": parent_target, "set_by": actor},
            )
    return check


@transaction.atomic
def record_actual(
    *,
    actor: User,
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    value: Decimal,
    period: int = 0,
    note: str = "",
    source: str = ActualSource.FORM,
) -> tuple[Actual, bool]:
    """Report (or correct) one actual; returns (actual, created)."""
    ensure_manages(actor, unit)
    if indicator.is_ratio():
        raise ValidationError(
            {"indicator": _("A ratio is computed from its two indicators; report those instead.")}
        )
    _check_unit(indicator, unit)
    _check_period(indicator, period)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
    with acting_as(actor):
        return Actual.objects.update_or_create(
            indicator=indicator,
            unit=unit,
            year=year,
            period=period,
            defaults={"value": value, "note": note.strip(), "source": source, "reported_by": actor},
        )


@transaction.atomic
def import_actuals(
    *, actor: User, root: OrgUnit, table: Table, dry_run: bool = False
) -> ImportResult:
    """Actuals from a spreadsheet: every row is checked first; any error and nothing is
    written."""
    ensure_manages(actor, root)
    indicators = Indicator.objects.visible_to(actor).filter(
        unit__path__in=self_and_ancestors(root)
    ) | Indicator.objects.filter(unit__path__startswith=root.path)
    plan = plan_actuals(table=table, root=root, indicators=indicators.distinct())
    result = ImportResult(errors=plan.errors, warnings=plan.warnings, dry_run=dry_run)
    if plan.errors:
        return result
    for row in plan.rows:
        if not row.unit.path.startswith(row.indicator.unit.path):
            result.errors.append(
                problem(row.row, "unit_code", _("this unit does not report this indicator"))
            )
    if result.errors:
        return result
    existing = {
        (a.indicator_id, a.unit_id, a.year, a.period): a.value
        for a in Actual.objects.filter(
            indicator__in={row.indicator for row in plan.rows}, unit__path__startswith=root.path
        )
    }
    for row in plan.rows:
        old = existing.get((row.indicator.pk, row.unit.pk, row.year, row.period))
        if old is None:
            result.created += 1
        elif old == row.value:
            result.unchanged += 1
        else:
            result.updated += 1
    if dry_run:
        return result
    for row in plan.rows:
        record_actual(
            actor=actor,
            indicator=row.indicator,
            unit=row.unit,
            year=row.year,
            period=row.period,
            value=row.value,
            note=row.note,
            source=ActualSource.IMPORT,
        )
    return result
