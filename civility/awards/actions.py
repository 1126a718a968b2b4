"""Workflows for movements, the title catalogue, nominations, the board's review, decisions,
the honour board and good models. Views, the API and the demo call these; they check
permission, validate, write in one transaction and audit (`acting_as`)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.awards import seed
from civility.awards.bonuses import BonusRule
from civility.awards.eligibility import Assessor, can_hold, quota_limit, title_for
from civility.awards.models import (
    BOARD_ROLES,
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    MANAGER_ROLES,
    PROPOSER_ROLES,
    READER_ROLES,
    Award,
    AwardDecision,
    AwardTitle,
    BaseSalary,
    DecisionSource,
    GoodModel,
    HonourConsent,
    ModelStatus,
    Movement,
    MovementRegistration,
    Nomination,
    NominationEvidence,
    NominationStatus,
    OpenActionsEffect,
    Quota,
    Replication,
    ReviewHold,
    ReviewOutcome,
    RevocationGround,
    RevocationReview,
    Vote,
    VoteChoice,
    ancestor_paths,
)
from civility.awards.rules import ADVANCED_WORKER, LAW_06_2022, rule_set_on
from civility.core.attachments import OFFICE_AND_TEXT, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.validators import web_link
from civility.orgs.models import Official, OrgUnit
from civility.orgs.provinces import is_centrally_run_city, province_code
from civility.orgs.scopes import scope_of


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_manage_catalogue(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=CATALOGUE_ROLES)


def can_propose(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=PROPOSER_ROLES)


# A subtree with more officials than this gets its eligibility lists from a background job
# (an .xlsx), not on the page: a city's 150,000 rows are no page to read.
INLINE_ELIGIBILITY_OFFICIALS = 3000


def eligibility_in_background(unit: OrgUnit) -> bool:
    return Official.objects.under(unit).active().count() > INLINE_ELIGIBILITY_OFFICIALS


def request_eligibility(
    *, actor, unit: OrgUnit, year: int, title: AwardTitle | None = None, file_format="xlsx"
):
    """Have a background job write the eligibility list of `title` (or of every current title
    of the unit's catalogue) for the subtree as an .xlsx (or, for the API, .json); returns
    the core Job."""
    from civility.core import jobs

    if not can_read(actor, unit):
        raise PermissionDenied
    name = title.display_name if title is not None else _("every title")
    return jobs.enqueue(
        actor=actor,
        kind="awards.eligibility",
        title=_("Eligibility %(year)s: %(title)s") % {"year": year, "title": name},
        unit=unit,
        params={
            "year": year,
            "title": title.pk if title is not None else None,
            "format": file_format,
        },
    )


def can_read(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=READER_ROLES)


def can_vote(user, nomination: Nomination) -> bool:
    return scope_of(user).covers(nomination.unit, roles=BOARD_ROLES)


def can_decide(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=DECIDER_ROLES)


def can_manage(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=MANAGER_ROLES)


# --- Catalogue ---------------------------------------------------------------------------

TITLE_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "recipient",
        "form",
        "level",
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
    }
)


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
def load_award_catalogue(*, actor, unit: OrgUnit) -> int:
    """Create the starting catalogue (every rule-set version) and base salaries. The titles
    are those of the unit's province (civility.awards.seed.titles_for). A version already
    there, or a title whose key a coordinator revised, is left as it is; a catalogue loaded
    before the pre-2024 versions existed gains them."""
    if actor is not None:
        _ensure(can_manage_catalogue(actor, unit))
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
    *, actor, unit: OrgUnit, key: str, valid_from: datetime.date, rule_set: str = "", **fields
) -> AwardTitle:
    _ensure(can_manage_catalogue(actor, unit))
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
def revise_title(*, actor, title: AwardTitle, valid_from: datetime.date, **changes) -> AwardTitle:
    """Change a title from `valid_from` on. A version no nomination or award uses is edited in
    place; otherwise a new version starts and the old one ends the day before."""
    _ensure(can_manage_catalogue(actor, title.unit))
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
    actor,
    unit: OrgUnit,
    title_key: str,
    source: str,
    year: int | None = None,
    max_count: int | None = None,
    max_percent: int | None = None,
    percent_of: str = "members",
    percent_of_key: str = "",
) -> Quota:
    _ensure(can_manage_catalogue(actor, unit))
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
def delete_quota(*, actor, quota: Quota) -> None:
    _ensure(can_manage_catalogue(actor, quota.unit))
    with acting_as(actor):
        quota.delete()


@transaction.atomic
def record_review_hold(
    *,
    actor,
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
    _ensure(can_propose(actor, unit))
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
def end_review_hold(*, actor, hold: ReviewHold, ended_on: datetime.date) -> ReviewHold:
    _ensure(can_propose(actor, hold.unit))
    if ended_on < hold.started_on:
        raise ValidationError({"ended_on": _("The review cannot end before it started.")})
    with acting_as(actor):
        hold.ended_on = ended_on
        hold.save(update_fields=["ended_on"])
    return hold


# --- Movements ---------------------------------------------------------------------------


@transaction.atomic
def create_movement(
    *, actor, unit: OrgUnit, name: str, starts_on: datetime.date, **fields
) -> Movement:
    _ensure(can_manage(actor, unit))
    movement = Movement(
        unit=unit, name=name.strip(), starts_on=starts_on, created_by=actor, **fields
    )
    movement.full_clean()
    with acting_as(actor):
        movement.save()
    return movement


@transaction.atomic
def register_for_movement(
    *,
    actor,
    movement: Movement,
    unit: OrgUnit | None = None,
    official: Official | None = None,
    pledge: str = "",
) -> MovementRegistration:
    """A unit registers (its managers), or an official registers (themself or a manager)."""
    if official is not None:
        unit = official.unit
        self_registration = official.user_id is not None and official.user_id == actor.pk
        _ensure(self_registration or can_manage(actor, unit))
    else:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that registers.")})
        _ensure(can_manage(actor, unit))
    if not unit.path.startswith(movement.unit.path):
        raise ValidationError({"unit": _("This unit is outside the movement's scope.")})
    if movement.ends_on and movement.ends_on < timezone.localdate():
        raise ValidationError(_("The movement has ended."))
    try:
        with transaction.atomic(), acting_as(actor):
            return MovementRegistration.objects.create(
                movement=movement,
                unit=unit,
                official=official,
                pledge=pledge.strip(),
                registered_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("Already registered for this movement.")) from None


# --- Nominations -------------------------------------------------------------------------


def _not_a_labour_collective() -> str:
    return _(
        "Villages and residential groups receive cultural titles (Decree 86/2023/NĐ-CP), not "
        "the titles of labour collectives."
    )


def assess_nominee(
    *, title: AwardTitle, year: int, official: Official | None = None, unit: OrgUnit | None = None
):
    if title.is_collective():
        assessor = Assessor.for_unit(unit, year=year)
        return assessor.assess(title, unit=unit)
    assessor = Assessor(year=year, officials=[official])
    return assessor.assess(title, official=official)


@transaction.atomic
def propose_nomination(
    *,
    actor,
    title: AwardTitle,
    year: int,
    justification: str,
    official: Official | None = None,
    unit: OrgUnit | None = None,
    links: tuple[str, ...] = (),
    files=(),
) -> Nomination:
    """Propose a person (individual title) or a unit (collective title) for `year`.

    The eligibility is computed now and stored with the nomination. A nominee who fails a
    condition (including a review in progress or a full quota) cannot be proposed; one with
    missing data can, and the board sees what is missing."""
    if title.is_collective():
        if unit is None:
            raise ValidationError({"unit": _("Choose the collective to nominate.")})
        official = None
    else:
        if official is None:
            raise ValidationError({"official": _("Choose the official to nominate.")})
        unit = official.unit
    _ensure(can_propose(actor, unit))
    if not unit.path.startswith(title.unit.path):
        raise ValidationError({"title": _("This title is not in the catalogue for the unit.")})
    if not can_hold(title, unit):
        raise ValidationError({"unit": _not_a_labour_collective()})
    today = timezone.localdate()
    if year > today.year or year < 2000:
        raise ValidationError({"year": _("Choose a year that has begun.")})
    day = datetime.date(year, 12, 31)
    if not (title.valid_from <= day and (title.valid_to is None or title.valid_to >= day)):
        raise ValidationError(
            {
                "title": _("This version of the title was not in force at the end of %(year)d.")
                % {"year": year}
            }
        )
    if not justification.strip():
        raise ValidationError({"justification": _("Explain the achievements.")})
    checked_links = [web_link(link, field="links") for link in links if link.strip()]
    # Lock the title so that two proposals cannot both take the last place of a quota.
    AwardTitle.objects.select_for_update().filter(key=title.key, unit=title.unit).exists()
    assessment = assess_nominee(title=title, year=year, official=official, unit=unit)
    failed = [line for line in assessment.lines if line.status == "not_met"]
    if failed:
        raise ValidationError(
            {
                "official" if official else "unit": _("Not eligible: %(reasons)s")
                % {"reasons": " ".join(line.text for line in failed)}
            }
        )
    proposing_unit = _proposing_unit(actor, unit)
    contents = [
        (upload.name[:300], clean_attachment(upload, field="files", accept=OFFICE_AND_TEXT))
        for upload in files
    ]
    try:
        with transaction.atomic(), acting_as(actor):
            nomination = Nomination.objects.create(
                title=title,
                year=year,
                official=official,
                unit=unit,
                proposing_unit=proposing_unit,
                justification=justification.strip(),
                verdict=assessment.verdict,
                eligibility=assessment.snapshot(),
                rule_set=title.rule_set,
                proposed_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"official" if official else "unit": _("Already nominated for this title and year.")}
        ) from None
    with acting_as(actor):
        for link in checked_links:
            NominationEvidence.objects.create(nomination=nomination, url=link, added_by=actor)
        for label, content in contents:
            NominationEvidence.objects.create(
                nomination=nomination,
                file=content,
                filename=display_name(content.name),
                label=label,
                added_by=actor,
            )
    return nomination


def _proposing_unit(actor, unit: OrgUnit) -> OrgUnit:
    """The deepest unit at or above the nominee's on which the actor proposes."""
    scope = scope_of(actor)
    if scope.is_global:
        return unit
    paths = [path for path in scope.paths_with_role(*PROPOSER_ROLES) if unit.path.startswith(path)]
    deepest = max(paths, key=len)
    return OrgUnit.objects.get(path=deepest)


@transaction.atomic
def withdraw_nomination(*, actor, nomination: Nomination) -> Nomination:
    _ensure(can_propose(actor, nomination.unit))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status not in (NominationStatus.PROPOSED, NominationStatus.RECOMMENDED):
        raise ValidationError(_("Only a nomination not yet decided can be withdrawn."))
    with acting_as(actor):
        nomination.status = NominationStatus.WITHDRAWN
        nomination.save(update_fields=["status"])
    return nomination


@transaction.atomic
def cast_vote(*, actor, nomination: Nomination, choice: str, note: str = "") -> Vote:
    _ensure(can_vote(actor, nomination))
    if not nomination.is_open():
        raise ValidationError(_("The board's review of this nomination is closed."))
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose for, against or abstain.")})
    with acting_as(actor):
        vote, _created = Vote.objects.update_or_create(
            nomination=nomination,
            voter=actor,
            defaults={"choice": choice, "note": note.strip()[:500], "at": timezone.now()},
        )
    return vote


@transaction.atomic
def close_review(*, actor, nomination: Nomination, note: str = "") -> Nomination:
    """Close the board's vote: recommended when more members voted for than against."""
    _ensure(can_decide(actor, nomination.unit))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not nomination.is_open():
        raise ValidationError(_("The board's review of this nomination is closed."))
    tally = Counter(nomination.votes.values_list("choice", flat=True))
    if not tally:
        raise ValidationError(_("No board member has voted yet."))
    recommended = tally[VoteChoice.FOR] > tally[VoteChoice.AGAINST]
    with acting_as(actor):
        nomination.status = (
            NominationStatus.RECOMMENDED if recommended else NominationStatus.REJECTED
        )
        nomination.reviewed_at = timezone.now()
        nomination.review_note = note.strip()
        nomination.save(update_fields=["status", "reviewed_at", "review_note"])
    return nomination


# --- Decisions ---------------------------------------------------------------------------


def _check_quotas_at_decision(nominations: list[Nomination], year: int) -> None:
    """Awards already decided plus this decision's lines must fit every quota."""
    from civility.awards.models import Quota

    adding: Counter = Counter()
    problems = []
    for nomination in nominations:
        for quota in Quota.objects.applying_to(nomination.unit, nomination.title.key, year):
            adding[quota.pk] += 1
    for quota in Quota.objects.filter(pk__in=adding).select_related("unit"):
        used = (
            Award.objects.counted()
            .under(quota.unit)
            .filter(title_key=quota.title_key, year=year)
            .count()
        )
        limit = quota_limit(quota, year)
        if used + adding[quota.pk] > limit:
            problems.append(
                _(
                    "Quota of %(unit)s for %(title)s: %(used)d awarded, %(adding)d in this "
                    "decision, at most %(limit)d (%(source)s)."
                )
                % {
                    "unit": quota.unit.display_name,
                    "title": quota.title_key,
                    "used": used,
                    "adding": adding[quota.pk],
                    "limit": limit,
                    "source": quota.source,
                }
            )
    if problems:
        raise ValidationError({"nominations": problems})


@transaction.atomic
def record_decision(
    *,
    actor,
    unit: OrgUnit,
    number: str,
    decided_on: datetime.date,
    issuer: str,
    nominations: list[Nomination],
    note: str = "",
    movement: Movement | None = None,
) -> AwardDecision:
    """Record the decision on nominations the board recommended: one award line each, with
    the multiplier of its title version and the bonus at the base salary of the day
    (civility.awards.bonuses), and the movement whose results it commends, if any."""
    _ensure(can_decide(actor, unit))
    errors = {}
    problem = movement_problem(unit, decided_on, movement)
    if problem:
        errors["movement"] = problem
    if not number.strip():
        errors["number"] = _("Enter the decision number.")
    if not issuer.strip():
        errors["issuer"] = _("Enter who signed the decision.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date is in the future.")
    if not nominations:
        errors["nominations"] = _("Choose at least one recommended nomination.")
    if errors:
        raise ValidationError(errors)
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(pk__in=[n.pk for n in nominations])
        .select_related("title", "unit", "official")
    )
    years = {n.year for n in locked}
    for nomination in locked:
        if nomination.status != NominationStatus.RECOMMENDED:
            errors["nominations"] = _(
                "%(name)s: only nominations the board recommended can be decided."
            ) % {"name": nomination.nominee_name}
        elif not nomination.unit.path.startswith(unit.path):
            errors["nominations"] = _("%(name)s is outside the issuing unit.") % {
                "name": nomination.nominee_name
            }
    if len(years) > 1:
        errors["nominations"] = _("A decision covers the achievements of one year.")
    if errors:
        raise ValidationError(errors)
    year = years.pop()
    _check_quotas_at_decision(locked, year)
    bonus = BonusRule.on(decided_on, unit=unit)
    try:
        with transaction.atomic(), acting_as(actor):
            decision = AwardDecision.objects.create(
                unit=unit,
                number=number.strip(),
                decided_on=decided_on,
                issuer=issuer.strip(),
                year=year,
                source=DecisionSource.BOARD,
                rule_set=rule_set_on(decided_on).key,
                movement=movement,
                base_salary=bonus.base_amount,
                base_salary_record=bonus.base_salary,
                bonus_rule=bonus.explain(),
                note=note.strip(),
                recorded_by=actor,
            )
            for nomination in locked:
                Award.objects.create(
                    decision=decision,
                    title=nomination.title,
                    title_key=nomination.title.key,
                    year=year,
                    official=nomination.official,
                    unit=nomination.unit,
                    nomination=nomination,
                    multiplier=nomination.title.multiplier,
                    bonus=bonus.amount(nomination.title.multiplier),
                )
                nomination.status = NominationStatus.AWARDED
                nomination.save(update_fields=["status"])
    except IntegrityError:
        raise ValidationError(
            {
                "number": _(
                    "A decision with this number exists, or a nominee already holds the "
                    "title for the year."
                )
            }
        ) from None
    return decision


@dataclass(frozen=True)
class PastAward:
    """One line of an earlier decision: a title to an official, or to a unit (a collective)."""

    title_key: str
    official: Official | None = None
    unit: OrgUnit | None = None

    @property
    def recipient_unit(self) -> OrgUnit:
        return self.official.unit if self.official is not None else self.unit

    @property
    def name(self) -> str:
        return self.official.full_name if self.official is not None else self.unit.display_name


def past_decision_problems(
    *, unit: OrgUnit, decided_on: datetime.date, year: int, movement: Movement | None
) -> dict[str, str]:
    """What is wrong with an earlier decision's heading, by field (the form and the import)."""
    errors = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date is in the future.")
    if not unit.is_current(decided_on):
        errors["unit"] = _("%(unit)s did not exist on %(day)s.") % {
            "unit": unit.display_name,
            "day": decided_on.strftime("%d/%m/%Y"),
        }
    if year > decided_on.year:
        errors["year"] = _("The year of the achievements is after the decision date.")
    problem = movement_problem(unit, decided_on, movement)
    if problem:
        errors["movement"] = problem
    return errors


def movement_problem(unit: OrgUnit, decided_on: datetime.date, movement: Movement | None) -> str:
    """Why a decision of `unit` on `decided_on` cannot commend results of `movement`, or ""."""
    if movement is None:
        return ""
    if not (unit.path.startswith(movement.unit.path) or movement.unit.path.startswith(unit.path)):
        return _("The movement does not cover the issuing unit.")
    if decided_on < movement.starts_on:
        return _("The decision is dated before the movement started.")
    return ""


def past_award_problem(
    title: AwardTitle | None, award: PastAward, issuer: OrgUnit, decided_on: datetime.date
) -> str:
    """What is wrong with one line of an earlier decision, or ""."""
    if title is None:
        return _("No version of this title is in the catalogue for that year.")
    if (award.official is None) != title.is_collective():
        if title.is_collective():
            return _("%(title)s is given to collectives (units), not to people.") % {
                "title": title.display_name
            }
        return _("%(title)s is given to people, not to units.") % {"title": title.display_name}
    if not award.recipient_unit.path.startswith(issuer.path):
        return _("%(name)s is outside the issuing unit.") % {"name": award.name}
    if award.official is None and not can_hold(title, award.unit):
        return _not_a_labour_collective()
    if award.official is None and not award.unit.is_current(decided_on):
        return _("%(unit)s did not exist on %(day)s.") % {
            "unit": award.unit.display_name,
            "day": decided_on.strftime("%d/%m/%Y"),
        }
    return ""


@transaction.atomic
def record_earlier_decision(
    *,
    actor,
    unit: OrgUnit,
    number: str,
    decided_on: datetime.date,
    issuer: str,
    year: int,
    awards: list[PastAward],
    movement: Movement | None = None,
    note: str = "",
) -> AwardDecision:
    """Record a decision taken before Civility (or outside it) for the archive: no nomination,
    vote or closing, so that titles held in earlier years count for consecutive-year
    conditions and the figures of past periods. Each title is the version in force at the end
    of the year of the achievements (a 2023 decision: the pre-2024 catalogue). The issuing
    unit may be a former one, if it existed on the decision date."""
    _ensure(can_decide(actor, unit))
    errors = past_decision_problems(unit=unit, decided_on=decided_on, year=year, movement=movement)
    if not number.strip():
        errors["number"] = _("Enter the decision number.")
    if not issuer.strip():
        errors["issuer"] = _("Enter who signed the decision.")
    if not awards:
        errors["awards"] = _("List the people or units awarded.")
    if errors:
        raise ValidationError(errors)
    titles = {key: title_for(unit, key, year) for key in {award.title_key for award in awards}}
    for award in awards:
        problem = past_award_problem(titles[award.title_key], award, unit, decided_on)
        if problem:
            raise ValidationError({"awards": f"{award.name}: {problem}"})
    bonus = BonusRule.on(decided_on, unit=unit)
    try:
        with transaction.atomic(), acting_as(actor):
            decision = AwardDecision.objects.create(
                unit=unit,
                number=number.strip(),
                decided_on=decided_on,
                issuer=issuer.strip(),
                year=year,
                source=DecisionSource.RECORDED,
                rule_set=rule_set_on(decided_on).key,
                movement=movement,
                base_salary=bonus.base_amount,
                base_salary_record=bonus.base_salary,
                bonus_rule=bonus.explain(),
                note=note.strip(),
                recorded_by=actor,
            )
            for award in awards:
                title = titles[award.title_key]
                Award.objects.create(
                    decision=decision,
                    title=title,
                    title_key=title.key,
                    year=year,
                    official=award.official,
                    unit=award.recipient_unit,
                    multiplier=title.multiplier,
                    bonus=bonus.amount(title.multiplier),
                )
    except IntegrityError:
        raise ValidationError(
            {
                "number": _(
                    "A decision with this number exists, or a recipient already holds "
                    "the title for the year."
                )
            }
        ) from None
    return decision


# --- Honour board ------------------------------------------------------------------------


@transaction.atomic
def set_honour_consent(*, actor, official: Official, consented: bool) -> HonourConsent:
    """Only the person decides whether their name appears on the public honour board."""
    _ensure(official.user_id is not None and official.user_id == actor.pk)
    with acting_as(actor):
        consent, _created = HonourConsent.objects.update_or_create(
            official=official, defaults={"consented": consented, "changed_at": timezone.now()}
        )
    return consent


# --- Good models and replication ---------------------------------------------------------


@transaction.atomic
def register_good_model(
    *,
    actor,
    unit: OrgUnit,
    name: str,
    category: str,
    started_on: datetime.date,
    authors: list[Official] = (),
    **fields,
) -> GoodModel:
    _ensure(can_manage(actor, unit))
    model = GoodModel(
        unit=unit,
        name=name.strip(),
        category=category,
        started_on=started_on,
        created_by=actor,
        **fields,
    )
    model.full_clean()
    for author in authors:
        if not author.unit.path.startswith(unit.path.split("/")[0] + "/"):
            raise ValidationError({"authors": _("An author is outside the province.")})
    with acting_as(actor):
        model.save()
        model.authors.set(authors)
    return model


@transaction.atomic
def change_model_status(
    *,
    actor,
    model: GoodModel,
    status: str,
    recognised_on: datetime.date | None = None,
    recognised_by: str = "",
    recognition_level: str = "",
) -> GoodModel:
    _ensure(can_manage(actor, model.unit))
    if status not in ModelStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ModelStatus.RECOGNISED:
        if recognised_on is None:
            raise ValidationError({"recognised_on": _("Enter the date of recognition.")})
        if not recognised_by.strip():
            raise ValidationError({"recognised_by": _("Name the body and decision.")})
    with acting_as(actor):
        model.status = status
        if status == ModelStatus.RECOGNISED:
            model.recognised_on = recognised_on
            model.recognised_by = recognised_by.strip()
            model.recognition_level = recognition_level
        model.save()
    return model


@transaction.atomic
def replicate_model(
    *,
    actor,
    model: GoodModel,
    unit: OrgUnit,
    adopted_on: datetime.date,
    status: str = "adopted",
    note: str = "",
) -> Replication:
    """Record that `unit` takes up the model (its managers record it)."""
    _ensure(can_manage(actor, unit))
    if unit.pk == model.unit_id:
        raise ValidationError({"unit": _("The owning unit does not replicate its own model.")})
    if adopted_on < model.started_on:
        raise ValidationError({"adopted_on": _("The model started later than this date.")})
    if adopted_on > timezone.localdate() and status != "planned":
        raise ValidationError({"adopted_on": _("The date is in the future.")})
    with acting_as(actor):
        replication, _created = Replication.objects.update_or_create(
            model=model,
            unit=unit,
            defaults={
                "adopted_on": adopted_on,
                "status": status,
                "note": note.strip(),
                "recorded_by": actor,
            },
        )
    return replication


# --- Revocation reviews ------------------------------------------------------------------

# Awards are revoked under Law 06/2022; the article listing the grounds was not found
# (framework §4), so the Law is cited without one and pages say the article is to be
# confirmed. The title's own legal basis follows.


def revocation_rule(award: Award) -> str:
    basis = award.title.legal_basis.strip()
    return f"{LAW_06_2022}; {basis}" if basis else LAW_06_2022


def _awards_concerned(record) -> list[Award]:
    """Awards for the year the violation happened in, given to the official concerned, or to
    the unit the record is about or any unit above it (a collective answers for its members)."""
    concerned = Q(official__isnull=True, unit__path__in=ancestor_paths(record.unit))
    if record.official_id:
        concerned |= Q(official_id=record.official_id)
    return list(
        Award.objects.filter(concerned, year=record.occurred_on.year).select_related("title")
    )


@transaction.atomic
def flag_awards_for_record(*, record) -> list[RevocationReview]:
    """Flag for revocation review the awards given for a period in which a violation, now
    confirmed, happened. Called when conduct confirms a record, and by the daily check; each
    award is flagged once per record."""
    from civility.conduct.models import Outcome

    if record.outcome != Outcome.CONFIRMED:
        return []
    flagged = []
    for award in _awards_concerned(record):
        review, created = RevocationReview.objects.get_or_create(
            award=award, record=record, defaults={"rule": revocation_rule(award)}
        )
        if created:
            flagged.append(review)
    return flagged


def flag_awards_for_confirmed_records() -> int:
    """The periodic check: every confirmed record of a year for which awards exist, so that
    awards recorded after the record was confirmed are flagged too."""
    from civility.conduct.models import ViolationRecord

    years = set(Award.objects.values_list("year", flat=True).distinct())
    if not years:
        return 0
    records = (
        ViolationRecord.objects.confirmed()
        .filter(occurred_on__year__in=years)
        .select_related("unit", "official")
    )
    return sum(len(flag_awards_for_record(record=record)) for record in records)


@transaction.atomic
def open_revocation_review(*, actor, award: Award, ground: str, detail: str) -> RevocationReview:
    """Put an award under revocation review on a ground of the Law other than a violation in
    its period (those are flagged from conduct records): false declaration of achievements,
    or an award contrary to the conditions or procedure."""
    _ensure(can_decide(actor, award.decision.unit))
    errors = {}
    if ground not in RevocationGround.values or ground == RevocationGround.VIOLATION:
        errors["ground"] = _(
            "Choose the ground; violations are flagged from confirmed conduct records."
        )
    if not detail.strip():
        errors["ground_detail"] = _("Say what was found, and by whom.")
    if errors:
        raise ValidationError(errors)
    if award.revocation_reviews.filter(ground=ground, outcome=ReviewOutcome.PENDING).exists():
        raise ValidationError({"ground": _("This award is already under review on this ground.")})
    with acting_as(actor):
        return RevocationReview.objects.create(
            award=award,
            ground=ground,
            ground_detail=detail.strip(),
            rule=revocation_rule(award),
            opened_by=actor,
        )


@transaction.atomic
def decide_revocation_review(
    *,
    actor,
    review: RevocationReview,
    outcome: str,
    decision_number: str,
    decided_on: datetime.date,
    note: str = "",
    recovery_amount: Decimal | None = None,
) -> RevocationReview:
    """Record the decision on an award under review: kept or revoked, with the number and
    date of the decision. A revoked award stops counting and its bonus is to be recovered:
    the whole bonus unless the decision says less."""
    review = (
        RevocationReview.objects.select_for_update(of=("self",))
        .select_related("award__decision__unit")
        .get(pk=review.pk)
    )
    _ensure(can_decide(actor, review.award.decision.unit))
    errors = {}
    if not review.is_pending():
        errors["outcome"] = _("This review was already decided.")
    if outcome not in (ReviewOutcome.KEPT, ReviewOutcome.REVOKED):
        errors["outcome"] = _("Choose whether the award is kept or revoked.")
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the decision number.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date is in the future.")
    elif decided_on < review.award.decision.decided_on:
        errors["decided_on"] = _("The decision date is before the award was decided.")
    bonus = review.award.bonus
    if outcome == ReviewOutcome.REVOKED:
        if recovery_amount is None:
            recovery_amount = bonus
        elif recovery_amount < 0 or (bonus is not None and recovery_amount > bonus):
            errors["recovery_amount"] = _(
                "The amount to recover is between 0 and the bonus paid (%(bonus)s VND)."
            ) % {"bonus": bonus}
    else:
        recovery_amount = None
    if errors:
        raise ValidationError(errors)
    review.outcome = outcome
    review.decision_number = decision_number.strip()
    review.decided_on = decided_on
    review.decided_by = actor
    review.note = note.strip()
    review.recovery_amount = recovery_amount
    with acting_as(actor):
        review.save()
    return review


@transaction.atomic
def record_bonus_recovery(
    *, actor, review: RevocationReview, recovered_on: datetime.date, recovered_by: str
) -> RevocationReview:
    """Record that the bonus of a revoked award was recovered: when, and by whom."""
    review = (
        RevocationReview.objects.select_for_update(of=("self",))
        .select_related("award__decision__unit")
        .get(pk=review.pk)
    )
    _ensure(can_decide(actor, review.award.decision.unit))
    if not review.recovery_due():
        raise ValidationError(
            {
                "recovered_on": _(
                    "No recovery is due: the award is not revoked with money to recover, or "
                    "the recovery is already recorded."
                )
            }
        )
    errors = {}
    if recovered_on > timezone.localdate():
        errors["recovered_on"] = _("The date is in the future.")
    elif recovered_on < review.decided_on:
        errors["recovered_on"] = _("The money cannot be recovered before the revocation decision.")
    if not recovered_by.strip():
        errors["recovered_by"] = _("Name the office or person who collected the money.")
    if errors:
        raise ValidationError(errors)
    review.recovered_on = recovered_on
    review.recovered_by = recovered_by.strip()
    with acting_as(actor):
        review.save(update_fields=["recovered_on", "recovered_by"])
    return review
