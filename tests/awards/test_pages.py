"""Every page renders for the people who use it, with a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from civility.awards import actions
from civility.awards.models import GoodModel, Movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(cast, recommended, board_a):
    return actions.record_decision(
        actor=board_a,
        unit=cast.a.ward,
        number="7/QĐ",
        decided_on=datetime.date(2026, 1, 10),
        issuer="Chủ tịch",
        nominations=[recommended()],
    )


def test_pages_render_for_the_city_coordinator(client, cast, decision):
    actions.create_movement(
        actor=cast.city_coordinator,
        unit=cast.city,
        name="Phong trào",
        starts_on=datetime.date(2025, 1, 1),
    )
    model = actions.register_good_model(
        actor=cast.city_coordinator,
        unit=cast.city,
        name="Công sở xanh",
        category="green_office",
        started_on=datetime.date(2024, 1, 1),
    )
    client.force_login(cast.city_coordinator)
    title = decision.awards.get().title
    for url in [
        reverse("awards:movement_list"),
        reverse("awards:movement_create"),
        Movement.objects.get().get_absolute_url(),
        reverse("awards:title_list"),
        reverse("awards:title_create"),
        title.get_absolute_url(),
        reverse("awards:eligibility"),
        reverse("awards:nomination_list"),
        decision.awards.get().nomination.get_absolute_url(),
        reverse("awards:decision_list"),
        reverse("awards:decision_create"),
        decision.get_absolute_url(),
        reverse("awards:hold_list"),
        reverse("awards:model_list"),
        reverse("awards:model_create"),
        GoodModel.objects.get(pk=model.pk).get_absolute_url(),
        reverse("awards:my_awards"),
    ]:
        assert client.get(url).status_code == 200, url


def test_honour_board_is_public(client, decision):
    assert client.get(reverse("awards_public:honour_board")).status_code == 200


def test_eligibility_page_query_count_does_not_grow_with_officials(
    client, cast, catalogue, classify, members, django_assert_max_num_queries
):
    from tests.awards.conftest import YEAR, title

    for member in members:
        classify(member, "good")
    client.force_login(cast.a.head)
    params = {"title": title("grassroots-fighter").pk, "year": YEAR, "unit": cast.a.ward.pk}
    with django_assert_max_num_queries(40):
        response = client.get(reverse("awards:eligibility"), params)
    assert response.content.decode().count("badge verdict-") >= 10
