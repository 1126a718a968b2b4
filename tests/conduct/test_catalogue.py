"""The violation catalogue: shipped groups with marked empty slots, editing by coordinators,
versioning that keeps old records readable, and import from a spreadsheet."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.conduct import actions
from civility.conduct.models import TextStatus, ViolationGroup, ViolationType


def test_the_seed_ships_the_groups_and_marks_the_empty_slots(cast, catalogue):
    groups = {g.key: g for g in ViolationGroup.objects.filter(unit=cast.city)}
    assert set(groups) == {
        "coc-522",
        "d24-discipline",
        "d24-evasion",
        "d24-protection",
        "surprise-checks",
    }
    counts = {key: group.types.count() for key, group in groups.items()}
    assert counts["d24-discipline"] == 12 and counts["d24-evasion"] == 9
    assert counts["d24-protection"] == 4
    assert ViolationType.objects.empty_slots().count() == 22
    slot = ViolationType.objects.get(key="D24-3-01")
    assert slot.title.startswith("[Chưa nhập") and slot.title_en.startswith("[Not entered")
    assert actions.load_catalogue_seed(actor=None, unit=cast.city) == 0  # idempotent


def test_the_catalogue_page_shows_how_many_slots_are_empty(client, cast, catalogue):
    client.force_login(cast.a.head)
    page = client.get("/conduct/catalogue/").content.decode()
    assert "22 items are still empty slots" in page
    assert "12 items in the source; 1 entered, 11 empty" in page
    assert "Fill in" not in page  # a ward head reads, does not edit


def test_a_coordinator_loads_the_catalogue_from_the_page(client, cast):
    client.force_login(cast.city_coordinator)
    page = client.get("/conduct/catalogue/").content.decode()
    assert "Load the starting catalogue" in page
    client.post("/conduct/catalogue/seed/", {"unit": cast.city.pk})
    assert ViolationType.objects.count() == 34


def test_no_record_is_filed_under_an_empty_slot(cast, catalogue):
    slot = ViolationType.objects.get(key="D24-1-01")
    with pytest.raises(ValidationError) as error:
        actions.report_violation(
            actor=cast.a.head,
            official=cast.a.official,
            violation_type=slot,
            occurred_on=datetime.date(2025, 3, 1),
            source="inspection",
            description="x",
        )
    assert "empty slot" in error.value.message_dict["type"][0]


def test_a_coordinator_fills_a_slot_in_place(client, cast, catalogue):
    slot = ViolationType.objects.get(key="D24-2-01")
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/conduct/catalogue/{slot.pk}/edit/",
        {
            "title": "Nội dung mục 3 nhập từ văn bản chính thức",
            "title_en": "Item 3 as entered from the official text",
            "description": "",
            "description_en": "",
            "default_severity": "serious",
            "source_document": slot.source_document,
            "text_status": "official",
        },
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.text_status == TextStatus.OFFICIAL and slot.version == 1
    assert ViolationType.objects.empty_slots().count() == 21


def test_a_ward_coordinator_cannot_edit_the_city_catalogue(client, cast, catalogue):
    violation_type = ViolationType.objects.get(key="KTDX-1")
    client.force_login(cast.a.coordinator)
    assert client.get(f"/conduct/catalogue/{violation_type.pk}/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.retire_violation_type(actor=cast.a.coordinator, violation_type=violation_type)


def test_revising_a_used_type_keeps_old_records_on_the_old_wording(client, cast, file_record, late):
    record = file_record()
    new = actions.revise_violation_type(
        actor=cast.city_coordinator,
        violation_type=late,
        title="Vắng mặt trong giờ hành chính",
        title_en="Away during office hours",
    )
    late.refresh_from_db()
    assert new.pk != late.pk and new.version == 2 and new.key == late.key
    assert not late.is_current() and late.replaced_by == new
    record.refresh_from_db()
    assert record.type == late
    client.force_login(cast.a.head)
    page = client.get(f"/conduct/{record.pk}/").content.decode()
    assert "Absent from one&#x27;s post in working hours" in page  # v1's English title
    assert "version 1, retired" in page
    # New records use the current version; the retired one is refused.
    with pytest.raises(ValidationError):
        file_record(violation_type=late)
    assert file_record(violation_type=new).type == new


def test_a_retired_type_is_no_longer_offered(client, cast, catalogue):
    violation_type = ViolationType.objects.get(key="KTDX-2")
    client.force_login(cast.city_coordinator)
    client.post(f"/conduct/catalogue/{violation_type.pk}/retire/")
    client.force_login(cast.a.head)
    form = client.get("/conduct/new/").context["form"]
    assert violation_type not in form.fields["type"].queryset
    page = client.get("/conduct/catalogue/?retired=1").content.decode()
    assert "Retired" in page


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("catalogue.csv", text.encode("utf-8"), "text/csv")


def test_import_adds_and_revises_types(client, cast, catalogue):
    client.force_login(cast.city_coordinator)
    response = client.post(
        "/conduct/catalogue/import/",
        {
            "file": _csv(
                "group,code,title,title_en,severity,wording\n"
                "d24-discipline,D24-1-01,Mục 1 chính thức,Item 1 official,nghiêm trọng,chính thức\n"
                "surprise-checks,KTDX-3,Không đeo thẻ công chức,No name badge,,summary\n"
            )
        },
    )
    assert response.status_code == 302
    filled = ViolationType.objects.current().get(key="D24-1-01")
    assert filled.title == "Mục 1 chính thức" and filled.default_severity == "serious"
    assert filled.text_status == TextStatus.OFFICIAL
    assert ViolationType.objects.current().get(key="KTDX-3").group.key == "surprise-checks"
    assert ViolationType.objects.empty_slots().count() == 21


def test_a_bad_row_names_the_row_and_writes_nothing(client, cast, catalogue):
    client.force_login(cast.city_coordinator)
    page = client.post(
        "/conduct/catalogue/import/",
        {
            "file": _csv(
                "group,code,title,severity\n"
                "d24-discipline,D24-1-01,Mục 1,nghiêm trọng\n"
                "no-such-group,X-1,Tên,\n"
                "d24-evasion,D24-2-01,Mục,quá nặng\n"
            )
        },
    ).content.decode()
    assert "Row 3, column group: no group no-such-group in this catalogue." in page
    assert "Row 4, column default_severity: unknown severity quá nặng." in page
    assert ViolationType.objects.get(key="D24-1-01").is_empty_slot()


def test_an_xlsx_dry_run_checks_without_writing(client, cast, catalogue):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nhóm", "Mã", "Tên"])
    sheet.append(["d24-protection", "D24-3-01", "Nội dung 1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(cast.city_coordinator)
    page = client.post(
        "/conduct/catalogue/import/",
        {
            "file": SimpleUploadedFile("c.xlsx", buffer.getvalue()),
            "dry_run": "on",
        },
    ).content.decode()
    assert "The file is fine: 0 to add, 1 to revise, 0 unchanged." in page
    assert ViolationType.objects.get(key="D24-3-01").is_empty_slot()
