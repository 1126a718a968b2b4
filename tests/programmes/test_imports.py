"""Imports of actuals and of recognition lists: row-level errors, and nothing written on error."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from civility.programmes.actions import create_indicator, load_title_rules
from civility.programmes.models import Actual, Aggregation, Frequency, Recognition
from tests.factories import make_unit
from tests.programmes.helpers import xlsx

HEADER = ["Mã chỉ tiêu", "Mã đơn vị", "Năm", "Kỳ", "Giá trị", "Ghi chú"]


@pytest.fixture
def revenue(cast):
    return create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code="doanh-thu",
        name="Doanh thu di tích",
        measure="tỷ đồng",
        aggregation=Aggregation.SUM,
        frequency=Frequency.MONTH,
    )


def upload(client, user, file, url=None, **data):
    client.force_login(user)
    return client.post(url or reverse("programmes:actuals_import"), {"file": file, **data})


def test_a_clean_file_is_imported(client, cast, revenue):
    file = xlsx(
        [
            HEADER,
            ["doanh-thu", "00091", 2025, 1, "12,5", "Tháng 1"],
            ["doanh-thu", "00145", 2025, 1, 3],
        ]
    )
    response = upload(client, cast.city_coordinator, file)
    assert response.status_code == 200, response.content.decode()
    assert "Import done" in response.content.decode()
    assert Actual.objects.get(unit=cast.a.ward).value == D("12.5")
    assert Actual.objects.count() == 2
    assert set(Actual.objects.values_list("source", flat=True)) == {"import"}


def test_one_bad_row_rejects_the_whole_file_with_row_numbers(client, cast, revenue):
    file = xlsx(
        [
            HEADER,
            ["doanh-thu", "00091", 2025, 1, 10],
            ["doanh-thu", "Không có", 2025, 2, 5],
            ["khong-co", "00091", 2025, 2, 5],
            ["doanh-thu", "00091", 2025, 13, 5],
            ["doanh-thu", "00091", 2025, 3, "nhiều"],
            ["doanh-thu", "00091", 2025, 1, 11],
        ]
    )
    response = upload(client, cast.city_coordinator, file)
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was imported" in page
    for row, text in [
        (3, "no unit with code or name"),
        (4, "no indicator with code"),
        (5, "the period must be 1-12"),
        (6, "is not a number"),
        (7, "already on row 2"),
    ]:
        assert f"<td>{row}</td>" in page and text in page
    assert Actual.objects.count() == 0


def test_a_dry_run_writes_nothing(client, cast, revenue):
    file = xlsx([HEADER, ["doanh-thu", "00091", 2025, 1, 10]])
    response = upload(client, cast.city_coordinator, file, dry_run="on")
    assert "Check passed" in response.content.decode()
    assert not Actual.objects.exists()


def test_a_ward_cannot_import_into_its_sibling(client, cast, revenue):
    client.force_login(cast.a.coordinator)
    session = client.session
    session["unit_id"] = cast.a.ward.pk
    session.save()
    file = xlsx([HEADER, ["doanh-thu", "00145", 2025, 1, 10]])
    response = client.post(reverse("programmes:actuals_import"), {"file": file})
    assert response.status_code == 400
    assert "no unit with code" in response.content.decode()
    assert not Actual.objects.exists()


def test_an_unreadable_file_is_refused_with_a_message(client, cast, revenue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("data.xlsx", b"not a workbook")
    response = upload(client, cast.city_coordinator, file)
    assert response.status_code == 400
    assert "not an .xlsx workbook" in response.content.decode()


RECOGNITION_HEADER = ["Mã đơn vị", "Mã hộ", "Chủ hộ", "Địa chỉ", "Số quyết định", "Ngày quyết định"]


@pytest.fixture
def groups(cast):
    load_title_rules(actor=None, unit=cast.city)
    return [
        make_unit(f"Tổ dân phố {n}", parent=cast.a.ward, kind="residential_group", code=f"TDP-{n}")
        for n in (1, 2)
    ]


def test_a_family_list_is_imported_and_a_bad_one_changes_nothing(client, cast, groups):
    url = reverse("programmes:recognitions_import")
    good = xlsx(
        [
            RECOGNITION_HEADER,
            ["TDP-1", "H001", "Nguyễn Văn An", "Số 1", "12/QĐ-UBND", "10/12/2025"],
            ["TDP-2", "H002", "Trần Thị Bình", "Số 2", "12/QĐ-UBND", "10/12/2025"],
        ]
    )
    response = upload(client, cast.city_coordinator, good, url, title="family", year=2025)
    assert response.status_code == 200, response.content.decode()
    assert Recognition.objects.count() == 2
    bad = xlsx(
        [
            RECOGNITION_HEADER,
            ["TDP-1", "H003", "Lê Văn Cường", "", "", "10/12/2025"],
            ["TDP-1", "", "Không mã", "", "", ""],
            ["TDP-2", "H004", "", "", "", "31/02/2025"],
        ]
    )
    response = upload(client, cast.city_coordinator, bad, url, title="family", year=2025)
    assert response.status_code == 400
    page = response.content.decode()
    assert "is required for a cultural family" in page and "is not a date" in page
    assert set(Recognition.objects.values_list("household_code", flat=True)) == {"H001", "H002"}


def test_a_residential_group_list_names_residential_groups(client, cast, groups):
    url = reverse("programmes:recognitions_import")
    file = xlsx([RECOGNITION_HEADER, ["TDP-1"], ["00091"]])
    response = upload(
        client, cast.city_coordinator, file, url, title="residential_group", year=2025
    )
    assert response.status_code == 400
    assert "this title is for another kind of unit" in response.content.decode()
    assert not Recognition.objects.exists()
