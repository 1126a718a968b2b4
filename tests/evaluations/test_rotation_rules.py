"""The rules of periodic rotation of posts: a period from a full 2 years to 5 years for staff
not in a leadership post (Law on Anti-Corruption 2018, Art. 24 cl. 1, Art. 25 cl. 2); no
rotation within 18 months of retirement, and deferrals during a disciplinary review, an
investigation, serious illness, pregnancy or a child under 36 months (Decree 59/2019, amended
by Decree 134/2021, Art. 36, 38, 39)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.urls import reverse

from civility.evaluations import actions
from civility.evaluations.figures import rotation_rows
from civility.evaluations.models import RotationException
from civility.orgs.models import Post
from tests.factories import make_official, make_post

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 6, 10)
PostForm = modelform_factory(
    Post, fields=["unit", "name", "is_sensitive", "rotation_period_months"]
)


@pytest.fixture
def counter(cast):
    return make_post("Cán bộ một cửa", unit=cast.city, is_sensitive=True, rotation_period_months=36)


def _holder(cast, counter, name="Nguyễn Thị Một Cửa", **fields):
    """In the post since 31/05/2022: due on 31/05/2025, overdue on TODAY."""
    return make_official(
        name, unit=cast.a.department, post=counter, post_start_date=D(2022, 5, 31), **fields
    )


def _lists(cast):
    due, excepted = rotation_rows(cast.a.ward, today=TODAY, within_months=3)
    return [row.official for row in due], {row.official: row for row in excepted}


# --- The period (Law on Anti-Corruption 2018, Art. 25 cl. 2) ----------------------------


@pytest.mark.parametrize(("months", "valid"), [(23, False), (24, True), (60, True), (61, False)])
def test_rotation_period_must_be_24_to_60_months_anti_corruption_law_art_25(cast, months, valid):
    form = PostForm(
        {
            "unit": cast.city.pk,
            "name": "Kế toán",
            "is_sensitive": "on",
            "rotation_period_months": months,
        }
    )
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["rotation_period_months"] == [
            "The rotation period is from a full 2 years to 5 years: 24 to 60 months "
            "(Law on Anti-Corruption 2018, Art. 25, cl. 2)."
        ]
        with pytest.raises(IntegrityError), transaction.atomic():
            make_post("Kế toán", unit=cast.city, is_sensitive=True, rotation_period_months=months)


# --- Leaders (Law on Anti-Corruption 2018, Art. 24 cl. 1, Art. 25 cl. 2) ----------------


def test_leaders_are_left_out_of_the_rotation_list_with_a_note_anti_corruption_law_art_24(
    client, cast, counter
):
    staff = _holder(cast, counter, retirement_date=D(2050, 1, 1))
    leader = _holder(cast, counter, name="Trần Văn Trưởng", is_leader=True)
    due, excepted = _lists(cast)
    assert due == [staff] and leader not in excepted

    client.force_login(cast.a.head)
    with time_machine.travel(datetime.datetime(2025, 6, 10, 3, tzinfo=datetime.UTC)):
        body = client.get(reverse("evaluations:rotation_list") + "?within=3").content.decode()
    assert "Trần Văn Trưởng" not in body
    assert "Leaders are not listed (1 in a post subject to periodic rotation here)" in body
    assert "Law on Anti-Corruption 2018, Art. 24 cl. 1, Art. 25 cl. 2" in body


# --- Retirement (Decree 59/2019) --------------------------------------------------------


def test_no_rotation_under_18_months_to_retirement_decree_59(cast, counter):
    retiring = _holder(cast, counter, retirement_date=D(2026, 12, 9))  # 17 months 29 days
    staying = _holder(cast, counter, name="Lê Văn Ở Lại", retirement_date=D(2026, 12, 10))
    due, excepted = _lists(cast)
    assert due == [staying]
    assert excepted[retiring].retirement == "exempt"


def test_without_a_retirement_date_the_exemption_is_to_be_assessed_decree_59(client, cast, counter):
    official = _holder(cast, counter)
    due, _excepted = _lists(cast)
    assert due == [official]

    client.force_login(cast.a.head)
    with time_machine.travel(datetime.datetime(2025, 6, 10, 3, tzinfo=datetime.UTC)):
        body = client.get(reverse("evaluations:rotation_list") + "?within=3").content.decode()
        api = client.get("/api/v1/evaluations/rotation/due?within=3").json()["items"]
    assert "Retirement date not recorded: the exemption for under 18 months to retirement" in body
    assert [row["retirement_exemption"] for row in api] == ["to_assess"]


# --- Deferrals (Decree 59/2019) ---------------------------------------------------------


def test_raising_a_child_under_36_months_defers_the_rotation_for_its_dates_decree_59(cast, counter):
    official = _holder(cast, counter, retirement_date=D(2050, 1, 1))
    deferral = actions.grant_rotation_exception(
        actor=cast.a.head,
        official=official,
        kind="child_under_36_months",
        reason="Con sinh ngày 01/03/2024 (giấy khai sinh số 12).",
        starts_on=D(2025, 6, 1),
        valid_until=D(2027, 3, 1),
    )
    assert deferral.is_deferral()
    due, excepted = _lists(cast)
    assert due == [] and excepted[official].exception == deferral
    due, _excepted = rotation_rows(cast.a.ward, today=D(2025, 5, 31), within_months=3)
    assert [row.official for row in due] == [official]


def test_a_deferral_ends_after_it_starts(cast, counter):
    official = _holder(cast, counter)
    with pytest.raises(ValidationError) as error:
        actions.grant_rotation_exception(
            actor=cast.a.head,
            official=official,
            kind="serious_illness",
            reason="Điều trị dài ngày.",
            starts_on=D(2025, 6, 1),
            valid_until=D(2025, 5, 1),
        )
    assert "valid_until" in error.value.message_dict
    assert not RotationException.objects.exists()


def test_no_rotation_is_planned_within_18_months_of_retirement_or_during_a_deferral_decree_59(
    cast, counter
):
    office = make_post("Văn thư", unit=cast.city)
    retiring = _holder(cast, counter, retirement_date=D(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        actions.plan_rotation(
            actor=cast.a.head, official=retiring, to_post=office, planned_on=D(2025, 7, 1)
        )
    assert "retires on 01/12/2026" in error.value.message_dict["planned_on"][0]
    assert "Decree 59/2019" in error.value.message_dict["planned_on"][0]

    reviewed = _holder(cast, counter, name="Đỗ Văn Xem Xét", retirement_date=D(2050, 1, 1))
    actions.grant_rotation_exception(
        actor=cast.a.head,
        official=reviewed,
        kind="disciplinary_review",
        reason="Thông báo xem xét kỷ luật số 5/TB.",
        starts_on=D(2025, 6, 1),
        valid_until=D(2025, 9, 30),
    )
    with pytest.raises(ValidationError, match="deferred"):
        actions.plan_rotation(
            actor=cast.a.head, official=reviewed, to_post=office, planned_on=D(2025, 7, 1)
        )
    plan = actions.plan_rotation(
        actor=cast.a.head, official=reviewed, to_post=office, planned_on=D(2025, 10, 1)
    )
    assert plan.planned_on == D(2025, 10, 1)


def test_the_page_records_a_deferral_with_its_ground_and_dates(client, cast, counter):
    official = _holder(cast, counter)
    client.force_login(cast.a.head)
    url = reverse("evaluations:rotation_exception", args=[official.pk])
    assert "Raising a child under 36 months" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "pregnancy",
            "reason": "Giấy xác nhận của bệnh viện ngày 02/06/2025.",
            "starts_on": "2025-06-02",
            "valid_until": "2026-01-31",
        },
    )
    assert response.status_code == 302
    deferral = RotationException.objects.get()
    assert (deferral.kind, deferral.starts_on, deferral.valid_until) == (
        "pregnancy",
        D(2025, 6, 2),
        D(2026, 1, 31),
    )
    with time_machine.travel(datetime.datetime(2025, 6, 10, 3, tzinfo=datetime.UTC)):
        body = client.get(reverse("evaluations:rotation_list") + "?within=3").content.decode()
    assert "Pregnant: Giấy xác nhận của bệnh viện ngày 02/06/2025. (from 02/06/2025 until" in body


def test_a_retirement_date_recorded_through_the_api_exempts_from_rotation_decree_59(
    client, cast, counter
):
    official = _holder(cast, counter)
    client.force_login(cast.a.head)
    response = client.patch(
        f"/api/v1/officials/{official.pk}",
        {"retirement_date": "2026-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["retirement_date"] == "2026-06-30"
    _due, excepted = _lists(cast)
    assert excepted[official].retirement == "exempt"
