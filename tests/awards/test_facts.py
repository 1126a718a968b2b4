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


def test_classification_source_missing_is_reported_as_none(cast, monkeypatch):
    monkeypatch.setattr(facts, "_classification_model", lambda: None)
    assert facts.classifications([cast.a.official.pk], 2025) is None
    assert facts.source_status()["classification"] is False


def test_disciplines_read_confirmed_conduct_records(cast, discipline):
    record = discipline(cast.a.official, form="warning")
    found = facts.disciplines(year=2025, official_ids=[cast.a.official.pk])
    assert [d.record_number for d in found[cast.a.official.pk]] == [record.number]
    assert facts.disciplines(year=2024, official_ids=[cast.a.official.pk]) == {}


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
