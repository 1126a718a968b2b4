"""Son La's current units (since 1 July 2025) come from the same official source as Hanoi's:
the vietnam-provinces package, through `import_admin_units --province 14`."""

from django.core.management import call_command

from civility.orgs.admin_units import import_admin_units
from civility.orgs.models import OrgUnit, UnitKind


def test_son_la_imports_its_75_communes_wards_and_service_points(db):
    [report] = import_admin_units(provinces=["14"])

    province = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="14")
    assert (province.name, province.name_en) == ("Tỉnh Sơn La", "Son La Province")
    units = OrgUnit.objects.subtree_of(province)
    assert units.filter(kind=UnitKind.WARD).count() == 8
    assert units.filter(kind=UnitKind.COMMUNE).count() == 67
    ward = units.get(kind=UnitKind.WARD, code="03646")
    assert ward.name == "Phường Tô Hiệu" and ward.parent == province
    center = units.get(kind=UnitKind.SERVICE_CENTER)
    assert center.name == "Trung tâm Phục vụ hành chính công Tỉnh Sơn La"
    assert units.filter(kind=UnitKind.SERVICE_POINT, parent=center).count() == 75
    assert units.get(kind=UnitKind.SERVICE_POINT, serves=ward).province == province
    # Its former districts and towns (e.g. Son La city's Quyết Thắng ward) are not shipped.
    assert report.former_districts == 0
    assert not units.filter(kind=UnitKind.FORMER_DISTRICT).exists()


def test_son_la_imports_beside_hanoi_without_touching_it(db, capsys):
    import_admin_units(provinces=["01"])
    hanoi = OrgUnit.objects.subtree_of(OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01"))
    before = hanoi.count()

    call_command("import_admin_units", "--province", "14")
    call_command("import_admin_units", "--province", "14")

    assert hanoi.count() == before
    son_la = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="14")
    assert son_la.parent is None and not son_la.path.startswith(hanoi.first().path)
    printed = capsys.readouterr().out
    assert "Sơn La: communes 75 (75 new, 0 updated)" in printed
    assert "Sơn La: communes 75 (0 new, 0 updated)" in printed
