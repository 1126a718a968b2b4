"""Earlier commendation decisions: one spreadsheet, one job, the pre-2024 catalogue, and the
periodic report of a past year (issue #21)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from civility.awards import actions, history
from civility.awards.models import Award, AwardDecision, DecisionSource, Movement
from civility.core.models import AuditEvent, JobStatus
from civility.orgs.models import UnitKind
from tests.factories import make_official, make_unit

HEADERS = [column.title for column in history.COLUMNS]
DECIDED = datetime.date(2022, 12, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0), tick=False):
        yield


@pytest.fixture
def dong_anh(cast, catalogue):
    """The former district of Đông Anh (ended 30/06/2025) with 35 divisions and an official
    in 34 of them, and the city's movement of those years."""
    district = make_unit(
        "Huyện Đông Anh",
        parent=cast.city,
        kind=UnitKind.FORMER_DISTRICT,
        code="DA",
        valid_to=datetime.date(2025, 6, 30),
    )
    divisions = [
        make_unit(
            f"Phòng số {i} huyện Đông Anh",
            parent=district,
            kind=UnitKind.DIVISION,
            code=f"DA-{i:02d}",
            valid_to=datetime.date(2025, 6, 30),
        )
        for i in range(1, 36)
    ]
    officials = [
        make_official(f"Nguyễn Văn Đức {i}", unit=divisions[i], staff_code=f"NV{i:03d}")
        for i in range(34)
    ]
    movement = Movement.objects.create(
        unit=cast.city,
        name="Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        starts_on=datetime.date(2019, 1, 1),
    )
    return district, divisions, officials, movement


def _rows(divisions, officials, movement) -> list[list]:
    head = ["125/QĐ-UBND", DECIDED, "DA", "Chủ tịch UBND huyện Đông Anh", movement.name, 2022]
    rows = [[*head, "Tập thể lao động tiên tiến", u.code, "", ""] for u in divisions]
    for index, official in enumerate(officials):
        if index % 10 == 3:  # a few written by name only, without diacritics
            rows.append([*head, "lao dong tien tien", "", "nguyen van duc " + str(index), ""])
        else:
            rows.append([*head, "Lao động tiên tiến", official.staff_code, "", ""])
    return rows


def _upload(rows, name="quyet-dinh.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_former_districts_2022_decision_with_35_collectives_and_34_individuals_is_one_job(
    cast, dong_anh
):
    district, divisions, officials, movement = dong_anh
    job = history.request_import(
        actor=cast.city_coordinator,
        root=cast.city,
        upload=_upload(_rows(divisions, officials, movement)),
    )

    assert job.status == JobStatus.DONE, job.error
    assert job.result["created"] == 69 and job.result["decisions"] == 1
    decision = AwardDecision.objects.get()
    assert decision.unit == district and decision.decided_on == DECIDED
    assert decision.source == DecisionSource.RECORDED and decision.movement == movement
    assert decision.rule_set == "law-2003"
    awards = Award.objects.filter(decision=decision)
    assert awards.filter(official__isnull=True).count() == 35
    assert set(awards.exclude(official=None).values_list("official", flat=True)) == {
        o.pk for o in officials
    }
    assert {a.title.rule_set for a in awards} == {"law-2003"}
    assert not awards.filter(nomination__isnull=False).exists()
    audited = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Award), actor=cast.city_coordinator
    )
    assert audited.count() == 69


def test_an_unknown_official_in_row_17_names_the_row_and_nothing_is_written(cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    rows = _rows(divisions[:10], officials, movement)
    rows[15][7] = "NV999"  # row 17 of the sheet: the header is row 1

    job = history.request_import(actor=cast.city_coordinator, root=cast.city, upload=_upload(rows))

    assert job.status == JobStatus.FAILED
    errors = job.result["errors"]
    assert [e["row"] for e in errors] == [17]
    assert "NV999" in errors[0]["message"]
    assert not AwardDecision.objects.exists() and not Award.objects.exists()


def test_a_dry_run_checks_the_file_and_writes_nothing(cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    job = history.request_import(
        actor=cast.city_coordinator,
        root=cast.city,
        upload=_upload(_rows(divisions[:3], officials[:2], movement)),
        dry_run=True,
    )
    assert job.status == JobStatus.DONE and job.result["created"] == 5
    assert not AwardDecision.objects.exists()


def test_a_decision_after_the_former_district_ended_is_refused_on_its_row(cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    rows = _rows(divisions[:2], [], movement)
    rows[1][1] = datetime.date(2025, 8, 1)
    rows[1][0] = "7/QĐ-UBND"

    job = history.request_import(actor=cast.city_coordinator, root=cast.city, upload=_upload(rows))

    assert job.status == JobStatus.FAILED
    # The district and its division both ended on 30/06/2025.
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (3, "issuing_unit"),
        (3, "recipient_code"),
    ]
    assert not Award.objects.exists()


def test_a_name_matching_two_officials_is_not_guessed(cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    make_official("Nguyễn Văn Đức 3", unit=divisions[20])
    rows = _rows([], officials[:4], movement)

    job = history.request_import(actor=cast.city_coordinator, root=cast.city, upload=_upload(rows))

    assert job.status == JobStatus.FAILED
    assert [e["row"] for e in job.result["errors"]] == [5]
    assert "2" in job.result["errors"][0]["message"]


def test_the_template_has_the_columns_the_import_reads():
    sheet = load_workbook(io.BytesIO(history.template_xlsx())).active
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_a_2023_decision_takes_the_pre_2024_title_and_a_2024_one_the_current(cast, catalogue):
    official = cast.a.official
    decision = actions.record_earlier_decision(
        actor=cast.admin,
        unit=cast.city,
        number="88/QĐ-UBND",
        decided_on=datetime.date(2023, 12, 15),
        issuer="Chủ tịch UBND Thành phố",
        year=2023,
        awards=[actions.PastAward("advanced-worker", official=official)],
    )
    award = decision.awards.get()
    assert award.title.rule_set == "law-2003" and award.title.version == 0
    assert award.title.name == "Lao động tiên tiến"
    assert award.title.valid_to == datetime.date(2023, 12, 31)
    assert "TO BE CONFIRMED" in award.title.conditions_note
    assert award.title.multiplier is None and award.bonus is None
    assert "Nghị định 91/2017/NĐ-CP" in award.title.legal_basis

    later = actions.record_earlier_decision(
        actor=cast.admin,
        unit=cast.city,
        number="12/QĐ-UBND",
        decided_on=datetime.date(2025, 1, 20),
        issuer="Chủ tịch UBND Thành phố",
        year=2024,
        awards=[actions.PastAward("advanced-worker", official=official)],
    )
    assert later.awards.get().title.rule_set == "decree-98-2023"


def test_loading_the_catalogue_again_adds_only_the_missing_pre_2024_versions(cast, catalogue):
    from civility.awards.models import AwardTitle

    AwardTitle.objects.filter(version=0).delete()
    added = actions.load_award_catalogue(actor=None, unit=cast.city)
    assert added == AwardTitle.objects.filter(version=0).count() > 0
    assert actions.load_award_catalogue(actor=None, unit=cast.city) == 0


def test_the_migration_gives_an_existing_catalogue_the_same_pre_2024_versions(cast, catalogue):
    import importlib

    from django.apps import apps

    from civility.awards.models import AwardTitle

    fields = ("key", "name", "legal_basis", "valid_from", "valid_to", "rule_set", "multiplier")
    shipped = sorted(AwardTitle.objects.filter(version=0).values_list(*fields))
    AwardTitle.objects.filter(version=0).delete()
    migration = importlib.import_module(
        "civility.awards.migrations.0007_decision_movement_and_pre_2024_catalogue"
    )
    migration.add_pre_2024_versions(apps, None)
    migration.add_pre_2024_versions(apps, None)  # run twice: nothing more
    assert sorted(AwardTitle.objects.filter(version=0).values_list(*fields)) == shipped


def test_an_earlier_decision_refuses_a_title_given_to_the_wrong_kind_of_recipient(cast, catalogue):
    with pytest.raises(ValidationError) as error:
        actions.record_earlier_decision(
            actor=cast.admin,
            unit=cast.city,
            number="9/QĐ-UBND",
            decided_on=datetime.date(2023, 3, 1),
            issuer="Chủ tịch UBND Thành phố",
            year=2022,
            awards=[actions.PastAward("advanced-collective", official=cast.a.official)],
        )
    assert "awards" in error.value.message_dict


def test_the_2023_periodic_report_counts_the_decisions_by_title(cast, dong_anh):
    from civility.insights import exports, reports
    from civility.insights.periods import Period

    district, divisions, officials, movement = dong_anh
    rows = _rows(divisions, officials, movement)
    for row in rows:
        row[1], row[5] = datetime.date(2023, 2, 10), 2022
    history.request_import(actor=cast.city_coordinator, root=cast.city, upload=_upload(rows))

    period = Period.parse("2023")
    with translation.override("en"):
        sections = dict(exports.report_sections(reports.report_figures(cast.city, period)))
    awards = next(texts for heading, texts in sections.items() if heading.startswith("VI."))
    assert awards[0] == "Commendation decisions: 1; of them recorded for the archive: 1."
    assert "Advanced Labour Collective: collectives 35; individuals 0." in awards
    assert "Advanced Worker: collectives 0; individuals 34." in awards

    later = reports.report_figures(cast.city, Period.parse("2024"))
    assert later.decisions.decisions == 0


def test_the_form_records_a_former_districts_decision_with_several_recipients(
    client, cast, dong_anh
):
    district, divisions, officials, movement = dong_anh
    client.force_login(cast.city_coordinator)
    url = reverse("awards:past_decision_create")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "unit": district.pk,
            "number": "31/QĐ-UBND",
            "decided_on": "2022-06-15",
            "issuer": "Chủ tịch UBND huyện Đông Anh",
            "movement": movement.pk,
            "collective_title": "advanced-collective",
            "units": [divisions[0].pk, divisions[1].pk],
            "individual_title": "advanced-worker",
            "officials": [officials[0].pk],
        },
    )

    decision = AwardDecision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    assert decision.year == 2022 and decision.awards.count() == 3
    page = client.get(decision.get_absolute_url()).content.decode()
    assert str(DecisionSource.RECORDED.label) in page and movement.name in page
    listing = client.get(reverse("awards:decision_list") + "?source=recorded").content.decode()
    assert "31/QĐ-UBND" in listing
    assert "31/QĐ-UBND" in client.get(movement.get_absolute_url()).content.decode()


def test_the_form_names_the_field_when_the_issuer_no_longer_existed(client, cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    client.force_login(cast.city_coordinator)
    response = client.post(
        reverse("awards:past_decision_create"),
        {
            "unit": district.pk,
            "number": "1/QĐ-UBND",
            "decided_on": "2025-09-01",
            "issuer": "Chủ tịch UBND huyện Đông Anh",
            "collective_title": "advanced-collective",
            "units": [divisions[0].pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not AwardDecision.objects.exists()


def test_the_import_page_runs_the_job_and_shows_row_errors(client, cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    client.force_login(cast.city_coordinator)
    url = reverse("awards:past_decision_import")
    assert client.get(url).status_code == 200
    template = client.get(reverse("awards:past_decision_template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")

    rows = _rows(divisions[:3], officials[:2], movement)
    rows[4][7] = "KHONG-CO"
    response = client.post(url, {"unit": cast.city.pk, "file": _upload(rows)})
    assert response.status_code == 400
    assert "KHONG-CO" in response.content.decode()
    assert not AwardDecision.objects.exists()

    rows[4][7] = officials[1].staff_code
    response = client.post(url, {"unit": cast.city.pk, "file": _upload(rows)})
    assert response.status_code == 200
    assert AwardDecision.objects.get().awards.count() == 5


def test_people_without_the_deciding_role_cannot_open_the_pages(client, cast):
    client.force_login(cast.a.head)
    assert client.get(reverse("awards:past_decision_create")).status_code == 403
    assert client.get(reverse("awards:past_decision_import")).status_code == 403


def test_the_api_records_an_earlier_decision_and_says_it_was_recorded(client, cast, dong_anh):
    district, divisions, officials, movement = dong_anh
    client.force_login(cast.city_coordinator)
    payload = {
        "unit_id": district.pk,
        "number": "44/QĐ-UBND",
        "decided_on": "2021-12-30",
        "issuer": "Chủ tịch UBND huyện Đông Anh",
        "movement_id": movement.pk,
        "awards": [
            {"title_key": "advanced-collective", "unit_id": divisions[0].pk},
            {"title_key": "advanced-worker", "official_id": officials[0].pk},
        ],
    }
    url = "/api/v1/awards/earlier-decisions"
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "recorded" and body["movement_id"] == movement.pk
    assert body["rule_set"] == "law-2003" and len(body["awards"]) == 2

    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 422 and AwardDecision.objects.count() == 1
