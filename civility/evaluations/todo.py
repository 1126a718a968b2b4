"""Evaluation work for the to-do home (civility/core/todo.py): the person's own
self-assessment, evaluations to rate and to approve counted per period, classifications to
confirm counted per year, and the official's own annual classification. Two queries."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, Count, Min, Q, When
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.todo import TodoItem
from civility.evaluations.models import AnnualClassification, Evaluation, Step
from civility.evaluations.rules import AnnualLevel, annual_rule_set
from civility.orgs.models import OrgUnit


def items_for(user: User | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    return [*_monthly(user, today), *_annual(user, today)]


def _monthly(user: User, today: datetime.date) -> list[TodoItem]:
    work = (
        Evaluation.objects.to_self_assess_by(user)
        | Evaluation.objects.to_rate_by(user)
        | Evaluation.objects.to_approve_by(user)
    )
    rows = (
        work.values(
            "step",
            "period__month",
            "period__self_deadline",
            "period__review_deadline",
            "period__approval_deadline",
            "period__unit__name",
            "period__unit__name_en",
        )
        .annotate(count=Count("pk"), first=Min("pk"))
        .order_by("period__month", "step")
    )
    home = reverse("evaluations:evaluation_home")
    items = []
    for row in rows:
        count, step = row["count"], row["step"]
        values = {
            "count": count,
            "month": date_format(row["period__month"], "YEAR_MONTH_FORMAT"),
        }
        unit = OrgUnit(name=row["period__unit__name"], name_en=row["period__unit__name_en"])
        single = reverse("evaluations:evaluation_detail", args=[row["first"]])
        if step == Step.SELF:
            title = _("Your self-assessment for %(month)s") % values
            due, url = row["period__self_deadline"], single
        elif step == Step.REVIEW:
            title = (
                ngettext(
                    "Rate %(count)d evaluation for %(month)s",
                    "Rate %(count)d evaluations for %(month)s",
                    count,
                )
                % values
            )
            due = row["period__review_deadline"]
            url = single if count == 1 else f"{home}#rate-title"
        else:
            title = (
                ngettext(
                    "Approve %(count)d evaluation for %(month)s",
                    "Approve %(count)d evaluations for %(month)s",
                    count,
                )
                % values
            )
            due = row["period__approval_deadline"]
            url = single if count == 1 else f"{home}#approve-title"
        items.append(
            TodoItem(
                title=title,
                detail=unit.display_name,
                due=due,
                url=url,
                section=_("Evaluations"),
                count=None if step == Step.SELF else count,
                today=today,
            )
        )
    return items


def _annual(user: User, today: datetime.date) -> list[TodoItem]:
    """Classifications to confirm, and the person's own latest one (which they read but do
    not act on: it is listed without a due date)."""
    mine = Q(official__user=user)
    work = AnnualClassification.objects.to_confirm_by(user) | AnnualClassification.objects.filter(
        mine, year__gte=today.year - 1
    )
    rows = (
        work.annotate(is_mine=Case(When(mine, then=True), default=False))
        .values("year", "rule_set", "is_mine", "proposed_level", "final_level", "confirmed_at")
        .annotate(count=Count("pk"), first=Min("pk"))
        .order_by("-year")
    )
    to_confirm: dict[tuple[int, str], list[int]] = {}
    own = None
    for row in rows:
        if row["is_mine"]:
            own = own or row
            continue
        counted = to_confirm.setdefault((row["year"], row["rule_set"]), [0, row["first"]])
        counted[0] += row["count"]
        counted[1] = min(counted[1], row["first"])
    items = [
        TodoItem(
            title=ngettext(
                "Confirm %(count)d annual classification for %(year)s",
                "Confirm %(count)d annual classifications for %(year)s",
                count,
            )
            % {"count": count, "year": year},
            detail=str(annual_rule_set(rule_set).name) if rule_set else "",
            due=annual_rule_set(rule_set).deadline(year) if rule_set else None,
            url=reverse("evaluations:classification_detail", args=[first])
            if count == 1
            else reverse("evaluations:classification_list") + f"?year={year}",
            section=_("Evaluations"),
            count=count,
            today=today,
        )
        for (year, rule_set), (count, first) in sorted(to_confirm.items())
    ]
    if own is not None:
        items.append(_own_classification(own, today))
    return items


def _own_classification(row: Mapping[str, Any], today: datetime.date) -> TodoItem:
    if row["confirmed_at"] is not None:
        detail = _("Confirmed: %(level)s") % {"level": AnnualLevel(row["final_level"]).label}
    elif row["proposed_level"]:
        detail = _("Proposed: %(level)s, awaiting your head's confirmation") % {
            "level": AnnualLevel(row["proposed_level"]).label
        }
    else:
        detail = _("Your head assesses it: the records allow no proposal")
    return TodoItem(
        title=_("Your annual classification for %(year)s") % {"year": row["year"]},
        detail=detail,
        url=reverse("evaluations:classification_detail", args=[row["first"]]),
        section=_("Evaluations"),
        today=today,
    )
