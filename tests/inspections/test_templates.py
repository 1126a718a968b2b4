"""Checklist templates: shipped seeds, versioning when in use, .xlsx import and export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from civility.inspections import actions, spreadsheets
from civility.inspections.models import AnswerKind, Criterion, TemplateVersion


def test_three_shipped_checklists_are_bilingual_and_link_code_provisions(templates):
    counter = templates.counter.current_version()
    criteria = list(counter.criteria())
    assert all(c.text and c.text_en for c in criteria)
    texts = " ".join(c.text_en for c in criteria)
    for expected in (
        "Code of conduct board",
        "Assistance bell",
        "name badges",
        "No smoking",
        "alcohol",
    ):
        assert expected in texts
    b1 = counter.criteria().get(ref="B1")
    assert b1.provision.chapter.version.code.slug == "hanoi-522" and b1.provision.number == 4
    place = templates.public_place.current_version()
    assert place.criteria().get(ref="A2").provision.chapter.version.code.slug == "hanoi-1665"
    assert {t.subject for t in (templates.counter, templates.office, templates.public_place)} == {
        "counter",
        "office",
        "public_place",
    }


def test_loading_a_seed_twice_creates_it_once(cast, templates):
    again = actions.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    assert again == templates.counter and templates.counter.versions.count() == 1


def test_editing_a_template_in_use_creates_a_new_version_and_past_inspections_keep_theirs(
    cast, templates, inspection
):
    old_version = inspection.template_version
    a1 = old_version.criteria().get(ref="A1")
    updated = actions.update_criterion(
        actor=cast.city_coordinator, criterion=a1, text="Bảng QTƯX mới", weight=Decimal("3")
    )
    assert updated.section.version.number == 2
    assert (updated.text, updated.weight) == ("Bảng QTƯX mới", Decimal("3"))
    a1.refresh_from_db()
    assert a1.text == "Bảng Quy tắc ứng xử được niêm yết ở nơi dễ thấy"  # the old one is intact
    inspection.refresh_from_db()
    assert inspection.template_version == old_version
    assert updated.section.version.criteria().count() == old_version.criteria().count()
    # The provision link travels to the new version.
    assert updated.section.version.criteria().get(ref="B1").provision_id is not None
    # New inspections use the new version.
    new = actions.start_inspection_on_the_spot(
        actor=cast.city_coordinator,
        inspecting_unit=cast.city,
        template=templates.counter,
        unit=cast.a.ward,
    )
    assert new.template_version.number == 2


def test_editing_a_template_not_yet_used_changes_it_in_place(cast, templates):
    a2 = templates.office.current_version().criteria().get(ref="A2")
    updated = actions.update_criterion(
        actor=cast.city_coordinator, criterion=a2, weight=Decimal("2")
    )
    assert (
        updated.pk == a2.pk
        and TemplateVersion.objects.filter(template=templates.office).count() == 1
    )


def test_only_coordinators_above_the_template_may_edit_it(cast, templates):
    from django.core.exceptions import PermissionDenied

    a2 = templates.office.current_version().criteria().get(ref="A2")
    with pytest.raises(PermissionDenied):
        actions.update_criterion(actor=cast.a.coordinator, criterion=a2, weight=Decimal("2"))


def test_criterion_edit_page_reports_the_new_version(client, cast, templates, inspection):
    client.force_login(cast.city_coordinator)
    a4 = inspection.template_version.criteria().get(ref="A4")
    response = client.post(
        f"/inspections/criteria/{a4.pk}/edit/",
        {
            "text": a4.text,
            "text_en": "Clean and bright",
            "guidance": "",
            "guidance_en": "",
            "answer_kind": "score",
            "max_score": "5",
            "weight": "1",
            "allows_not_applicable": "on",
        },
        follow=True,
    )
    assert "version 2 was created" in response.content.decode()
    assert (
        Criterion.objects.get(
            section__version__number=2, section__version__template=templates.counter, ref="A4"
        ).max_score
        == 5
    )


def test_xlsx_export_then_import_makes_an_identical_new_version(client, cast, templates):
    version = templates.counter.current_version()
    client.force_login(cast.city_coordinator)
    exported = client.get(f"/inspections/checklists/{templates.counter.pk}/export.xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(
        f"/inspections/checklists/{templates.counter.pk}/import/",
        {"file": SimpleUploadedFile("c.xlsx", exported.content), "note": "round trip"},
    )
    assert response.status_code == 302
    new = templates.counter.current_version()
    assert new.number == 2 and new.note == "round trip"
    old_rows = actions.structure_of(version)
    new_rows = actions.structure_of(new)
    assert old_rows == new_rows  # same sections, criteria, kinds, options, weights, provisions


def _workbook(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "criteria"
    sheet.append(["section", "ref", "text", "answer_kind", "max_score", "weight", "photo_required"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["S", "A1", "x", "stars", None, 1, "no"]], "Row 2: answer_kind must be one of"),
        (
            [["S", "A1", "x", "yes_no", None, 1, "no"], ["S", "A2", "y", "score", None, 1, "no"]],
            "Row 3: Criterion A2: a score answer needs its highest score.",
        ),
        ([["S", "A1", "x", "yes_no", None, "heavy", "no"]], "Row 2: the weight is not a number."),
        (
            [["S", "A1", "x", "yes_no", None, 1, "maybe"]],
            "Row 2: photo_required must be yes or no.",
        ),
        ([["", "A1", "x", "yes_no", None, 1, "no"]], "Row 2: the section is empty."),
    ],
)
def test_xlsx_import_names_the_bad_row_and_changes_nothing(client, cast, templates, rows, message):
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/inspections/checklists/{templates.office.pk}/import/",
        {"file": SimpleUploadedFile("c.xlsx", _workbook(rows))},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert templates.office.versions.count() == 1


def test_xlsx_with_duplicate_references_is_refused():
    sections = spreadsheets.parse_workbook(
        _workbook(
            [["S", "A1", "x", "yes_no", None, 1, "no"], ["T", "A1", "y", "yes_no", None, 1, "no"]]
        )
    )
    with pytest.raises(ValidationError, match="A1 is used twice"):
        actions.validate_structure(sections)


def test_exported_workbook_lists_choice_options_and_provisions(templates):
    data = spreadsheets.export_version(templates.counter.current_version(), by=None)
    sheet = load_workbook(io.BytesIO(data))["criteria"]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["A6"][5] == AnswerKind.CHOICE
    assert rows["A6"][7].startswith("working=1|Có, hoạt động tốt|Present and working")
    assert rows["B1"][11] == "hanoi-522:4"


def test_a_non_workbook_file_gets_a_clear_message(client, cast, templates):
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/inspections/checklists/{templates.office.pk}/import/",
        {"file": SimpleUploadedFile("c.xlsx", b"not a zip")},
    )
    assert "not a readable .xlsx workbook" in response.content.decode()
