"""Workflows of the title catalogue: loading the shipped catalogue, creating and revising
title versions, quotas, and the reviews in progress that block proposals."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civility.awards import seed
from civility.awards.actions.access import can_manage_catalogue, can_propose, ensure_allowed
from civility.awards.models.catalogue import AwardTitle, BaseSalary, OpenActionsEffect, Quota
from civility.awards.models.nominations import ReviewHold
from civility.awards.rules import ADVANCED_WORKER, rule_set_on
from civility.core.audit import acting_as
from civility.orgs.models import Official, OrgUnit
from civility.orgs.provinces import is_centrally_run_city, province_code

# --- Catalogue ---------------------------------------------------------------------------

# The settings of a title its edit page changes, in the order the page shows them.
TITLE_EDIT_FIELDS: tuple[str, ...] = (
    "name",
    "name_en",
    "legal_basis",
    "multiplier",
    "multiplier_source",
    "min_classification",
    "prerequisite_key",
    "initiative_rule",
    "consecutive_key",
    "consecutive_years",
    "no_discipline_from",
    "block_under_review",
    "member_share_key",
    "member_share_percent",
    "member_min_classification",
    "member_no_discipline_from",
    "member_at_least_one_key",
    "open_actions_effect",
    "open_actions_tolerated",
    "open_actions_lower_key",
    "extra_conditions",
    "conditions_note",
)
# What a new title is given besides its key: whom it is for, its form and level, then the rest.
TITLE_CREATE_FIELDS: tuple[str, ...] = ("recipient", "form", "level", *TITLE_EDIT_FIELDS)
# The fields create_title and revise_title take; the title forms show the lists above.
TITLE_FIELDS = frozenset(TITLE_CREATE_FIELDS)


def _check_title(title: AwardTitle) -> None:
    errors = {}
    if title.consecutive_key and not title.consecutive_years:
        errors["consecutive_years"] = _("Give the number of consecutive years.")
    if title.member_share_key and not title.member_share_percent:
        errors["member_share_percent"] = _("Give the share of members required.")
    if title.is_collective() and (title.min_classification or title.initiative_rule):
        errors["min_classification"] = _(
            "A collective title sets conditions on its members, not a classification of its own."
        )
    if not title.is_collective() and (
        title.member_share_key
        or title.member_min_classification
        or title.member_no_discipline_from
        or title.member_at_least_one_key
    ):
        errors["member_share_key"] = _("Conditions on members apply to collective titles only.")
    if title.open_actions_effect and not title.is_collective():
        errors["open_actions_effect"] = _(
            "Open corrective actions are a condition on units: collective titles only."
        )
    if title.key == ADVANCED_WORKER and title.no_discipline_from:
        errors["no_discipline_from"] = _(
            "For Advanced Worker, exclusion for discipline is a setting (Decree 91/2017, not "
            "confirmed under Decree 98/2023): change it on the unit's settings page."
        )
    if title.open_actions_effect == OpenActionsEffect.LOWER and not title.open_actions_lower_key:
        errors["open_actions_lower_key"] = _("Name the title it is lowered to.")
    if title.open_actions_lower_key == title.key:
        errors["open_actions_lower_key"] = _("A title cannot be lowered to itself.")
    for name in (
        "prerequisite_key",
        "consecutive_key",
        "member_share_key",
        "member_at_least_one_key",
        "open_actions_lower_key",
    ):
        key = getattr(title, name)
        if (
            key
            and key != title.key
            and not AwardTitle.objects.for_unit(title.unit).filter(key=key).exists()
        ):
            errors[name] = _("No title with the key '%(key)s' in this catalogue.") % {"key": key}
    if title.prerequisite_key == title.key:
        errors["prerequisite_key"] = _("A title cannot require itself.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def load_award_catalogue(*, actor: User | None, unit: OrgUnit) -> int:
    """Create the starting catalogue (every rule-set version) and base salaries. The titles
    are those of the unit's province (civility.awards.seed.titles_for). A version already
    there, or a title whose key a coordinator revised, is left as it is; a catalogue loaded
    before the pre-2024 versions existed gains them."""
    if actor is not None:
        ensure_allowed(can_manage_catalogue(actor, unit))
    province = unit.province
    titles = seed.titles_for(
        province_code(unit), city=province is not None and is_centrally_run_city(province)
    )
    created = 0
    with acting_as(actor):
        for valid_from, amount, basis, to_be_confirmed in seed.BASE_SALARIES:
            BaseSalary.objects.get_or_create(
                valid_from=valid_from,
                defaults={
                    "amount": amount,
                    "legal_basis": basis,
                    "to_be_confirmed": to_be_confirmed,
                },
            )
        for data in titles:
            existing = AwardTitle.objects.filter(unit=unit, key=data["key"])
            fresh = not existing.exists()
            for version, rule_set, valid_from, valid_to in seed.VERSIONS:
                fields = dict(data, valid_from=valid_from)
                if version == seed.PRE_2024_VERSION:
                    fields = seed.pre_2024_version(fields)
                    if existing.filter(valid_from__lte=valid_to).exists():
                        continue
                elif not fresh:
                    continue
                AwardTitle.objects.create(
                    unit=unit,
                    version=version,
                    rule_set=rule_set,
                    valid_to=valid_to,
                    multiplier_source=(seed.MULTIPLIER_SOURCE if fields.get("multiplier") else ""),
                    created_by=actor,
                    **fields,
                )
                created += 1
    return created


@transaction.atomic
def create_title(
    *,
    actor: User,
    unit: OrgUnit,
    key: str,
    valid_from: datetime.date,
    rule_set: str = "",
    **fields: Any,
) -> AwardTitle:
    ensure_allowed(can_manage_catalogue(actor, unit))
    if AwardTitle.objects.filter(unit=unit, key=key).exists():
        raise ValidationError({"key": _("A title with this key exists; revise it instead.")})
    title = AwardTitle(
        unit=unit,
        key=key,
        valid_from=valid_from,
        rule_set=rule_set or rule_set_on(valid_from).key,
        created_by=actor,
        **{name: value for name, value in fields.items() if name in TITLE_FIELDS},
    )
    _check_title(title)
    title.full_clean()
    with acting_as(actor):
        title.save()
    return title


@transaction.atomic
def revise_title(
    *, actor: User, title: AwardTitle, valid_from: datetime.date, **changes: Any
) -> AwardTitle:
    """Change a title from `valid_from` on. A version no nomination or award uses is edited in
    place; otherwise a new version starts and the old one ends the day before."""
    ensure_allowed(can_manage_catalogue(actor, title.unit))
    title = AwardTitle.objects.select_for_update().get(pk=title.pk)
    if not title.is_current():
        raise ValidationError(_("Only the current version of a title can be revised."))
    unknown = set(changes) - TITLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    used = title.nominations.exists() or title.awards.exists()
    with acting_as(actor):
        if not used:
            for name, value in changes.items():
                setattr(title, name, value)
            title.valid_from = valid_from
            title.rule_set = rule_set_on(valid_from).key
            _check_title(title)
            title.full_clean()
            title.save()
            return title
        if valid_from <= title.valid_from:
            raise ValidationError(
                {
                    "valid_from": _(
                        "This version is in use: the new version must start after %(day)s."
                    )
                    % {"day": title.valid_from.strftime("%d/%m/%Y")}
                }
            )
        title.valid_to = valid_from - datetime.timedelta(days=1)
        title.save(update_fields=["valid_to"])
        new = AwardTitle.objects.get(pk=title.pk)
        new.pk = None
        new.version = title.version + 1
        new.valid_from, new.valid_to = valid_from, None
        new.rule_set = rule_set_on(valid_from).key
        new.created_by = actor
        for name, value in changes.items():
            setattr(new, name, value)
        _check_title(new)
        new.full_clean(exclude=["unit"])
        new.save()
    return new


@transaction.atomic
def set_quota(
    *,
    actor: User,
    unit: OrgUnit,
    title_key: str,
    source: str,
    year: int | None = None,
    max_count: int | None = None,
    max_percent: int | None = None,
    percent_of: str = "members",
    percent_of_key: str = "",
) -> Quota:
    ensure_allowed(can_manage_catalogue(actor, unit))
    if not AwardTitle.objects.for_unit(unit).filter(key=title_key).exists():
        raise ValidationError({"title_key": _("No such title in the catalogue for this unit.")})
    if max_count is None and max_percent is None:
        raise ValidationError({"max_count": _("Give a number or a percentage.")})
    if not source.strip():
        raise ValidationError({"source": _("Name the document that sets the quota.")})
    quota = Quota(
        unit=unit,
        title_key=title_key,
        year=year,
        max_count=max_count,
        max_percent=max_percent,
        percent_of=percent_of,
        percent_of_key=percent_of_key,
        source=source.strip(),
        created_by=actor,
    )
    quota.full_clean()
    with acting_as(actor):
        quota.save()
    return quota


@transaction.atomic
def delete_quota(*, actor: User, quota: Quota) -> None:
    ensure_allowed(can_manage_catalogue(actor, quota.unit))
    with acting_as(actor):
        quota.delete()


@transaction.atomic
def record_review_hold(
    *,
    actor: User,
    kind: str,
    started_on: datetime.date,
    unit: OrgUnit | None = None,
    official: Official | None = None,
    reference: str = "",
    ended_on: datetime.date | None = None,
) -> ReviewHold:
    if official is not None:
        unit = official.unit
    if unit is None:
        raise ValidationError({"unit": _("Name the official or the unit under review.")})
    ensure_allowed(can_propose(actor, unit))
    hold = ReviewHold(
        unit=unit,
        official=official,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
    hold.full_clean()
    with acting_as(actor):
        hold.save()
    return hold


@transaction.atomic
def end_review_hold(*, actor: User, hold: ReviewHold, ended_on: datetime.date) -> ReviewHold:
    ensure_allowed(can_propose(actor, hold.unit))
    if ended_on < hold.started_on:
        raise ValidationError({"ended_on": _("The review cannot end before it started.")})
    with acting_as(actor):
        hold.ended_on = ended_on
        hold.save(update_fields=["ended_on"])
    return hold
