"""Annual classification: proposals with their reasons, inputs, confirmation."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core import jobs
from civility.core.audit import acting_as
from civility.core.db import copy_into, copy_update
from civility.core.i18n import format_number, format_percent
from civility.core.jobs import NO_PROGRESS, Progress
from civility.core.models import Job
from civility.evaluations import facts as facts_module
from civility.evaluations import policies
from civility.evaluations.actions.common import (
    _require,
    approval_root,
    can_approve_for,
    can_manage,
)
from civility.evaluations.actions.proposals import (
    TO_ASSESS,
    _default_months_worked,
    _reason,
    compute_proposal,
)
from civility.evaluations.models import (
    AnnualClassification,
    Evaluation,
)
from civility.evaluations.rules import (
    DECREE_335,
    AnnualLevel,
    AnnualMethod,
    AnnualRuleSet,
    Level,
    annual_rule_set_for,
    cite,
    excellent_cap_per_good,
    level_rank,
    share_of,
)
from civility.orgs.models import AGENCY_KINDS, Official, OrgUnit, UnitKind, nearest_of_kinds
from civility.orgs.policies import PolicyValue, policy, policy_for_units

QUOTA_SETTINGS = (
    ("group", policies.EXCELLENT_QUOTA_GROUP),
    ("share", policies.EXCELLENT_SHARE_OUTSTANDING),
    ("rounding", policies.QUOTA_ROUNDING),
    ("order", policies.QUOTA_ORDER),
)


def _quota_settings(agency: OrgUnit, year: int) -> dict[str, PolicyValue]:
    """The settings of Decree 335's share of "excellent" for the agency, in force at the end
    of the year classified."""
    day = datetime.date(year, 12, 31)
    return {name: policy(spec.key, unit=agency, on=day) for name, spec in QUOTA_SETTINGS}


def _quota_settings_of(agencies: list[OrgUnit], year: int) -> dict[int, dict[str, PolicyValue]]:
    """`_quota_settings` of many agencies, one query per setting."""
    day = datetime.date(year, 12, 31)
    values = {
        name: policy_for_units(spec.key, units=agencies, on=day) for name, spec in QUOTA_SETTINGS
    }
    return {agency.pk: {name: values[name][agency.pk] for name in values} for agency in agencies}


def _excellent_percent(rules: AnnualRuleSet, settings: dict[str, PolicyValue]) -> int:
    return max(rules.excellent_per_good_percent or 0, int(settings["share"].value))


def _apply_agency_quota(
    rows: list[AnnualClassification],
    locked: list[AnnualClassification],
    rules: AnnualRuleSet,
    settings: dict[str, PolicyValue],
) -> None:
    """Decree 335 Art. 20 cl. 5: excellent at most 20% of those rated good in the agency (or
    in each post, per the setting). Confirmed rows keep their level. Among the others, under
    the default order the best average scores keep excellent and the rest are proposed good;
    candidates tied at the last place, or all candidates when the head decides, are left to
    the head ("to be assessed"). Each changed proposal gives the quota line with the settings.
    """
    percent = _excellent_percent(rules, settings)
    candidates = [row for row in rows if row.proposed_level == AnnualLevel.EXCELLENT]
    good = sum(1 for row in rows if row.proposed_level == AnnualLevel.GOOD)
    good += sum(1 for row in locked if row.final_level == AnnualLevel.GOOD)
    fixed = sum(1 for row in locked if row.final_level == AnnualLevel.EXCELLENT)
    keep = excellent_cap_per_good(
        len(candidates), good, percent, fixed=fixed, rounding=str(settings["rounding"].value)
    )
    if keep >= len(candidates):
        return
    sources = [cite(DECREE_335, "20", clause="5")]
    used = [policies.snapshot(value) for value in settings.values()]
    params = {"percent": percent, "cap": keep + fixed, "candidates": len(candidates)}
    if settings["order"].value == policies.HEAD_DECIDES:
        to_head, lowered = candidates, []
    else:
        candidates.sort(key=lambda row: -(row.average_score or 0))
        last = candidates[keep].average_score
        tied = [row for row in candidates if row.average_score == last]
        straddles = any(row in tied for row in candidates[:keep])
        to_head = tied if straddles else []
        lowered = [row for row in candidates[keep:] if row not in to_head]
    for row in lowered:
        row.proposed_level = AnnualLevel.GOOD
        row.reasons = [
            *row.reasons,
            _reason("quota_excellent", sources=sources, used=used, **params),
        ]
    places = keep - sum(1 for row in candidates[:keep] if row not in to_head)
    for row in to_head:
        row.proposed_level = TO_ASSESS
        row.reasons = [
            *row.reasons,
            _reason(
                "quota_head_decides",
                sources=sources,
                used=used,
                places=places,
                among=len(to_head),
                **params,
            ),
        ]


# A subtree with at most this many officials gets its proposals within the request (by the
# same job); a larger one in the background.
INLINE_OFFICIALS = 2000


def request_proposals(*, actor: User, unit: OrgUnit, year: int) -> Job:
    """Have a background job compute the year's proposals (`propose_classifications`);
    returns the core Job, already finished for a small subtree."""
    _require(can_manage(actor, unit))
    return jobs.enqueue(
        actor=actor,
        kind="evaluations.propose_classifications",
        title=_("Annual classification proposals %(year)s") % {"year": year},
        unit=unit,
        params={
            "year": year,
            "next": f"{reverse('evaluations:classification_list')}?year={year}",
        },
        inline=Official.objects.under(unit).count() <= INLINE_OFFICIALS,
    )


@transaction.atomic
def propose_classifications(
    *, actor: User, unit: OrgUnit, year: int, progress: Progress | None = None
) -> list[AnnualClassification]:
    """Compute (or recompute) the proposal for every official of the subtree for the year.
    Confirmed classifications are locked and left as they are."""
    progress = progress or NO_PROGRESS
    _require(can_manage(actor, unit))
    start = datetime.date(year, 1, 1)
    officials = Official.objects.under(unit).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    # The units are read once each (a few hundred for a city), not once per official.
    units_by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=officials.values("unit_id"))}
    for official in officials:
        official.unit = units_by_id[official.unit_id]
    units = units_by_id.values()
    agencies = nearest_of_kinds(units, AGENCY_KINDS)
    provinces = nearest_of_kinds(units, (UnitKind.PROVINCE,))
    existing = {
        row.official_id: row
        for row in AnnualClassification.objects.select_for_update().filter(
            official__in=officials, year=year
        )
    }
    # Work items are read as text and parsed only for the rule sets that count them (most
    # classify on the average score): parsing a city's year of them cost seconds.
    scores: dict[int, list[tuple[Decimal, str]]] = defaultdict(list)
    for official_id, total, items in (
        Evaluation.objects.approved()
        .filter(official__in=officials, period__month__year=year)
        .values_list("official_id", "total", Cast("work_items", TextField()))
    ):
        scores[official_id].append((total, items))
    discipline = facts_module.discipline_in_year_for(officials, year)
    fails: dict[int, set[int]] = defaultdict(set)
    for official_id, failed_year in (
        AnnualClassification.objects.confirmed()
        .filter(official__in=officials, year__lt=year, final_level=AnnualLevel.NOT_COMPLETED)
        .values_list("official_id", "year")
    ):
        fails[official_id].add(failed_year)
    by_agency: dict[tuple[int, str], list[AnnualClassification]] = {}
    agency_units: dict[int, OrgUnit] = {}
    results = []
    progress.start(len(officials), _("Computing each official's proposal"))
    for index, official in enumerate(officials, start=1):
        if index % 5000 == 0:
            progress.update(done=index)
        row = existing.get(official.pk)
        if row is not None and row.is_locked():
            continue
        if row is None:
            row = AnnualClassification(
                official=official,
                year=year,
                months_worked=_default_months_worked(official, year),
            )
        province = provinces[official.unit_id]
        rules = annual_rule_set_for(
            year, official.staff_category, province.code if province is not None else None
        )
        row.unit = official.unit
        row.agency = agencies[official.unit_id] or official.unit
        agency_units[row.agency.pk] = row.agency
        row.post_id = official.post_id
        row.staff_category = official.staff_category
        row.is_leader = official.is_leader
        row.agency_role = official.agency_role
        row.rule_set = rules.key if rules else ""
        uses_items = rules is not None and rules.method != AnnualMethod.AVERAGE_SCORE
        level, reasons, average, count = compute_proposal(
            official,
            year,
            rules,
            months_worked=row.months_worked,
            months_absent=row.months_absent,
            maternity_leave=row.maternity_leave,
            evaluations=[
                (total, json.loads(items) if uses_items else [])
                for total, items in scores.get(official.pk, [])
            ],
            discipline=discipline.get(official.pk, []),
            earlier_fails=fails.get(official.pk, set()),
        )
        row.proposed_level, row.reasons, row.average_score, row.period_count = (
            level,
            reasons,
            average,
            count,
        )
        if rules is not None and rules.excellent_per_good_percent is not None:
            by_agency.setdefault((row.agency.pk, rules.key), []).append(row)
        results.append(row)
    quota_settings = _quota_settings_of(
        [agency_units[agency_id] for agency_id, _key in by_agency], year
    )
    locked_rows: dict[tuple[int, str], list[AnnualClassification]] = defaultdict(list)
    for row in AnnualClassification.objects.confirmed().filter(
        agency_id__in={agency_id for agency_id, _key in by_agency}, year=year
    ):
        locked_rows[(row.agency_id, row.rule_set)].append(row)
    for (agency_id, key), rows in by_agency.items():
        rules = rows[0].rules
        settings = quota_settings[agency_id]
        locked = locked_rows[(agency_id, key)]
        by_post = settings["group"].value == policies.BY_POST
        groups: dict[int | None, list[AnnualClassification]] = {}
        for row in rows:
            groups.setdefault(row.post_id if by_post else None, []).append(row)
        for post_id, group in groups.items():
            in_group = [row for row in locked if not by_post or row.post_id == post_id]
            _apply_agency_quota(group, in_group, rules, settings)
    # Proposals are Civility's own arithmetic, recomputed at will: written in bulk and not
    # audited row by row; the head's confirmation (the decision) is audited.
    progress.update(message=_("Writing the proposals"))
    now = timezone.now()
    for row in results:
        row.computed_at = now
    copy_into(AnnualClassification, [row for row in results if row.pk is None])
    copy_update(
        AnnualClassification,
        [row for row in results if row.pk is not None],
        [
            "unit",
            "agency",
            "post",
            "staff_category",
            "is_leader",
            "agency_role",
            "rule_set",
            "months_worked",
            "period_count",
            "average_score",
            "proposed_level",
            "reasons",
            "computed_at",
        ],
        only_where="confirmed_at IS NULL",  # confirmed meanwhile: the head's decision stays
    )
    return results


@transaction.atomic
def update_classification_inputs(
    *,
    actor: User,
    classification: AnnualClassification,
    months_worked: int,
    months_absent: int,
    maternity_leave: bool,
) -> AnnualClassification:
    """The head records time worked and absence; the proposal is computed again."""
    _require(can_manage(actor, classification.unit))
    if classification.is_locked():
        raise ValidationError(_("This classification is confirmed and locked."))
    if not 0 <= months_worked <= 12:
        raise ValidationError({"months_worked": _("Months worked are from 0 to 12.")})
    if not 0 <= months_absent <= 12 or months_absent + months_worked > 12:
        raise ValidationError(
            {
                "months_absent": _(
                    "Months absent are from 0 to 12, and with months worked at most 12."
                )
            }
        )
    classification.months_worked = months_worked
    classification.months_absent = months_absent
    classification.maternity_leave = maternity_leave
    classification.save(update_fields=["months_worked", "months_absent", "maternity_leave"])
    propose_classifications(
        actor=actor, unit=classification.official.unit, year=classification.year
    )
    classification.refresh_from_db()
    return classification


HARD_RULES = ("too_few_months", "discipline", "absence_cap")


def _hard_limit(classification: AnnualClassification) -> tuple[str, dict[str, Any]] | None:
    """The highest level the law allows here, and the rule's reason, if a rule fixed it."""
    for reason in classification.reasons:
        if reason["code"] in HARD_RULES:
            return reason["code"], reason["params"]
    return None


def classification_root(classification: AnnualClassification) -> tuple[str, bool]:
    """Decree 90/2020 Art. 16: the head of the agency confirms its deputies and staff; the
    head of the agency is confirmed from the level above."""
    return approval_root(
        unit=classification.agency,
        agency=classification.agency,
        is_leader=classification.is_leader,
        agency_role=classification.agency_role,
        deputy_level_above=False,
    )


def can_confirm(user: User, classification: AnnualClassification) -> bool:
    return can_approve_for(
        user, classification_root(classification), official=classification.official
    )


@transaction.atomic
def confirm_classification(
    *,
    actor: User,
    classification: AnnualClassification,
    level: str | None = None,
    change_reason: str = "",
    late_reason: str = "",
    today: datetime.date | None = None,
) -> AnnualClassification:
    """The head confirms the proposal or changes it with a reason; the result is locked."""
    _require(can_confirm(actor, classification))
    classification = AnnualClassification.objects.select_for_update().get(pk=classification.pk)
    if classification.is_locked():
        raise ValidationError(_("This classification is confirmed and locked."))
    today = today or timezone.localdate()
    level = level or classification.proposed_level
    if level not in AnnualLevel.values:
        raise ValidationError({"level": _("Choose one of the levels.")})
    rules = classification.rules if classification.rule_set else None
    if classification.proposed_level == TO_ASSESS and not change_reason.strip():
        raise ValidationError(
            {
                "change_reason": _(
                    "No level was proposed: the records allow no verdict under the rules. Give "
                    "the grounds for the level you choose."
                )
            }
        )
    if level != classification.proposed_level and not change_reason.strip():
        raise ValidationError({"change_reason": _("Give the reason for changing the proposal.")})
    hard = _hard_limit(classification)
    if hard is not None and level != classification.proposed_level:
        code, params = hard
        legal_basis = rules.legal_basis if rules else ""
        if code == "too_few_months":
            raise ValidationError(
                {
                    "level": ngettext(
                        "Refused under %(rule)s: fewer than %(minimum)s month worked in the "
                        "year, so the official is not classified (maternity leave excepted).",
                        "Refused under %(rule)s: fewer than %(minimum)s months worked in the "
                        "year, so the official is not classified (maternity leave excepted).",
                        int(params.get("minimum", 6)),
                    )
                    % {"rule": legal_basis, "minimum": params.get("minimum", "6")}
                }
            )
        if code == "discipline" and level != AnnualLevel.NOT_COMPLETED:
            raise ValidationError(
                {
                    "level": _(
                        "Refused under %(rule)s: the official was disciplined in the year "
                        "(decision %(number)s), so the level is “did not complete tasks”."
                    )
                    % {"rule": legal_basis, "number": params.get("number", "")}
                }
            )
        if code == "absence_cap" and level_rank(level) > level_rank(params["cap"]):
            raise ValidationError(
                {
                    "level": ngettext(
                        "Refused under %(rule)s: absent %(months)s month in the year, so at "
                        "most “%(cap)s”.",
                        "Refused under %(rule)s: absent %(months)s months in the year, so at "
                        "most “%(cap)s”.",
                        int(params["months"]),
                    )
                    % {
                        "rule": legal_basis,
                        "months": params["months"],
                        "cap": Level(params["cap"]).label,
                    }
                }
            )
    if (
        rules is not None
        and today >= rules.deadline(classification.year)
        and not late_reason.strip()
    ):
        raise ValidationError(
            {
                "late_reason": _(
                    "Under %(rule)s the classification is done before %(deadline)s; give the "
                    "reason for confirming it late."
                )
                % {
                    "rule": rules.legal_basis,
                    "deadline": rules.deadline(classification.year).strftime("%d/%m/%Y"),
                }
            }
        )
    if (
        rules is not None
        and rules.excellent_per_good_percent is not None
        and level == AnnualLevel.EXCELLENT
    ):
        # Every peer is locked (concurrent confirmations wait for each other), but only
        # confirmed ones count as rated: a proposal is not a rating, so heads confirm "well
        # completed" before the excellent it allows.
        settings = _quota_settings(classification.agency, classification.year)
        peers = (
            AnnualClassification.objects.select_for_update()
            .filter(
                agency_id=classification.agency_id, year=classification.year, rule_set=rules.key
            )
            .exclude(pk=classification.pk)
        )
        if settings["group"].value == policies.BY_POST:
            peers = peers.filter(post=classification.post)
        locked = [peer for peer in peers if peer.is_locked()]
        excellent = 1 + sum(1 for peer in locked if peer.final_level == AnnualLevel.EXCELLENT)
        good = sum(1 for peer in peers if peer.final_level == AnnualLevel.GOOD)
        percent = _excellent_percent(rules, settings)
        cap = share_of(good, percent, str(settings["rounding"].value))
        if excellent > cap:
            refusal = _(
                "Refused under %(rule)s: excellent may be at most %(percent)s of the "
                "number rated well completed in %(unit)s (%(good)s rated well completed, "
                "so at most %(cap)s excellent); this would make %(excellent)s."
            ) % {
                "rule": rules.legal_basis,
                "percent": format_percent(percent),
                "unit": classification.agency,
                "good": format_number(good),
                "cap": format_number(cap),
                "excellent": format_number(excellent),
            }
            lines = [refusal, *(value.explain() for value in settings.values())]
            raise ValidationError({"level": " ".join(lines)})
    classification.final_level = level
    classification.change_reason = (
        change_reason.strip() if level != classification.proposed_level else ""
    )
    classification.late_reason = late_reason.strip()
    classification.confirmed_by = actor
    classification.confirmed_at = timezone.now()
    with acting_as(actor):
        classification.save()
    return classification
