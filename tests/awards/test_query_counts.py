"""Every awards list page and API collection reads the same number of queries for 2 rows as
for 6: a row never costs a query of its own (no N+1)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

import pytest
from django.urls import reverse

from civility.awards.actions import load_award_catalogue
from civility.awards.models import (
    Award,
    AwardDecision,
    AwardTitle,
    BaseSalary,
    GoodModel,
    HonourConsent,
    ModelTally,
    Movement,
    MovementRegistration,
    Nomination,
    Replication,
    ReviewHold,
    RevocationReview,
)
from tests.awards.conftest import YEAR, title
from tests.conftest import Cast
from tests.factories import make_official, make_unit
from tests.query_counts import each_row, reader, same_with_more

pytestmark = pytest.mark.django_db

_numbers = count(1)


def _title(cast: Cast, *, collective: bool = False) -> AwardTitle:
    n = next(_numbers)
    return AwardTitle.objects.create(
        unit=cast.city,
        key=f"title-{n}",
        valid_from=datetime.date(2020, 1, 1),
        name=f"Danh hiệu {n}",
        recipient="collective" if collective else "individual",
        form="emulation_title",
        level="grassroots",
        rule_set="decree-152-2025",
    )


def _official(cast: Cast, **fields) -> object:
    return make_official(f"Trần Thị {next(_numbers)}", unit=cast.a.department, **fields)


def _award(cast: Cast, *, official=None, unit=None, year: int = YEAR) -> Award:
    n = next(_numbers)
    decision = AwardDecision.objects.create(
        unit=cast.city,
        number=f"{n}/QĐ-UBND",
        decided_on=datetime.date(year + 1, 1, 20),
        issuer="Chủ tịch UBND",
        year=year,
        rule_set="decree-152-2025",
    )
    granted = _title(cast, collective=official is None)
    return Award.objects.create(
        decision=decision,
        title=granted,
        title_key=granted.key,
        year=year,
        official=official,
        unit=unit or official.unit,
    )


def _movement(cast: Cast) -> None:
    movement = Movement.objects.create(
        unit=cast.city, name=f"Phong trào {next(_numbers)}", starts_on=datetime.date(2025, 1, 1)
    )
    MovementRegistration.objects.create(movement=movement, unit=cast.a.ward)


def _nomination(cast: Cast) -> None:
    official = _official(cast)
    Nomination.objects.create(
        title=_title(cast),
        year=YEAR,
        official=official,
        unit=official.unit,
        proposing_unit=cast.a.ward,
        justification="Hoàn thành xuất sắc",
        verdict="eligible",
        rule_set="decree-152-2025",
    )


def _decision(cast: Cast) -> None:
    _award(cast, official=_official(cast))


def _hold(cast: Cast) -> None:
    ReviewHold.objects.create(
        unit=cast.a.department,
        official=_official(cast),
        kind="inspection",
        started_on=datetime.date(2025, 3, 1),
    )


def _revocation(cast: Cast) -> None:
    RevocationReview.objects.create(
        award=_award(cast, official=_official(cast)),
        ground="false_declaration",
        rule="Luật 06/2022",
    )


def _base_salary(cast: Cast) -> None:
    BaseSalary.objects.create(
        valid_from=datetime.date(2000, 1, 1) + datetime.timedelta(days=next(_numbers)),
        amount=2340000,
        legal_basis="Nghị định 73/2024",
    )


def _honour(cast: Cast) -> None:
    official = _official(cast)
    HonourConsent.objects.create(official=official, consented=True)
    _award(cast, official=official)
    _award(cast, unit=make_unit(f"Tổ {next(_numbers)}", parent=cast.a.ward))


def _my_award(cast: Cast) -> None:
    _award(cast, official=cast.a.official, year=2000 + next(_numbers))
    Nomination.objects.create(
        title=_title(cast),
        year=YEAR,
        official=cast.a.official,
        unit=cast.a.department,
        proposing_unit=cast.a.ward,
        justification="Tốt",
        verdict="eligible",
        rule_set="decree-152-2025",
    )


def _good_model(cast: Cast) -> None:
    model = GoodModel.objects.create(
        unit=cast.a.department,
        name=f"Mô hình {next(_numbers)}",
        category="one_stop",
        started_on=datetime.date(2024, 5, 1),
    )
    model.authors.add(cast.a.official)
    Replication.objects.create(model=model, unit=cast.b.ward, adopted_on=datetime.date(2025, 1, 1))


def _tally(cast: Cast) -> None:
    ModelTally.objects.create(
        unit=cast.a.ward, year=2000 + next(_numbers) % 100, category="green_office", count=7
    )


def _title_row(cast: Cast) -> None:
    _title(cast)


def _colleague(cast: Cast) -> None:
    _official(cast)


@dataclass
class Case:
    url: Callable[[Cast], str]
    make: Callable[[Cast], None]
    reader: Callable[[Cast], object] = lambda cast: cast.city_coordinator
    needs_catalogue: bool = False


def _page(name: str, query: str = "") -> Callable[[Cast], str]:
    return lambda cast: reverse(name) + query


def _eligibility_url(cast: Cast) -> str:
    return (
        reverse("awards:eligibility")
        + f"?title={title('advanced-worker').pk}&year={YEAR}&unit={cast.a.ward.pk}"
    )


def _eligibility_api(cast: Cast) -> str:
    return (
        f"/api/v1/awards/eligibility?title_id={title('advanced-worker').pk}&year={YEAR}"
        f"&unit={cast.a.ward.pk}"
    )


CASES = {
    "movements": Case(_page("awards:movement_list"), _movement),
    "titles": Case(_page("awards:title_list"), _title_row),
    "nominations": Case(_page("awards:nomination_list"), _nomination),
    "decisions": Case(_page("awards:decision_list"), _decision),
    "reviews in progress": Case(_page("awards:hold_list"), _hold),
    "revocation reviews": Case(_page("awards:revocation_list", "?show=all"), _revocation),
    "base salaries": Case(_page("awards:base_salary_list"), _base_salary),
    "honour board": Case(_page("awards_public:honour_board"), _honour, lambda cast: None),
    "my awards": Case(_page("awards:my_awards"), _my_award, lambda cast: cast.a.official_user),
    "good models": Case(_page("awards:model_list"), _good_model),
    "count-only entries": Case(_page("awards:tally_list"), _tally),
    "eligibility": Case(_eligibility_url, _colleague, needs_catalogue=True),
    "API titles": Case(lambda cast: "/api/v1/awards/titles", _title_row),
    "API nominations": Case(lambda cast: "/api/v1/awards/nominations", _nomination),
    "API eligibility": Case(_eligibility_api, _colleague, needs_catalogue=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_list_reads_as_many_queries_for_six_rows_as_for_two(client, cast, name):
    case = CASES[name]
    if case.needs_catalogue:
        load_award_catalogue(actor=None, unit=cast.city)
    user = case.reader(cast)
    if user is not None:
        client.force_login(user)
    two, six = same_with_more(reader(client, case.url(cast)), each_row(lambda _: case.make(cast)))
    assert len(six.response.content) > len(two.response.content), (
        "the four new rows are not on the page"
    )
