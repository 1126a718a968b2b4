"""Dissemination activities and their summaries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.codes.actions import record_activity
from civility.codes.models import ActivityKind, DisseminationActivity, TargetGroup
from civility.orgs.models import PlaceKind
from tests.factories import jpeg_bytes, make_place, pdf_bytes

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC))


def test_head_records_an_activity_with_attachments(client, cast, codes):
    market = make_place("Chợ Quảng An", unit=cast.a.ward, kind=PlaceKind.MARKET)
    client.force_login(cast.a.head)
    response = client.post(
        "/codes/dissemination/new/",
        {
            "kind": ActivityKind.BOARDS,
            "unit": cast.a.ward.pk,
            "held_on": "2026-06-01",
            "code": codes.public_places.pk,
            "target_groups": [TargetGroup.TRADERS, TargetGroup.RESIDENTS],
            "place": market.pk,
            "reached": "120",
            "notes": "Treo bảng Quy tắc tại cổng chợ",
            "attachments": [
                SimpleUploadedFile("anh-1.jpg", jpeg_bytes(), "image/jpeg"),
                SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), "application/pdf"),
            ],
        },
    )
    activity = DisseminationActivity.objects.get()
    assert response.url == f"/codes/dissemination/{activity.pk}/"
    assert activity.place_kind == "market"  # taken from the place
    assert activity.target_groups == ["traders", "residents"]
    assert activity.attachments.count() == 2
    detail = client.get(response.url).content.decode()
    assert "anh-1" in detail and "Traders" in detail


def test_activity_form_names_missing_target_groups(client, cast):
    client.force_login(cast.a.head)
    response = client.post(
        "/codes/dissemination/new/",
        {
            "kind": ActivityKind.MEETING,
            "unit": cast.a.ward.pk,
            "held_on": "2026-06-01",
            "reached": "10",
        },
    )
    assert "target_groups" in response.context["form"].errors
    assert not DisseminationActivity.objects.exists()


def test_activity_in_another_ward_is_refused_and_hidden(client, cast):
    activity = record_activity(
        actor=cast.b.head,
        unit=cast.b.ward,
        kind=ActivityKind.MEETING,
        target_groups=[TargetGroup.OFFICIALS],
        held_on=TODAY,
        reached=5,
    )
    client.force_login(cast.a.head)
    assert client.get(f"/codes/dissemination/{activity.pk}/").status_code == 404
    response = client.post(
        "/codes/dissemination/new/",
        {
            "kind": ActivityKind.MEETING,
            "unit": cast.b.ward.pk,
            "held_on": "2026-06-01",
            "target_groups": [TargetGroup.OFFICIALS],
            "reached": "1",
        },
    )
    assert "unit" in response.context["form"].errors


def test_summary_by_target_group_kind_and_place_kind_over_a_period(client, cast, codes):
    def record(unit, kind, groups, day, reached, place_kind=""):
        record_activity(
            actor=cast.admin,
            unit=unit,
            kind=kind,
            target_groups=groups,
            held_on=day,
            reached=reached,
            place_kind=place_kind,
        )

    record(cast.a.department, ActivityKind.MEETING, ["officials"], datetime.date(2026, 5, 2), 40)
    record(
        cast.a.ward,
        ActivityKind.CONVOY,
        ["residents", "traders"],
        datetime.date(2026, 5, 20),
        300,
        "market",
    )
    record(
        cast.a.ward,
        ActivityKind.SCHOOL_LESSON,
        ["students"],
        datetime.date(2026, 1, 5),
        90,
        "school",
    )  # before the period
    record(cast.b.ward, ActivityKind.MEETING, ["officials"], datetime.date(2026, 5, 3), 70)

    client.force_login(cast.a.coordinator)
    response = client.get(
        f"/codes/dissemination/summary/?unit={cast.a.ward.pk}&start=2026-05-01&end=2026-05-31"
    )
    summary = response.context["summary"]
    assert (summary["total"], summary["reached"]) == (2, 340)
    groups = {row["value"]: (row["count"], row["reached"]) for row in summary["by_group"]}
    assert groups["officials"] == (1, 40)
    assert groups["residents"] == (1, 300) and groups["traders"] == (1, 300)
    assert groups["students"] == (0, 0)
    kinds = {row["value"]: row["count"] for row in summary["by_kind"]}
    assert kinds == {**dict.fromkeys(kinds, 0), "meeting": 1, "convoy": 1}
    places = {row["value"]: row["reached"] for row in summary["by_place_kind"]}
    assert places["market"] == 300 and places["school"] == 0


def test_places_likely_to_see_bad_behaviour_not_reached_recently(client, cast):
    reached = make_place("Chợ Quảng An", unit=cast.a.ward, kind=PlaceKind.MARKET)
    stale = make_place("Bến xe Tây Hồ", unit=cast.a.ward, kind=PlaceKind.BUS_STATION)
    make_place("Rạp chiếu phim Hồ Tây", unit=cast.a.ward, kind=PlaceKind.CULTURAL_VENUE)
    make_place("Cổng trường Chu Văn An", unit=cast.a.ward, kind=PlaceKind.SCHOOL_GATE)  # not risky
    make_place("Chợ Long Biên", unit=cast.b.ward, kind=PlaceKind.MARKET)  # other ward
    for place, day in ((reached, datetime.date(2026, 5, 1)), (stale, datetime.date(2025, 9, 1))):
        record_activity(
            actor=cast.admin,
            unit=cast.a.ward,
            kind=ActivityKind.BOARDS,
            target_groups=["traders"],
            held_on=day,
            place=place,
        )

    client.force_login(cast.a.coordinator)
    response = client.get(f"/codes/dissemination/summary/?unit={cast.a.ward.pk}&months=6")
    names = {place.name: place.last_reached for place in response.context["not_reached"]}
    assert names == {"Bến xe Tây Hồ": datetime.date(2025, 9, 1), "Rạp chiếu phim Hồ Tây": None}
    assert response.context["since"] == datetime.date(2025, 12, 15)
    assert "never reached" in response.content.decode()


def test_summary_of_a_unit_outside_scope_is_404(client, cast):
    client.force_login(cast.a.coordinator)
    assert client.get(f"/codes/dissemination/summary/?unit={cast.b.ward.pk}").status_code == 404
