"""The people of a past record are the people in post on its date: the authors of a good
model started in 2022 and the people commended by a decision of 2022 include an official who
retired in 2024, and never one who had left before; the forms, the import and the API refuse
the latter, naming the field."""

from __future__ import annotations

import datetime
import io
from urllib.parse import parse_qs

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from civility.awards import history
from civility.awards.forms import GoodModelForm
from civility.awards.models import AwardDecision, GoodModel, Movement
from civility.core.models import JobStatus
from civility.orgs.models import Official, OrgUnit
from tests.factories import make_official

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0), tick=False):
        yield


@pytest.fixture
def staff(cast):
    """Three officials of ward A: one in post, one retired in 2024, one who left in 2021."""
    return {
        "working": make_official("Trần Thị Mai", unit=cast.a.ward, staff_code="A001"),
        "retired": make_official(
            "Lê Văn Hùng",
            unit=cast.a.ward,
            staff_code="A002",
            left_on=datetime.date(2024, 3, 31),
        ),
        "gone": make_official(
            "Phạm Thị Lan",
            unit=cast.a.ward,
            staff_code="A003",
            left_on=datetime.date(2021, 8, 15),
        ),
    }


def _offered(client, widget, q, **params) -> list[str]:
    url, _, query = widget.search_url().partition("?")
    response = client.get(url, {**parse_qs(query), "q": q, **params})
    assert response.status_code == 200
    return sorted(row["text"] for row in response.json()["results"])


# --- good models ---------------------------------------------------------------------------


def _model(client, cast, started_on, authors):
    client.force_login(cast.city_coordinator)
    return client.post(
        reverse("awards:model_create"),
        {
            "kind": "model",
            "category": "one_stop",
            "unit": cast.a.ward.pk,
            "name": "Một cửa thân thiện",
            "started_on": started_on,
            "authors": [a.pk for a in authors],
        },
    )


def test_the_authors_picker_offers_the_people_in_post_when_the_model_started(client, cast, staff):
    form = GoodModelForm(
        units=OrgUnit.objects.all(),
        movements=Movement.objects.none(),
        officials=Official.objects.active(),
    )
    widget = form.fields["authors"].widget
    assert 'data-as-of-field="started_on"' in widget.render("authors", None)
    client.force_login(cast.city_coordinator)

    in_2022 = _offered(client, widget, "", as_of="2022-04-01")
    today = _offered(client, widget, "")

    assert "Lê Văn Hùng" in in_2022 and "Phạm Thị Lan" not in in_2022
    assert "Trần Thị Mai" in in_2022
    assert "Lê Văn Hùng" not in today and "Trần Thị Mai" in today


def test_a_2022_model_takes_an_author_who_retired_since(client, cast, staff):
    response = _model(client, cast, "2022-04-01", [staff["retired"], staff["working"]])

    assert response.status_code == 302, response.context["form"].errors
    assert set(GoodModel.objects.get().authors.all()) == {staff["retired"], staff["working"]}


def test_a_2022_model_refuses_an_author_who_had_left_naming_the_field(client, cast, staff):
    response = _model(client, cast, "2022-04-01", [staff["gone"]])

    assert response.status_code == 200
    (message,) = response.context["form"].errors["authors"]
    assert message.startswith("Authors: Phạm Thị Lan had left on ")
    assert not GoodModel.objects.exists()


def test_a_model_started_today_refuses_an_author_who_retired(client, cast, staff):
    response = _model(client, cast, "2026-12-01", [staff["retired"]])

    assert response.status_code == 200
    (message,) = response.context["form"].errors["authors"]
    assert message.startswith("Authors: Lê Văn Hùng had left on ")


# --- earlier decisions ---------------------------------------------------------------------


def _decision(client, cast, decided_on, officials):
    client.force_login(cast.city_coordinator)
    return client.post(
        reverse("awards:past_decision_create"),
        {
            "unit": cast.city.pk,
            "number": "15/QĐ-UBND",
            "decided_on": decided_on,
            "issuer": "Chủ tịch UBND Thành phố",
            "individual_title": "advanced-worker",
            "officials": [o.pk for o in officials],
        },
    )


def test_the_decision_people_picker_offers_the_people_in_post_on_the_decision_date(
    client, cast, catalogue, staff
):
    client.force_login(cast.city_coordinator)
    response = client.get(reverse("awards:past_decision_create"))
    widget = response.context["form"].fields["officials"].widget
    assert response.content.decode().count('data-as-of-field="decided_on"') == 3

    assert "Lê Văn Hùng" in _offered(client, widget, "le van", as_of="2022-12-20")
    assert _offered(client, widget, "pham thi lan", as_of="2022-12-20") == []
    assert _offered(client, widget, "le van hung") == []


def test_a_2022_decision_commends_an_official_who_retired_since(client, cast, catalogue, staff):
    response = _decision(client, cast, "2022-12-20", [staff["retired"]])

    assert response.status_code == 302, response.context["form"].errors
    assert AwardDecision.objects.get().awards.get().official == staff["retired"]


def test_a_2022_decision_refuses_an_official_who_had_left_naming_the_field(
    client, cast, catalogue, staff
):
    response = _decision(client, cast, "2022-12-20", [staff["gone"], staff["retired"]])

    assert response.status_code == 200
    (message,) = response.context["form"].errors["officials"]
    assert message.startswith("People commended: Phạm Thị Lan had left on ")
    assert not AwardDecision.objects.exists()


def test_the_import_refuses_an_official_who_had_left_on_his_row(cast, catalogue, staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.title for column in history.COLUMNS])
    head = ["9/QĐ-UBND", datetime.date(2022, 12, 20), "01", "Chủ tịch UBND Thành phố", "", 2022]
    sheet.append([*head, "Lao động tiên tiến", "A002", "", ""])
    sheet.append([*head, "Lao động tiên tiến", "A003", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = history.request_import(
        actor=cast.city_coordinator,
        root=cast.city,
        upload=SimpleUploadedFile("qd.xlsx", buffer.getvalue()),
    )

    assert job.status == JobStatus.FAILED
    (error,) = job.result["errors"]
    assert error["row"] == 3 and "Phạm Thị Lan had left on 15/08/2021" in error["message"]
    assert not AwardDecision.objects.exists()


def test_the_api_refuses_an_official_who_had_left_naming_the_field(client, cast, catalogue, staff):
    client.force_login(cast.city_coordinator)
    response = client.post(
        "/api/v1/awards/earlier-decisions",
        {
            "unit_id": cast.city.pk,
            "number": "10/QĐ-UBND",
            "decided_on": "2022-12-20",
            "issuer": "Chủ tịch UBND Thành phố",
            "awards": [{"title_key": "advanced-worker", "official_id": staff["gone"].pk}],
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["field"] == "awards"
    assert not AwardDecision.objects.exists()
