"""Fixtures for awards: the cast, Hanoi's title catalogue, and helpers that write the facts
eligibility reads (classifications, disciplinary measures, earlier titles)."""

from __future__ import annotations

import datetime

import pytest

from civility.awards import actions
from civility.awards.models import AwardTitle, NominationStatus
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user

YEAR = 2025


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(cast) -> int:
    return actions.load_award_catalogue(actor=None, unit=cast.city)


def title(key: str, year: int = YEAR) -> AwardTitle:
    from civility.awards.eligibility import title_for
    from civility.orgs.models import OrgUnit

    return title_for(OrgUnit.objects.get(code="01"), key, year)


@pytest.fixture
def board_a(cast):
    return make_user("board_a", roles={Role.BOARD_MEMBER: cast.a.ward})


@pytest.fixture
def board_city(cast):
    return make_user("board_city", roles={Role.BOARD_MEMBER: cast.city})


@pytest.fixture(autouse=True)
def levels(monkeypatch) -> dict[tuple[int, int], str]:
    """Give officials a confirmed annual classification.

    The levels are served through civility.awards.facts.classifications (the one reader of
    the evaluations app), so these tests do not depend on how evaluations stores them;
    tests/awards/test_facts.py checks the real read against evaluations' own records."""
    from civility.awards import facts

    levels: dict[tuple[int, int], str] = {}

    def fake(official_ids, year):
        ids = set(official_ids)
        return {oid: level for (oid, y), level in levels.items() if y == year and oid in ids}

    monkeypatch.setattr(facts, "classifications", fake)
    return levels


@pytest.fixture
def classify(levels):
    """Give an official a confirmed annual classification (see `levels`)."""

    def make(official, level: str, year: int = YEAR):
        levels[(official.pk, year)] = level

    return make


@pytest.fixture
def discipline(cast):
    """A confirmed violation record with a disciplinary measure (the conduct app's record)."""
    from civility.conduct import actions as conduct
    from civility.conduct.models import Handling, Source, ViolationType

    conduct.load_catalogue_seed(actor=None, unit=cast.city)
    late = ViolationType.objects.current().get(key="KTDX-1")

    def make(official, form: str = "warning", occurred_on=datetime.date(2025, 3, 10)):
        record = conduct.report_violation(
            actor=cast.admin,
            official=official,
            violation_type=late,
            occurred_on=occurred_on,
            source=Source.SURPRISE_CHECK,
            description="Vắng mặt tại bộ phận một cửa.",
        )
        conduct.start_verification(actor=cast.admin, record=record)
        return conduct.confirm_record(
            actor=cast.admin,
            record=record,
            handling=Handling.DISCIPLINARY,
            discipline_form=form,
            decision_number="12/QĐ-UBND",
            decision_date=occurred_on + datetime.timedelta(days=20),
            related_to_duties=True,
        )

    return make


@pytest.fixture
def open_record(cast):
    from civility.conduct import actions as conduct
    from civility.conduct.models import Source

    def make(official):
        return conduct.report_violation(
            actor=cast.admin,
            official=official,
            occurred_on=datetime.date(2025, 5, 2),
            source=Source.CITIZEN,
            description="Công dân phản ánh thái độ phục vụ.",
        )

    return make


@pytest.fixture
def earlier(cast):
    """Record an earlier decision giving `key` to officials (or units) for a year."""
    counter = iter(range(1, 1000))

    def make(key: str, year: int, officials=(), units=()):
        return actions.record_earlier_decision(
            actor=cast.admin,
            unit=cast.city,
            number=f"{next(counter)}/QĐ-UBND",
            decided_on=datetime.date(year + 1, 1, 20),
            issuer="Chủ tịch UBND",
            year=year,
            awards=[actions.PastAward(key, official=o) for o in officials]
            + [actions.PastAward(key, unit=u) for u in units],
        )

    return make


@pytest.fixture
def members(cast):
    """Nine more officials in ward a's department: ten members with the cast's official."""
    return [cast.a.official] + [
        make_official(f"Trần Thị {i}", unit=cast.a.department) for i in range(9)
    ]


@pytest.fixture
def recommended(cast, catalogue, classify, board_a):
    """Make a recommended nomination of an official for Advanced Worker 2025."""

    def make(official=None):
        official = official or cast.a.official
        classify(official, "good")
        nomination = actions.propose_nomination(
            actor=cast.a.head,
            title=title("advanced-worker"),
            year=YEAR,
            official=official,
            justification="Hoàn thành tốt nhiệm vụ.",
        )
        actions.cast_vote(actor=board_a, nomination=nomination, choice="for")
        nomination = actions.close_review(actor=board_a, nomination=nomination)
        assert nomination.status == NominationStatus.RECOMMENDED
        return nomination

    return make
