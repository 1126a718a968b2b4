"""A city's past good models from one spreadsheet, and count-only entries for the years that
kept only totals."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civility.awards.figures import model_counts
from civility.awards.models import GoodModel, ModelTally
from civility.core.models import AuditEvent, Job
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

HEADER = ["Tên mô hình", "Lĩnh vực", "Mã đơn vị", "Ngày bắt đầu", "Tình trạng", "Ngày công nhận",
          "Cơ quan, quyết định công nhận"]  # fmt: skip
CATEGORIES = ["Chợ văn minh", "Công sở xanh", "Tổ dân phố văn hóa", "Một cửa thân thiện"]


def workbook(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("mo-hinh-2018-2023.xlsx", buffer.getvalue())


def ninety_seven_models(unit_code: str) -> list[list]:
    rows = []
    for n in range(97):
        recognised = n % 3 == 0
        rows.append(
            [
                f"Mô hình số {n + 1}",
                CATEGORIES[n % 4],
                unit_code if n % 2 else "",
                datetime.date(2018 + n % 6, 1 + n % 12, 10),
                "Được công nhận" if recognised else "Hiệu quả",
                f"20/12/{2018 + n % 6}" if recognised else "",
                "UBND huyện Đông Anh, QĐ 12/QĐ-UBND" if recognised else "",
            ]
        )
    return rows


def post_import(client, unit, upload, **options):
    return client.post(reverse("awards:model_import"), {"unit": unit.pk, "file": upload, **options})


@time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC), tick=False)
def test_ninety_seven_good_models_come_in_from_one_file_as_one_audited_job(client, cast):
    cast.a.department.code = "VP"
    cast.a.department.save()
    client.force_login(cast.a.head)
    response = post_import(client, cast.a.ward, workbook(ninety_seven_models("VP")))

    assert response.status_code == 200, response.content.decode()[:2000]
    job = Job.objects.get(kind="awards.import_good_models")
    assert job.status == "done" and job.result["created"] == 97
    assert GoodModel.objects.filter(unit__path__startswith=cast.a.ward.path).count() == 97
    assert GoodModel.objects.filter(unit=cast.a.department).count() == 48
    assert GoodModel.objects.filter(status="recognised", recognised_on__year=2018).count() == 17
    assert (
        AuditEvent.objects.filter(
            content_type__model="goodmodel", actor=cast.a.head, action=0
        ).count()
        == 97
    )
    assert "Import done." in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC), tick=False)
def test_a_dry_run_reports_what_would_be_created_and_writes_nothing(client, cast):
    client.force_login(cast.a.head)
    response = post_import(client, cast.a.ward, workbook(ninety_seven_models("")), dry_run="on")

    assert response.status_code == 200
    assert "97 would be created" in response.content.decode()
    assert not GoodModel.objects.exists()


@time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC), tick=False)
def test_a_file_with_bad_rows_names_each_row_and_column_and_writes_nothing(client, cast):
    rows = ninety_seven_models("")
    rows[4][1] = "Nhà văn hóa"  # row 6: an unknown category
    rows[9][3] = "31/02/2021"  # row 11: not a date
    rows[20][2] = "KHONG-CO"  # row 22: no such unit
    rows[30][5] = ""  # row 32: recognised without a date (n = 30 is recognised)
    rows[50][3] = datetime.date(2027, 1, 1)  # row 52: in the future
    client.force_login(cast.a.head)
    response = post_import(client, cast.a.ward, workbook(rows))

    page = response.content.decode()
    assert response.status_code == 400
    job = Job.objects.get()
    assert "5 problems; nothing was imported" in page
    located = {(p["row"], p["column"]) for p in job.result["errors"]}
    assert located == {
        (6, "category"),
        (11, "started_on"),
        (22, "unit_code"),
        (32, "recognised_on"),
        (52, "started_on"),
    }
    assert not GoodModel.objects.exists()


def test_importing_the_same_file_again_leaves_the_models_as_they_are(client, cast):
    client.force_login(cast.a.head)
    with time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC)):
        post_import(client, cast.a.ward, workbook(ninety_seven_models("")))
        post_import(client, cast.a.ward, workbook(ninety_seven_models("")))

    assert GoodModel.objects.count() == 97
    assert Job.objects.order_by("pk").last().result["unchanged"] == 97


def test_a_unit_outside_the_users_scope_cannot_be_imported_into(client, cast):
    client.force_login(cast.a.head)
    response = post_import(client, cast.b.ward, workbook(ninety_seven_models("")))

    assert response.status_code == 400
    assert not Job.objects.exists()


def test_the_template_downloads_and_its_example_row_imports(client, cast):
    client.force_login(cast.a.head)
    response = client.get(reverse("awards:model_template", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Dữ liệu"]
    assert [c.value for c in sheet[1]][:2] == ["Tên mô hình", "Tên tiếng Anh"]

    upload = SimpleUploadedFile("template.xlsx", response.content)
    with time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC)):
        post_import(client, cast.a.ward, upload)
    assert GoodModel.objects.get().recognised_by.startswith("UBND quận")


def test_count_only_entries_are_marked_in_every_figure_that_adds_them(client, cast):
    former = make_unit(
        "Phường Thụy Khuê (cũ)",
        parent=cast.a.ward,
        valid_from=datetime.date(2000, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )
    client.force_login(cast.a.head)
    # Every request at the one frozen morning: the session's idle expiry is counted from the
    # last request, so a request made later at the real time of day could find it expired.
    with time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC)):
        response = client.post(
            reverse("awards:tally_list"),
            {"unit": former.pk, "year": 2019, "category": "civilized_market", "count": 12},
        )
        refused = client.post(
            reverse("awards:tally_list"),
            {"unit": former.pk, "year": 2026, "category": "civilized_market", "count": 1},
        )
        page = client.get(reverse("awards:model_list"), {"unit": cast.a.ward.pk}).content.decode()
        tallies = client.get(reverse("awards:tally_list")).content.decode()

    assert response.status_code == 302
    assert refused.status_code == 400 and "no longer existed" in refused.content.decode()
    assert ModelTally.objects.get().count == 12
    [market] = model_counts(cast.a.ward)
    assert (market.models, market.count_only) == (0, 12)
    assert model_counts(cast.a.ward, years=(2022, 2023)) == []
    assert "(count only)" in page
    assert "count only" in tallies
