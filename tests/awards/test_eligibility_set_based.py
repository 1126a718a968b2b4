"""The city-scale way of assessing gives every title the same list, verdicts and reasons as
before: the facts read through a subquery of the subtree (not by the officials' ids), each unit
read once, and the lines that do not depend on the person made once and shared."""

from __future__ import annotations

import datetime

import pytest

from civility.awards.eligibility import Assessor, eligibility_rows, title_for
from civility.awards.models import AwardTitle, GoodModel
from civility.orgs.models import Official
from tests.awards.conftest import YEAR

pytestmark = pytest.mark.django_db


def listed(assessor: Assessor, unit, title) -> list[tuple]:
    return [
        (
            row.official.pk if row.official else None,
            row.unit.pk,
            row.nominee_name,
            row.verdict,
            [line.as_dict() for line in row.lines],
        )
        for row in eligibility_rows(assessor, unit, title)
    ]


def test_every_title_lists_the_same_verdicts_and_reasons_both_ways(
    cast, catalogue, classify, members, discipline, open_record, earlier
):
    levels = ["excellent", "good", "completed", "excellent", "good"]
    for number, member in enumerate(members):
        classify(member, levels[number % len(levels)])
        classify(member, "excellent", year=YEAR - 1)
    classify(cast.b.official, "good")
    discipline(members[1])
    open_record(members[2])
    earlier("advanced-worker", YEAR - 1, officials=members[:4])
    earlier("advanced-collective", YEAR - 1, units=[cast.a.department])
    titles = AwardTitle.objects.for_unit(cast.city).current()
    assert titles.count() >= 10

    for unit in (cast.city, cast.a.ward):
        fast = Assessor.for_unit(unit, year=YEAR)
        before = Assessor(
            year=YEAR,
            officials=list(Official.objects.under(unit).active().select_related("unit")),
        )
        for title in titles:
            title = title_for(unit, title.key, YEAR) or title
            assert listed(fast, unit, title) == listed(before, unit, title), title.key


def test_lines_shared_between_officials_say_what_each_one_alone_would_get(
    cast, catalogue, classify, members, discipline, open_record, earlier
):
    earlier("advanced-worker", YEAR - 1, officials=members[:3])
    earlier("grassroots-fighter", YEAR - 1, officials=members[1:2])
    earlier("grassroots-fighter", YEAR - 2, officials=members[1:3])
    for number, member in enumerate(members):
        classify(member, ["excellent", "good", "completed"][number % 3])
    discipline(members[0])
    discipline(members[3], form="reprimand")
    open_record(members[4])
    initiative = GoodModel.objects.create(
        kind="initiative",
        category="digital",
        unit=members[5].unit,
        name="Sáng kiến số hoá hồ sơ",
        started_on=datetime.date(YEAR, 1, 1),
        status="recognised",
        recognised_on=datetime.date(YEAR, 10, 1),
    )
    initiative.authors.add(members[5], members[6])
    unit = cast.a.ward
    together = Assessor.for_unit(unit, year=YEAR)

    for title in AwardTitle.objects.for_unit(unit).current().filter(recipient="individual"):
        title = title_for(unit, title.key, YEAR) or title
        for official in together.officials.values():
            alone = Assessor(year=YEAR, officials=[official])
            shared = together.assess(title, official=official)
            assert [line.as_dict() for line in shared.lines] == [
                line.as_dict() for line in alone.assess(title, official=official).lines
            ], (title.key, official.full_name)


def test_the_title_version_for_each_unit_is_the_one_title_for_finds(cast, catalogue):
    own = title_for(cast.city, "advanced-worker", YEAR)
    own.pk, own.unit = None, cast.a.ward  # the ward's own version of the city's title
    own.save()
    assessor = Assessor.for_unit(cast.city, year=YEAR)
    for unit in (cast.city, cast.a.ward, cast.a.department, cast.b.ward):
        for key in ("advanced-worker", "grassroots-fighter", "no-such-title"):
            assert assessor.title(unit, key) == title_for(unit, key, YEAR), (unit, key)
    assert assessor.title(cast.a.department, "advanced-worker") == own
    assert assessor.title(cast.b.ward, "advanced-worker") != own
