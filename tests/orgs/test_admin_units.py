import datetime

import pytest
from django.core.management import CommandError, call_command

from civility.orgs.admin_units import import_admin_units
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, UnitKind


def hanoi_units():
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    return city, OrgUnit.objects.subtree_of(city)


def test_hanoi_has_126_communes_51_wards_and_75_communes(db):
    import_admin_units(provinces=["01"])

    city, units = hanoi_units()
    assert city.name == "Thành phố Hà Nội"
    assert city.name_en == "Ha Noi City"
    communes = units.filter(kind__in=COMMUNE_LEVEL_KINDS)
    assert communes.count() == 126
    assert units.filter(kind=UnitKind.WARD).count() == 51
    assert units.filter(kind=UnitKind.COMMUNE).count() == 75
    tay_ho = communes.get(code="00103")
    assert (tay_ho.name, tay_ho.name_en, tay_ho.parent) == (
        "Phường Tây Hồ",
        "Tay Ho Ward",
        city,
    )
    assert tay_ho.path == f"{city.pk}/{tay_ho.pk}/"
    assert str(tay_ho.valid_from) == "2025-07-01"


def test_a_second_run_creates_nothing(db):
    import_admin_units(provinces=["01"])
    before = OrgUnit.objects.count()
    links = OrgUnit.successors.through.objects.count()

    [report] = import_admin_units(provinces=["1"])

    assert OrgUnit.objects.count() == before
    assert OrgUnit.successors.through.objects.count() == links
    assert report.commune_tally.created == report.commune_tally.updated == 0
    assert "Hà Nội: communes 126 (0 new, 0 updated)" in report.summary()


def test_a_rerun_restores_changed_names_but_keeps_hand_made_english_names(db):
    import_admin_units(provinces=["01"])
    OrgUnit.objects.filter(kind=UnitKind.WARD, code="00103").update(
        name="Phường Tây Hồ cũ", name_en="West Lake Ward"
    )

    [report] = import_admin_units(provinces=["01"])

    ward = OrgUnit.objects.get(kind=UnitKind.WARD, code="00103")
    assert (ward.name, ward.name_en) == ("Phường Tây Hồ", "West Lake Ward")
    assert report.commune_tally.updated == 1


def test_hanoi_keeps_30_former_districts_that_current_excludes(db):
    import_admin_units(provinces=["01"])

    city, units = hanoi_units()
    districts = units.filter(kind=UnitKind.FORMER_DISTRICT)
    assert districts.count() == 30
    assert set(districts.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}
    assert districts.get(code="269").name == "Thị xã Sơn Tây"
    assert not units.current().filter(kind=UnitKind.FORMER_DISTRICT).exists()
    assert units.current().filter(kind__in=COMMUNE_LEVEL_KINDS).count() == 126
    assert districts.valid_on(datetime.date(2025, 6, 30)).count() == 30


def test_former_districts_are_linked_to_the_commune_of_the_same_name(db):
    import_admin_units(provinces=["01"])

    tay_ho = OrgUnit.objects.get(kind=UnitKind.FORMER_DISTRICT, code="003")
    assert [unit.name for unit in tay_ho.successors.all()] == ["Phường Tây Hồ"]
    son_tay = OrgUnit.objects.get(kind=UnitKind.FORMER_DISTRICT, code="269")
    assert [unit.name for unit in son_tay.successors.all()] == ["Phường Sơn Tây"]
    # No new unit is called Nam Từ Liêm: the package has no territorial mapping.
    assert not OrgUnit.objects.get(kind=UnitKind.FORMER_DISTRICT, code="019").successors.exists()


def test_each_commune_has_a_service_point_under_the_service_center(db):
    import_admin_units(provinces=["01"])

    city, units = hanoi_units()
    center = units.get(kind=UnitKind.SERVICE_CENTER)
    assert center.name == "Trung tâm Phục vụ hành chính công Thành phố Hà Nội"
    assert center.parent == city
    points = OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT).select_related("serves")
    assert points.count() == 126
    assert set(points.values_list("parent", flat=True)) == {center.pk}
    assert {point.serves.code for point in points} == set(
        units.filter(kind__in=COMMUNE_LEVEL_KINDS).values_list("code", flat=True)
    )
    point = points.get(serves__name="Phường Tây Hồ")
    assert point.name == "Điểm Phục vụ hành chính công Phường Tây Hồ"


def test_service_points_can_be_left_out(db):
    import_admin_units(provinces=["04"], service_points=False)

    assert not OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT).exists()
    assert not OrgUnit.objects.filter(kind=UnitKind.FORMER_DISTRICT).exists()
    assert OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="04").name == "Tỉnh Cao Bằng"


def test_all_34_provinces_load_with_3321_communes(db):
    reports = import_admin_units()

    assert len(reports) == 34
    assert OrgUnit.objects.filter(kind=UnitKind.PROVINCE).count() == 34
    assert OrgUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS).count() == 3321
    assert OrgUnit.objects.filter(kind=UnitKind.SPECIAL_ZONE).count() == 13
    assert OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT).count() == 3321
    assert OrgUnit.objects.filter(path="").count() == 0


def test_the_command_prints_a_summary_per_province(db, capsys):
    call_command("import_admin_units", "--province", "01", "--province", "79")

    out = capsys.readouterr().out
    assert "Hà Nội: communes 126 (126 new, 0 updated)" in out
    assert "Hồ Chí Minh: " in out
    assert OrgUnit.objects.filter(kind=UnitKind.PROVINCE).count() == 2


def test_the_command_names_an_unknown_province_code(db):
    with pytest.raises(CommandError, match="03 is not one of the 34 province codes"):
        call_command("import_admin_units", "--province", "01", "--province", "03")
    assert not OrgUnit.objects.exists()
