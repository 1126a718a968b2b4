"""Former wards and communes with the shares that went where: the import (a core job, all or
nothing, dry run), the units of a record's date in pickers, and past figures carried forward
into today's units, labelled "estimate" where a share is an equal split."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine

from civility.core.models import AuditEvent, JobStatus
from civility.orgs.actions import request_former_units_import
from civility.orgs.history import destinations, map_forward
from civility.orgs.models import OrgUnit, ShareBasis, Succession, UnitKind
from civility.orgs.pickers import narrowing_token
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "data" / "former_wards.json"
END = datetime.date(2025, 6, 30)
# "Today" for what depends on it (the units of today, where a former unit's figures go).
FROZEN = time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC))


def _import(cast, path=FIXTURE, **options):
    return request_former_units_import(
        actor=cast.city_coordinator, province=cast.city, path=path, inline=True, **options
    )


def _unit(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


def _shares(unit: OrgUnit) -> dict[str, tuple[Decimal, str]]:
    return {
        link.successor.name: (link.share, link.basis)
        for link in Succession.objects.filter(predecessor=unit).select_related("successor")
    }


@pytest.fixture
def imported(cast):
    job = _import(cast)
    assert job.status == JobStatus.DONE, job.error
    return job


def test_the_import_creates_former_wards_under_former_districts_with_their_shares(cast, imported):
    assert imported.result["units_created"] == 3
    assert imported.result["districts_created"] == 2
    nhat_tan = _unit("Phường Nhật Tân")
    assert nhat_tan.kind == UnitKind.WARD
    assert nhat_tan.name_en == "Nhat Tan Ward"
    assert nhat_tan.valid_to == END
    assert nhat_tan.parent.name == "Quận Tây Hồ"
    assert nhat_tan.parent.kind == UnitKind.FORMER_DISTRICT
    assert nhat_tan.parent.valid_to == END
    assert _shares(nhat_tan) == {
        "Phường Tây Hồ": (Decimal("0.75"), ShareBasis.AREA),
        "Phường Long Biên": (Decimal("0.25"), ShareBasis.AREA),
    }
    # No share given: an equal split, labelled estimate; a successor found by its name too.
    assert _shares(_unit("Phường Ngọc Thụy")) == {
        "Phường Tây Hồ": (Decimal("0.5"), ShareBasis.ESTIMATE),
        "Phường Long Biên": (Decimal("0.5"), ShareBasis.ESTIMATE),
    }
    link = Succession.objects.filter(predecessor=nhat_tan).first()
    assert link.source == "test fixture 1 (three wards of 2024)"


def test_a_former_district_gets_its_shares_from_its_wards_as_an_estimate(cast, imported):
    # Quảng An went wholly into Tây Hồ, Nhật Tân three quarters: each ward weighs the same.
    assert _shares(_unit("Quận Tây Hồ")) == {
        "Phường Tây Hồ": (Decimal("0.875"), ShareBasis.ESTIMATE),
        "Phường Long Biên": (Decimal("0.125"), ShareBasis.ESTIMATE),
    }


def test_every_unit_and_share_written_is_audited(cast, imported):
    events = AuditEvent.objects.filter(actor=cast.city_coordinator)
    assert events.filter(content_type__model="succession").count() == 5 + 4  # wards, districts
    assert events.filter(content_type__model="orgunit").count() == 5


def test_importing_the_same_data_again_changes_nothing(cast, imported):
    again = _import(cast)
    assert again.status == JobStatus.DONE
    assert again.result["units_created"] == again.result["districts_created"] == 0
    assert again.result["units_updated"] == 0
    assert OrgUnit.objects.filter(valid_to=END).count() == 5


@FROZEN
def test_former_wards_and_districts_do_not_count_as_current(cast, imported):
    today = set(OrgUnit.objects.current().values_list("name", flat=True))
    assert "Phường Nhật Tân" not in today and "Quận Tây Hồ" not in today
    assert "Phường Tây Hồ" in today
    on_the_last_day = set(OrgUnit.objects.valid_on(END).values_list("name", flat=True))
    assert {"Phường Nhật Tân", "Quận Tây Hồ"} <= on_the_last_day
    after = set(
        OrgUnit.objects.valid_on(END + datetime.timedelta(days=1)).values_list("name", flat=True)
    )
    assert "Phường Nhật Tân" not in after
    assert "Phường Nhật Tân" in set(OrgUnit.objects.former().values_list("name", flat=True))


def test_a_dry_run_counts_and_writes_nothing(cast):
    job = _import(cast, dry_run=True)
    assert job.status == JobStatus.DONE
    assert job.result["dry_run"] is True
    assert job.result["units_created"] == 3 and job.result["links"] == 5
    assert not OrgUnit.objects.filter(valid_to=END).exists()
    assert not Succession.objects.exists()


def test_bad_rows_are_named_by_number_and_nothing_is_written(cast, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["units"] += [
        {"district": "Quận Tây Hồ", "name": "Phường Bưởi", "successors": [{"code": "99999"}]},
        {
            "district": "Quận Tây Hồ",
            "name": "Phường Thụy Khuê",
            "successors": [
                {"code": "00091", "share": "0.6", "basis": "population"},
                {"code": "00145", "share": "0.3", "basis": "population"},
            ],
        },
        {
            "district": "Quận Tây Hồ",
            "name": "Phường Yên Phụ",
            "successors": [{"code": "00091", "share": "1"}],
        },
        {"district": "", "name": "Phường Xuân La", "successors": []},
        {"district": "Quận Tây Hồ", "name": "Phường Quảng An", "successors": [{"code": "00091"}]},
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    job = _import(cast, path=path)

    assert job.status == JobStatus.FAILED
    errors = job.result["errors"]
    assert any(e.startswith("Row 4:") and "99999" in e for e in errors), errors
    assert any(e.startswith("Row 5:") and "0.9" in e for e in errors), errors
    assert any(e.startswith("Row 6:") and "area or population" in e for e in errors), errors
    assert any(e.startswith("Row 7:") for e in errors), errors
    assert any(e.startswith("Row 8:") and "row 1" in e for e in errors), errors
    assert not OrgUnit.objects.filter(valid_to=END).exists()
    assert not Succession.objects.exists()


def test_a_data_file_of_another_province_is_refused(cast, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["province"] = "14"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    job = _import(cast, path=path)
    assert job.status == JobStatus.FAILED
    assert "14" in job.result["errors"][0]


def test_a_ward_head_may_not_import_the_province(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        request_former_units_import(actor=cast.a.head, province=cast.city, path=FIXTURE)


# --- figures carried forward -------------------------------------------------------------


@FROZEN
def test_past_figures_map_forward_with_estimates_labelled(cast, imported):
    tay_ho, long_bien = cast.a.ward, cast.b.ward
    # Area shares only: not an estimate.
    measured = map_forward({_unit("Phường Nhật Tân").pk: 20})
    assert measured[tay_ho.pk].value == 15 and not measured[tay_ho.pk].estimate
    assert measured[long_bien.pk].value == 5 and not measured[long_bien.pk].estimate
    # An equal split on the way makes the sum an estimate.
    mixed = map_forward(
        {
            _unit("Phường Quảng An").pk: 10,
            _unit("Phường Nhật Tân").pk: 20,
            _unit("Phường Ngọc Thụy").pk: 8,
            long_bien.pk: 1,  # a unit of today keeps its own figure
        }
    )
    assert mixed[tay_ho.pk].value == 10 + 15 + 4 and mixed[tay_ho.pk].estimate
    assert mixed[long_bien.pk].value == 5 + 4 + 1 and mixed[long_bien.pk].estimate
    district = map_forward({_unit("Quận Tây Hồ").pk: 8})
    assert district[tay_ho.pk].value == 7 and district[tay_ho.pk].estimate


@FROZEN
def test_a_chain_of_successions_multiplies_the_shares(cast, imported):
    # A ward of 2019 that went whole into Nhật Tân, which was split by area in 2025.
    older = make_unit(
        "Phường Cũ", parent=cast.city, kind=UnitKind.WARD, valid_to=datetime.date(2019, 12, 31)
    )
    Succession.objects.create(
        predecessor=older, successor=_unit("Phường Nhật Tân"), share=1, basis=ShareBasis.AREA
    )
    (found,) = destinations([older]).values()
    assert [(d.unit, d.share, d.estimate) for d in found] == [
        (cast.b.ward, Decimal("0.25"), False),
        (cast.a.ward, Decimal("0.75"), False),
    ]
    # Seen from 2024, the ward of 2019 went into Nhật Tân, which still existed.
    (then,) = destinations([older], on=datetime.date(2024, 1, 1)).values()
    assert [d.unit.name for d in then] == ["Phường Nhật Tân"]


@FROZEN
def test_the_page_of_a_former_ward_says_where_it_went_with_shares(client, cast, imported):
    client.force_login(cast.city_coordinator)
    page = client.get(_unit("Phường Ngọc Thụy").get_absolute_url()).content.decode()
    assert "Phường Tây Hồ" in page and "Phường Long Biên" in page
    assert "50%" in page  # (the test client reads English)
    assert "test fixture 1" in page  # the source
    successor = client.get(cast.a.ward.get_absolute_url()).content.decode()
    assert "Nhat Tan Ward" in successor and "75%" in successor


def test_the_shares_of_one_pair_are_unique_and_a_fraction(cast, imported):
    from django.db import IntegrityError, transaction

    nhat_tan = _unit("Phường Nhật Tân")
    for share, successor in ((Decimal("0.1"), cast.a.ward), (Decimal("1.5"), cast.city)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Succession.objects.create(
                predecessor=nhat_tan, successor=successor, share=share, basis=ShareBasis.AREA
            )


# --- pickers ------------------------------------------------------------------------------

UNITS = "/pickers/units/"


def _found(client, q, *, token=None, **params):
    if token is not None:
        params["n"] = narrowing_token(token)
    response = client.get(UNITS, {"q": q, **params})
    assert response.status_code == 200
    return [OrgUnit.objects.get(pk=row["value"]).name for row in response.json()["results"]]


@FROZEN
def test_pickers_offer_former_units_only_for_a_date_before_their_end(client, cast, imported):
    client.force_login(cast.city_coordinator)
    assert _found(client, "nhat tan") == []
    assert _found(client, "nhat tan", token={"as_of": "2024-05-01"}) == ["Phường Nhật Tân"]
    assert _found(client, "nhat tan", token={"as_of": "2026-03-01"}) == []
    # A picker whose form has a date field: the typed date decides, and only then.
    dated = {"dated": True}
    assert _found(client, "nhat tan", token=dated, as_of="2025-06-30") == ["Phường Nhật Tân"]
    assert _found(client, "nhat tan", token=dated, as_of="2025-07-01") == []
    assert _found(client, "nhat tan", token=dated, as_of="30/06/20") == []
    assert _found(client, "nhat tan", as_of="2024-05-01") == []


def test_a_dated_picker_tells_the_page_which_field_holds_the_date(cast):
    from civility.orgs.pickers import UnitPicker

    widget = UnitPicker()
    widget.narrow(dated_by="decided_on")
    html = widget.render("unit", None)
    assert 'data-as-of-field="decided_on"' in html
    widget = UnitPicker()
    widget.narrow(as_of=datetime.date(2024, 5, 1))
    assert "data-search-url" in widget.render("unit", None)


def test_a_unit_imported_under_a_former_district_ends_with_it(cast, imported, tmp_path):
    from civility.orgs.actions import import_structure
    from civility.orgs.imports import read_table
    from tests.orgs.test_imports import STRUCTURE_HEADER, write_xlsx

    district = _unit("Quận Tây Hồ")
    path = write_xlsx(
        tmp_path, [STRUCTURE_HEADER, ["PVH", "Phòng Văn hóa", "", "department", "", ""]]
    )
    with path.open("rb") as file:
        result = import_structure(
            actor=cast.city_coordinator, root=district, table=read_table(file, path.name)
        )
    assert not result.errors
    assert _unit("Phòng Văn hóa").valid_to == END


# --- the page -----------------------------------------------------------------------------


def test_a_coordinator_imports_the_shipped_data_from_the_province_page(client, cast):
    from django.urls import reverse

    from civility.core import jobs
    from civility.core.models import Job

    client.force_login(cast.city_coordinator)
    url = reverse("imports:former_units_import", args=[cast.city.pk])
    assert url in client.get(cast.city.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "vietnam-address-converter 1.0.5" in page.content.decode()

    response = client.post(url, {"dry_run": "on"})

    job = Job.objects.get(kind="orgs.import_former_units")
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.params["dry_run"] is True
    # The test city has two of Hanoi's 126 wards: the job names the rows it cannot place.
    jobs.run(job.pk)
    detail = client.get(job.get_absolute_url()).content.decode()
    assert "Row 1:" in detail
    assert not OrgUnit.objects.filter(valid_to=END).exists()


def test_only_managers_of_the_province_open_the_import(client, cast):
    from django.urls import reverse

    client.force_login(cast.a.head)
    url = reverse("imports:former_units_import", args=[cast.city.pk])
    assert client.get(url).status_code in (403, 404)
    client.force_login(cast.city_coordinator)
    ward_url = reverse("imports:former_units_import", args=[cast.a.ward.pk])
    assert client.get(ward_url).status_code == 404


# --- the shipped data ---------------------------------------------------------------------


@pytest.mark.parametrize(("code", "former", "today"), [("01", 526, 126), ("14", 200, 74)])
def test_the_shipped_data_maps_every_former_unit_to_units_of_today(code, former, today):
    from vietnam_provinces import ProvinceCode, Ward

    from civility.orgs.former_units import data_file, read_data

    data = read_data(data_file(code))
    codes = {f"{int(w.code):05d}" for w in Ward.iter_by_province(ProvinceCode(int(code)))}
    assert data["source"]["name"] == "vietnam-address-converter"
    assert data["source"]["version"] == "1.0.5"
    assert len(data["units"]) == former
    targets = {s["code"] for unit in data["units"] for s in unit["successors"]}
    assert targets <= codes
    assert len(targets) == today


def test_son_la_imports_from_its_shipped_data(db):
    from django.core.management import call_command

    call_command("import_admin_units", province=["14"], service_points=False)
    call_command("import_former_units", province="14")

    province = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="14")
    former = OrgUnit.objects.subtree_of(province).filter(valid_to=END)
    assert former.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]).count() == 200
    assert former.filter(kind=UnitKind.FORMER_DISTRICT).count() == 12
    assert not OrgUnit.objects.current().filter(pk__in=former).exists()
    # Every former unit, ward or district, is shared out whole.
    for unit in former:
        total = sum(link.share for link in Succession.objects.filter(predecessor=unit))
        assert total == 1, unit


@FROZEN
def test_an_actual_of_2024_may_name_a_former_ward_and_not_one_of_2026(client, cast, imported):
    from django.urls import reverse

    from civility.programmes.actions import create_indicator
    from civility.programmes.models import Actual, Aggregation, Frequency

    indicator = create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code="le-hoi",
        name="Lễ hội văn minh",
        measure="lễ hội",
        aggregation=Aggregation.SUM,
        frequency=Frequency.YEAR,
    )
    client.force_login(cast.city_coordinator)
    url = reverse("programmes:actual_create", args=[indicator.pk])
    page = client.get(url).content.decode()
    assert 'data-as-of-field="year"' in page
    nhat_tan = _unit("Phường Nhật Tân")
    later = client.post(url, {"unit": nhat_tan.pk, "year": 2026, "period": 0, "value": "1"})
    assert later.status_code == 200 and "unit" in later.context["form"].errors
    response = client.post(url, {"unit": nhat_tan.pk, "year": 2024, "period": 0, "value": "3"})
    assert response.status_code == 302
    assert Actual.objects.get().unit == nhat_tan
    # The picker of that form offers the former ward for 2024, and for 2025 (January to
    # June), not for 2026.
    for year, found in (("2024", True), ("2025", True), ("2026", False)):
        names = _found(client, "nhat tan", token={"dated": True}, as_of=year)
        assert (names == ["Phường Nhật Tân"]) is found, year


def test_the_admin_refuses_shares_that_do_not_add_up_to_one(cast):
    from django.forms.models import inlineformset_factory

    from civility.orgs.admin import SuccessionFormSet

    former = make_unit("Phường Cũ", parent=cast.city, kind=UnitKind.WARD, valid_to=END)
    formset_class = inlineformset_factory(
        OrgUnit,
        Succession,
        formset=SuccessionFormSet,
        fk_name="predecessor",
        fields=["successor", "share", "basis"],
        extra=2,
    )

    def formset(first: str, second: str):
        data = {
            "successions-TOTAL_FORMS": "2",
            "successions-INITIAL_FORMS": "0",
            "successions-0-successor": cast.a.ward.pk,
            "successions-0-share": first,
            "successions-0-basis": "area",
            "successions-1-successor": cast.b.ward.pk,
            "successions-1-share": second,
            "successions-1-basis": "area",
        }
        return formset_class(data, instance=former, prefix="successions")

    short = formset("0.5", "0.4")
    assert not short.is_valid()
    assert "0.9" in str(short.non_form_errors())
    assert formset("0.6", "0.4").is_valid()
