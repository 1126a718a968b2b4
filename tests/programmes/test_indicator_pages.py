"""Indicator pages and the API: reporting, allocation, performance, scope."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from civility.orgs.scopes import Role
from civility.programmes.actions import create_indicator, record_actual, set_target
from civility.programmes.models import Actual, Aggregation, Frequency, Target


@pytest.fixture
def revenue(cast):
    indicator = create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code="doanh-thu",
        name="Doanh thu di tích",
        measure="tỷ đồng",
        aggregation=Aggregation.SUM,
        frequency=Frequency.MONTH,
    )
    set_target(
        actor=cast.city_coordinator, indicator=indicator, unit=cast.city, year=2025, value=D(100)
    )
    return indicator


def test_the_indicator_page_shows_percent_of_plan_by_unit(client, cast, revenue):
    record_actual(
        actor=cast.admin, indicator=revenue, unit=cast.a.ward, year=2025, period=1, value=D(63)
    )
    record_actual(
        actor=cast.admin, indicator=revenue, unit=cast.a.ward, year=2024, period=1, value=D(21)
    )
    client.force_login(cast.city_coordinator)
    response = client.get(revenue.get_absolute_url(), {"year": 2025})
    page = response.content.decode()
    assert response.status_code == 200
    assert "63%" in page and "×3" in page and "Phường Tây Hồ" in page


def test_allocation_page_refuses_a_short_allocation(client, cast, revenue):
    client.force_login(cast.city_coordinator)
    url = reverse("programmes:target_allocate", args=[revenue.pk]) + "?year=2025"
    response = client.post(url, {f"child_{cast.a.ward.pk}": "30", f"child_{cast.b.ward.pk}": "20"})
    assert response.status_code == 400
    assert "does not add up" in response.content.decode()
    assert not Target.objects.filter(unit__parent=cast.city).exists()
    response = client.post(url, {f"child_{cast.a.ward.pk}": "60", f"child_{cast.b.ward.pk}": "40"})
    assert response.status_code == 302
    assert Target.objects.filter(unit__parent=cast.city).count() == 2


def test_a_ward_reports_its_actual_by_form_and_not_its_siblings(client, cast, revenue):
    client.force_login(cast.a.head)
    url = reverse("programmes:actual_create", args=[revenue.pk])
    response = client.post(url, {"unit": cast.a.ward.pk, "year": 2025, "period": 2, "value": "4.5"})
    assert response.status_code == 302
    response = client.post(url, {"unit": cast.b.ward.pk, "year": 2025, "period": 2, "value": "1"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert list(Actual.objects.values_list("unit", flat=True)) == [cast.a.ward.pk]


def test_the_sibling_ward_sees_none_of_the_others_figures(client, cast, revenue):
    record_actual(
        actor=cast.admin, indicator=revenue, unit=cast.a.ward, year=2025, period=1, value=D(9)
    )
    client.force_login(cast.b.head)
    page = client.get(revenue.get_absolute_url(), {"year": 2025}).content.decode()
    assert "Phường Tây Hồ" not in page
    response = client.get(revenue.get_absolute_url(), {"unit": cast.a.ward.pk})
    assert response.status_code == 404


def test_api_reports_an_actual_and_reads_the_performance(client, cast, revenue, make_token):
    _token, headers = make_token(cast.a.ward, role=Role.UNIT_HEAD)
    url = f"/api/v1/programmes/indicators/{revenue.pk}/actuals"
    body = {"unit_id": cast.a.ward.pk, "year": 2025, "period": 1, "value": "45.37"}
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    response = client.post(
        url, {**body, "value": "45.4"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200 and Actual.objects.get().source == "api"
    response = client.post(
        url, {**body, "unit_id": cast.b.ward.pk}, content_type="application/json", headers=headers
    )
    assert response.status_code == 404
    response = client.post(
        url, {**body, "period": 0}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422 and response.json()["field"] == "period"
    response = client.get(
        f"/api/v1/programmes/indicators/{revenue.pk}/performance",
        {"year": 2025},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["unit_id"] == cast.a.ward.pk and response.json()["actual"] == "45.4"


def test_api_programme_figures(client, cast, programme, make_token):
    import datetime

    from civility.programmes.actions import create_task

    create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="x",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2020, 1, 1),
    )
    _token, headers = make_token(cast.city, role=Role.VIEWER)
    response = client.get(f"/api/v1/programmes/{programme.pk}/figures", headers=headers)
    assert response.status_code == 200
    data = response.json()
    assert data["figures"]["total"] == 1 and data["figures"]["overdue"] == 1
    assert [t["status"] for t in data["delayed_or_prolonged"]] == ["overdue"]
    response = client.get(
        f"/api/v1/programmes/{programme.pk}/tasks", {"status": "overdue"}, headers=headers
    )
    assert response.json()["count"] == 1


def test_a_year_out_of_range_is_a_422_naming_it_not_a_server_error(client, cast, revenue):
    client.force_login(cast.admin)

    for path in (
        f"/api/v1/programmes/indicators/{revenue.pk}/performance",
        "/api/v1/programmes/titles/family/figures",
    ):
        response = client.get(path, {"year": 0, "unit": cast.a.ward.pk})
        assert response.status_code == 422, path
        assert response.json()["field"] == "year"
