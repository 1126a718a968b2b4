"""Every list page and API collection of programmes takes as many queries for 6 rows as for 2."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from django.urls import reverse

from civility.orgs.models import UnitKind
from civility.programmes.actions import (
    create_indicator,
    create_programme,
    create_task,
    load_title_rules,
    set_target,
)
from civility.programmes.models import Aggregation, Frequency, ProgrammeKind, Recognition
from tests.factories import make_unit
from tests.query_counts import each_row, reader, same_with_more


def _programme(cast, number: int):
    return create_programme(
        actor=cast.city_coordinator,
        unit=cast.city,
        kind=ProgrammeKind.PLAN,
        number=f"{number}/KH-UBND",
        title=f"Kế hoạch {number}",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )


def _task(cast, programme, number: int, side=None):
    side = side or (cast.a if number % 2 else cast.b)
    task = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title=f"Nhiệm vụ {number}",
        assignee_unit=side.ward,
        deadline=datetime.date(2025, 6, 1 + number),
    )
    create_task(
        actor=cast.city_coordinator,
        programme=programme,
        parent=task,
        title=f"Nhiệm vụ con {number}",
        assignee_unit=side.department,
        assignee_official=side.official,
        deadline=datetime.date(2025, 5, 1 + number),
    )
    return task


def _indicator(cast, number: int):
    base = create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code=f"so-{number}",
        name=f"Chỉ tiêu {number}",
        measure="người",
        aggregation=Aggregation.SUM,
        frequency=Frequency.YEAR,
    )
    set_target(actor=cast.city_coordinator, indicator=base, unit=cast.city, year=2025, value=D(9))
    return base


def test_the_programme_list_page(client, cast):
    client.force_login(cast.city_coordinator)

    def add(number: int) -> None:
        _task(cast, _programme(cast, number), number)

    same_with_more(reader(client, reverse("programmes:programme_list")), each_row(add))


def test_the_task_list_page(client, cast, programme):
    client.force_login(cast.city_coordinator)
    same_with_more(
        reader(client, reverse("programmes:task_list")),
        each_row(lambda number: _task(cast, programme, number)),
    )


def test_the_indicator_list_page(client, cast):
    client.force_login(cast.city_coordinator)
    same_with_more(
        reader(client, reverse("programmes:indicator_list")),
        each_row(lambda n: _indicator(cast, n)),
    )


def test_the_titles_page_by_unit(client, cast):
    rule = next(
        rule
        for rule in load_title_rules(actor=cast.city_coordinator, unit=cast.city)
        if rule.title == "village"
    )
    client.force_login(cast.city_coordinator)

    def add(number: int) -> None:
        ward = make_unit(f"Phường {number}", parent=cast.city, kind=UnitKind.WARD)
        village = make_unit(f"Thôn {number}", parent=ward, kind=UnitKind.VILLAGE)
        Recognition.objects.create(rule=rule, title=rule.title, year=2025, unit=village)

    same_with_more(
        reader(
            client,
            reverse("programmes:title_overview"),
            {"unit": cast.city.pk, "title": "village", "year": 2025},
        ),
        each_row(add),
    )


def test_the_programmes_api(client, cast):
    client.force_login(cast.admin)
    same_with_more(reader(client, "/api/v1/programmes/"), each_row(lambda n: _programme(cast, n)))


def test_the_tasks_api(client, cast, programme):
    client.force_login(cast.admin)
    same_with_more(
        reader(client, f"/api/v1/programmes/{programme.pk}/tasks"),
        each_row(lambda number: _task(cast, programme, number)),
    )


def test_the_indicators_api(client, cast):
    client.force_login(cast.admin)
    same_with_more(
        reader(client, "/api/v1/programmes/indicators"), each_row(lambda n: _indicator(cast, n))
    )
