"""What used to be Hanoi's text comes from the unit's province: the place and the authority in
the letterhead of an inspection record or a report (Decree 30/2020/NĐ-CP), and the province's
own directive cited on the follow-up list (Hanoi: Directive 24-CT/TU)."""

from __future__ import annotations

import datetime

from django.utils import translation

from civility.insights.periods import Period
from civility.insights.reports import report_figures
from civility.inspections.documents import header
from civility.inspections.models import Inspection
from civility.orgs.actions import set_policy
from civility.orgs.profile import AUTHORITY_NAME, REVIEW_DIRECTIVE
from tests.factories import make_unit

MARCH_12 = datetime.date(2026, 3, 12)


def _record_authorities(cast, sonla) -> None:
    for coordinator, province, name in (
        (cast.city_coordinator, cast.city, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"),
        (sonla.coordinator, sonla.province, "ỦY BAN NHÂN DÂN TỈNH SƠN LA"),
    ):
        set_policy(
            actor=coordinator,
            unit=province,
            key=AUTHORITY_NAME.key,
            value=name,
            valid_from=datetime.date(2025, 7, 1),
            source="Nghị định 30/2020/NĐ-CP, Phụ lục I",
        )


def test_an_inspection_record_of_son_la_is_headed_by_its_own_authority_and_place(cast, sonla):
    department = make_unit("Sở Văn hóa, Thể thao và Du lịch", parent=sonla.province)
    record = Inspection(inspecting_unit=department, planned_on=MARCH_12)

    before = header(record, "vi")
    _record_authorities(cast, sonla)
    after = header(record, "vi")

    assert before.superior == "TỈNH SƠN LA"
    assert after.superior == "ỦY BAN NHÂN DÂN TỈNH SƠN LA"
    assert after.issuer == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    assert after.place_and_date.startswith("Sơn La, ")
    assert header(record, "en").place_and_date == "Son La, 12 March 2026"
    # The authority is printed above bodies directly under the province only.
    division = make_unit("Phòng Quản lý văn hóa và Gia đình", parent=department)
    assert header(Inspection(inspecting_unit=division, planned_on=MARCH_12), "vi").superior == (
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    )


def test_a_report_of_a_son_la_ward_names_son_la_never_hanoi(cast, sonla):
    _record_authorities(cast, sonla)

    march = Period.containing("month", MARCH_12)
    with translation.override("vi"):
        report = report_figures(sonla.ward, march)
        hanoi = report_figures(cast.a.ward, march)

    assert (report.superior, report.place) == ("ỦY BAN NHÂN DÂN TỈNH SƠN LA", "Sơn La")
    assert (hanoi.superior, hanoi.place) == ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Hà Nội")


def test_the_follow_up_list_cites_the_directive_of_the_units_province_only(client, cast, sonla):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=REVIEW_DIRECTIVE.key,
        value="Chỉ thị 24-CT/TU",
        valid_from=datetime.date(2023, 8, 7),
        source="Chỉ thị 24-CT/TU ngày 07/08/2023 của Ban Thường vụ Thành ủy Hà Nội",
    )

    client.force_login(cast.city_coordinator)
    assert (
        "Chỉ thị 24-CT/TU asks to replace" in client.get("/evaluations/follow-up/").content.decode()
    )
    client.force_login(sonla.coordinator)
    page = client.get("/evaluations/follow-up/").content.decode()
    assert "Son La Province" in page and "24-CT/TU" not in page and "asks to replace" not in page
