"""Good models and their replication, the honour board's opt-in, movements and the catalogue."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from civility.awards import actions
from civility.awards.figures import model_counts
from civility.awards.models import AwardTitle, GoodModel, MovementRegistration, Replication
from tests.awards.conftest import YEAR, title
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def market_model(cast):
    return actions.register_good_model(
        actor=cast.a.head,
        unit=cast.a.ward,
        name="Chợ văn minh, an toàn",
        category="civilized_market",
        started_on=datetime.date(2023, 3, 1),
        description="Chợ Tây Hồ: niêm yết giá, không chèo kéo.",
    )


def test_head_registers_a_model_through_the_page(client, cast):
    client.force_login(cast.a.head)
    response = client.post(
        reverse("awards:model_create"),
        {
            "kind": "model",
            "category": "green_office",
            "unit": cast.a.department.pk,
            "name": "Công sở xanh",
            "started_on": "2024-05-01",
        },
    )
    model = GoodModel.objects.get()
    assert response.status_code == 302 and model.unit == cast.a.department


def test_other_units_replicate_and_the_page_shows_list_and_timeline(client, cast, market_model):
    group = make_unit("Tổ dân phố 5", parent=cast.b.ward, kind="residential_group")
    actions.replicate_model(
        actor=cast.b.head,
        model=market_model,
        unit=cast.b.ward,
        adopted_on=datetime.date(2024, 6, 1),
    )
    actions.replicate_model(
        actor=cast.b.head,
        model=market_model,
        unit=group,
        adopted_on=datetime.date(2025, 2, 1),
        status="in_progress",
    )
    client.force_login(cast.a.head)
    body = client.get(market_model.get_absolute_url()).content.decode()
    assert "Phường Long Biên" in body and "Tổ dân phố 5" in body
    assert "<strong>2024</strong>" in body and "<strong>2025</strong>" in body


def test_replication_counts_by_category_and_subtree(cast, market_model):
    relic = actions.register_good_model(
        actor=cast.city_coordinator,
        unit=cast.city,
        name="Di tích kiểu mẫu",
        category="relic_site",
        started_on=datetime.date(2022, 1, 1),
    )
    actions.replicate_model(
        actor=cast.b.head,
        model=market_model,
        unit=cast.b.ward,
        adopted_on=datetime.date(2024, 6, 1),
    )
    actions.replicate_model(
        actor=cast.a.head, model=relic, unit=cast.a.department, adopted_on=datetime.date(2024, 6, 1)
    )
    stopped = make_unit("Tổ dân phố 9", parent=cast.b.ward, kind="residential_group")
    actions.replicate_model(
        actor=cast.b.head,
        model=market_model,
        unit=stopped,
        adopted_on=datetime.date(2024, 7, 1),
        status="stopped",
    )
    city = {c.category: (c.models, c.replications, c.places) for c in model_counts(cast.city)}
    assert city == {"civilized_market": (1, 1, 2), "relic_site": (1, 1, 2)}
    ward_b = {c.category: c.places for c in model_counts(cast.b.ward)}
    assert ward_b == {"civilized_market": 1}


def test_head_cannot_record_replication_in_another_ward(cast, market_model):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.replicate_model(
            actor=cast.a.head,
            model=market_model,
            unit=cast.b.ward,
            adopted_on=datetime.date(2024, 6, 1),
        )
    assert not Replication.objects.exists()


def test_model_list_shows_counts(client, cast, market_model):
    client.force_login(cast.a.head)
    body = client.get(reverse("awards:model_list")).content.decode()
    assert "Chợ văn minh, an toàn" in body and "Civilized, safe market" in body


# --- Honour board ------------------------------------------------------------------------


@pytest.fixture
def decided(cast, recommended, board_a, classify, members):
    nomination = recommended()
    for member in members:
        classify(member, "good")
    collective = actions.propose_nomination(
        actor=cast.a.head,
        title=title("advanced-collective"),
        year=YEAR,
        unit=cast.a.department,
        justification="x",
    )
    actions.cast_vote(actor=board_a, nomination=collective, choice="for")
    actions.close_review(actor=board_a, nomination=collective)
    return actions.record_decision(
        actor=board_a,
        unit=cast.a.ward,
        number="30/QĐ-UBND",
        decided_on=datetime.date(2026, 1, 20),
        issuer="Chủ tịch",
        nominations=[nomination, collective],
    )


def test_honour_board_shows_collectives_but_individuals_only_when_they_opt_in(
    client, cast, decided
):
    body = client.get(reverse("awards_public:honour_board")).content.decode()
    assert cast.a.department.name in body
    assert "Nguyễn Văn A" not in body
    client.force_login(cast.a.official_user)
    client.post(reverse("awards:honour_consent"), {"consented": "on"})
    client.logout()
    body = client.get(reverse("awards_public:honour_board"), {"year": YEAR}).content.decode()
    assert "Nguyễn Văn A" in body
    client.force_login(cast.a.official_user)
    client.post(reverse("awards:honour_consent"), {})
    client.logout()
    assert "Nguyễn Văn A" not in client.get(reverse("awards_public:honour_board")).content.decode()


def test_only_the_person_decides_their_consent(cast, decided):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.set_honour_consent(actor=cast.a.head, official=cast.a.official, consented=True)


def test_my_awards_lists_the_award(client, cast, decided):
    client.force_login(cast.a.official_user)
    body = client.get(reverse("awards:my_awards")).content.decode()
    assert "30/QĐ-UBND" in body and "Advanced Worker" in body


# --- Movements and catalogue -----------------------------------------------------------


def test_ward_joins_the_city_movement_and_official_registers_themself(client, cast):
    movement = actions.create_movement(
        actor=cast.city_coordinator,
        unit=cast.city,
        name="Cán bộ, công chức thi đua thực hiện văn hóa công sở",
        starts_on=datetime.date(2025, 1, 1),
        criteria="Đúng giờ\nTrang phục",
    )
    client.force_login(cast.a.head)
    client.post(
        reverse("awards:movement_register", args=[movement.pk]),
        {"unit": cast.a.ward.pk, "pledge": "100% cán bộ đăng ký"},
    )
    client.force_login(cast.a.official_user)
    client.post(reverse("awards:movement_register", args=[movement.pk]), {"self": "1"})
    registrations = MovementRegistration.objects.filter(movement=movement)
    assert registrations.count() == 2
    assert registrations.filter(official=cast.a.official).exists()
    client.force_login(cast.b.head)
    body = client.get(movement.get_absolute_url()).content.decode()
    assert "100% cán bộ đăng ký" not in body  # ward a's registration is outside b's scope


def test_revising_a_used_title_starts_a_new_version(client, cast, recommended):
    recommended()
    used = title("advanced-worker")
    client.force_login(cast.city_coordinator)
    data = {
        name: getattr(used, name) or ""
        for name in (
            "name",
            "name_en",
            "legal_basis",
            "multiplier_source",
            "min_classification",
            "extra_conditions",
            "conditions_note",
        )
    }
    data.update(multiplier="0.4", valid_from="2026-07-01", block_under_review="on")
    response = client.post(reverse("awards:title_edit", args=[used.pk]), data)
    assert response.status_code == 302
    versions = AwardTitle.objects.filter(key="advanced-worker").order_by("version")
    assert [v.version for v in versions] == [0, 1, 2, 3]  # 0: the pre-2024 version
    used.refresh_from_db()
    assert used.valid_to == datetime.date(2026, 6, 30) and str(used.multiplier) == "0.30"
    assert str(versions.last().multiplier) == "0.40"


def test_ward_head_cannot_edit_the_city_catalogue(client, cast, catalogue):
    client.force_login(cast.a.head)
    response = client.post(
        reverse("awards:title_edit", args=[title("advanced-worker").pk]),
        {"name": "x", "valid_from": "2026-07-01"},
    )
    assert response.status_code == 403


def test_catalogue_page_shows_sources_and_rule_sets(client, cast, catalogue):
    client.force_login(cast.a.head)
    assert (
        "Grassroots Emulation Fighter" in client.get(reverse("awards:title_list")).content.decode()
    )
    body = client.get(title("grassroots-fighter").get_absolute_url()).content.decode()
    assert "UNCONFIRMED" in body and "Decree 152/2025" in body
