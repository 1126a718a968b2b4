"""Catalogue rows Civility ships for one province stay that province's: Hanoi's award titles
under its Decision 09/2020/QĐ-UBND, its violation catalogue (Decision 522/QĐ-UBND and Directive
24-CT/TU) and its checklists (which cite its codes) are neither offered to nor loadable for
Son La; national titles are shipped to every province, in its own words."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civility.awards import actions as awards
from civility.awards.models import AwardTitle
from civility.conduct import actions as conduct
from civility.conduct.models import ViolationType
from civility.inspections import actions as inspections
from civility.inspections.models import ChecklistTemplate

HANOI_OWN_TITLES = {"good-person-good-deed", "capital-initiative"}


@pytest.fixture
def catalogues(cast, sonla):
    awards.load_award_catalogue(actor=None, unit=cast.city)
    awards.load_award_catalogue(actor=None, unit=sonla.province)


def _current(unit) -> dict[str, AwardTitle]:
    return {title.key: title for title in AwardTitle.objects.filter(unit=unit).current()}


def test_son_la_gets_the_national_titles_in_its_words_and_none_of_hanois_own(
    cast, sonla, catalogues
):
    hanoi, son_la = _current(cast.city), _current(sonla.province)

    assert set(hanoi) >= HANOI_OWN_TITLES
    assert not HANOI_OWN_TITLES & set(son_la)
    assert set(son_la) == set(hanoi) - HANOI_OWN_TITLES
    # Law 06/2022 names the provincial level "tỉnh"; Hanoi, a centrally-run city, says
    # "thành phố".
    assert son_la["city-fighter"].name == "Chiến sĩ thi đua cấp tỉnh"
    assert son_la["city-merit"].name == "Bằng khen của Chủ tịch UBND tỉnh"
    assert son_la["city-flag"].extra_conditions == "Tập thể dẫn đầu cụm, khối thi đua của tỉnh"
    assert hanoi["city-fighter"].name == "Chiến sĩ thi đua thành phố"
    assert hanoi["city-merit"].name == "Bằng khen của Chủ tịch UBND Thành phố"
    assert all("Thành phố" not in title.name for title in son_la.values())
    assert all("Hà Nội" not in title.legal_basis for title in son_la.values())


@pytest.mark.parametrize("side", ["son_la", "hanoi"])
def test_the_titles_offered_are_those_of_the_users_province(client, cast, sonla, catalogues, side):
    own, other = (sonla.province, cast.city) if side == "son_la" else (cast.city, sonla.province)
    coordinator = sonla.coordinator if side == "son_la" else cast.city_coordinator
    client.force_login(coordinator)

    listed = client.get("/api/v1/awards/titles").json()["items"]
    assert {title["id"] for title in listed} == {t.pk for t in _current(own).values()}
    page = html.unescape(client.get(f"/awards/eligibility/?unit={own.pk}").content.decode())
    own_names = {title.name_en for title in _current(own).values()}
    assert own_names and all(name in page for name in own_names)
    # Hanoi's own titles, and the other province's words ("City" / "Provincial").
    assert all(
        title.name_en not in page
        for title in _current(other).values()
        if title.name_en not in own_names
    )
    other_title = AwardTitle.objects.filter(unit=other).first()
    assert client.get(f"/awards/titles/{other_title.pk}/").status_code == 404


def test_a_hanoi_title_is_neither_assessed_nor_proposed_for_a_son_la_official(
    client, cast, sonla, catalogues
):
    hanoi_title = AwardTitle.objects.get(unit=cast.city, key="good-person-good-deed", version=2)
    year = timezone.localdate().year - 1

    with pytest.raises(ValidationError) as error:
        awards.propose_nomination(
            actor=cast.admin,
            title=hanoi_title,
            year=year,
            official=sonla.official,
            justification="Hoàn thành tốt nhiệm vụ.",
        )
    assert "not in the catalogue for the unit" in str(error.value)
    client.force_login(cast.admin)  # sees both provinces, so only the rule stops it
    response = client.get(
        f"/api/v1/awards/eligibility?title_id={hanoi_title.pk}&year={year}&unit_id={sonla.ward.pk}"
    )
    assert response.status_code == 422 and response.json()["field"] == "title_id"
    page = client.get(
        f"/awards/eligibility/?title={hanoi_title.pk}&year={year}&unit={sonla.ward.pk}"
    ).content.decode()
    assert "This title is not in the catalogue for the unit." in page
    assert sonla.official.full_name not in page


def test_hanois_violation_catalogue_is_not_offered_or_loadable_in_son_la(client, cast, sonla):
    conduct.load_catalogue_seed(actor=None, unit=cast.city)

    with pytest.raises(ValidationError):
        conduct.load_catalogue_seed(actor=None, unit=sonla.province)
    with pytest.raises(ValidationError):
        conduct.load_catalogue_seed(actor=None, unit=sonla.province, slug="hanoi-catalogue")
    client.force_login(sonla.coordinator)
    page = client.get("/conduct/catalogue/").content.decode()
    assert "Load the starting catalogue" not in page
    assert not ViolationType.objects.for_unit(sonla.ward).exists()
    assert client.get("/api/v1/conduct/types").json()["items"] == []
    client.post("/conduct/catalogue/seed/", {"unit": sonla.province.pk})
    assert not ViolationType.objects.filter(group__unit=sonla.province).exists()


def test_hanois_checklists_are_not_offered_or_loadable_in_son_la(client, cast, sonla):
    with pytest.raises(ValidationError):
        inspections.load_template_seed(actor=None, unit=sonla.province, slug="office-culture")
    client.force_login(sonla.coordinator)
    assert "shipped checklists" not in client.get("/inspections/checklists/").content.decode()
    client.post("/inspections/checklists/seed/", {"unit": sonla.province.pk})
    assert not ChecklistTemplate.objects.exists()

    inspections.load_template_seed(actor=None, unit=cast.city, slug="office-culture")
    page = client.get("/inspections/checklists/").content.decode()
    assert "Office culture" not in page and "Kiểm tra văn hóa công sở" not in page
