"""The one reader of other apps' records: confirmed classifications from evaluations,
disciplinary measures and open records from conduct."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civility.awards import facts

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels():
    """Override the package-wide fake: these tests read evaluations' real records."""
    return None


def _classification(official, level, *, confirmed=True, year=2025):
    from civility.evaluations.models import AnnualClassification

    return AnnualClassification.objects.create(
        official=official,
        year=year,
        unit=official.unit,
        agency=official.unit.agency,
        staff_category=official.staff_category,
        rule_set="decree-48-2023",
        proposed_level=level,
        final_level=level if confirmed else "",
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_confirmed_classifications_are_read_from_evaluations(cast):
    _classification(cast.a.official, "good")
    _classification(cast.b.official, "excellent", confirmed=False)
    found = facts.classifications([cast.a.official.pk, cast.b.official.pk], 2025)
    assert found == {cast.a.official.pk: "good"}


def test_disciplines_read_confirmed_conduct_records(cast, discipline):
    record = discipline(cast.a.official, form="warning")
    found = facts.disciplines(year=2025, official_ids=[cast.a.official.pk])
    assert [d.record_number for d in found[cast.a.official.pk]] == [record.number]
    assert facts.disciplines(year=2024, official_ids=[cast.a.official.pk]) == {}


def test_a_long_absence_alone_does_not_exclude_an_advanced_worker(cast):
    """Decree 91/2017 repealed the exclusion for 40 working days' absence: an official rated
    'well completed' after three months away is an Advanced Worker (Law 06/2022 Art. 24)."""
    from civility.awards import actions
    from civility.awards.eligibility import Assessor, Status, title_for
    from civility.awards.models import Verdict

    actions.load_award_catalogue(actor=None, unit=cast.city)
    classification = _classification(cast.a.official, "good")
    classification.months_worked, classification.months_absent = 9, 3
    classification.save()
    advanced = title_for(cast.a.official.unit, "advanced-worker", 2025)
    result = Assessor(year=2025, officials=[cast.a.official]).assess(
        advanced, official=cast.a.official
    )
    assert result.verdict == Verdict.ELIGIBLE
    assert not [line for line in result.lines if line.status == Status.NOT_MET]
    assert not [line for line in result.lines if "absen" in line.text.lower()]


def test_disciplines_count_in_the_year_of_the_decision_like_evaluations(cast, discipline):
    """One definition of "disciplined in year Y" (conduct's, by decision date): a violation of
    20/12/2024 decided on 09/01/2025 counts in 2025 for awards and evaluations alike."""
    from civility.evaluations.facts import discipline_in_year

    record = discipline(cast.a.official, occurred_on=datetime.date(2024, 12, 20))
    assert facts.disciplines(year=2024, official_ids=[cast.a.official.pk]) == {}
    found = facts.disciplines(year=2025, unit=cast.a.ward)
    assert [d.record_number for d in found[cast.a.official.pk]] == [record.number]
    assert [d["number"] for d in discipline_in_year(cast.a.official, 2025)] == [record.number]
    assert facts.disciplines(year=2025, unit=cast.b.ward) == {}
