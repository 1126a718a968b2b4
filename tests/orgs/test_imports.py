"""Importing a unit's structure and its officials from .xlsx and .csv files."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civility.core.models import AuditEvent
from civility.orgs import imports
from civility.orgs.models import Official, OrgUnit, Post, StaffCategory, UnitKind
from tests.factories import make_post, make_unit

STRUCTURE_HEADER = ["code", "name", "name_en", "kind", "parent_code", "valid_from"]
OFFICIAL_HEADER = [
    "staff_code",
    "full_name",
    "staff_category",
    "unit_code",
    "post",
    "is_leader",
    "post_start_date",
    "email",
    "phone",
]


def write_xlsx(tmp_path: Path, rows: list[list], name: str = "import.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def write_csv(
    tmp_path: Path, rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / "import.csv"
    text = "\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def upload(client, url: str, path: Path, **options):
    file = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(url, {"file": file, **options})


def structure_url(unit: OrgUnit) -> str:
    return reverse("imports:structure_import", args=[unit.pk])


def officials_url(unit: OrgUnit) -> str:
    return reverse("imports:officials_import", args=[unit.pk])


def errors_of(response) -> list[str]:
    return [str(problem) for problem in response.context["result"].errors]


NESTED_TREE = [
    STRUCTURE_HEADER,
    # Children come before their parents: the importer orders them itself.
    ["Q1", "Quầy 1", "Counter 1", "counter", "TN", ""],
    ["TN", "Bộ phận Tiếp nhận", "Reception", "division", "VP", ""],
    ["VP", "Văn phòng UBND", "Office", "department", "", "01/07/2025"],
    ["TDP1", "Tổ dân phố số 1", "", "residential_group", "", ""],
]


@pytest.fixture
def coordinator_client(client, cast):
    client.force_login(cast.a.coordinator)
    return client


# --- structure --------------------------------------------------------------------------


def test_structure_import_creates_the_tree_whatever_the_row_order(
    coordinator_client, cast, tmp_path
):
    response = upload(
        coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, NESTED_TREE)
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated, result.errors) == (4, 0, [])
    office = OrgUnit.objects.get(code="VP", kind=UnitKind.DEPARTMENT)
    reception = OrgUnit.objects.get(code="TN", kind=UnitKind.DIVISION)
    counter = OrgUnit.objects.get(code="Q1", kind=UnitKind.COUNTER)
    assert office.parent == cast.a.ward
    assert office.valid_from == datetime.date(2025, 7, 1)
    assert reception.parent == office
    assert counter.parent == reception
    assert counter.name_en == "Counter 1"
    assert counter.path.startswith(cast.a.ward.path)
    assert OrgUnit.objects.get(code="TDP1").parent == cast.a.ward
    assert "4 created" in response.content.decode()


def test_importing_the_same_file_again_changes_nothing(coordinator_client, cast, tmp_path):
    path = write_xlsx(tmp_path, NESTED_TREE)
    upload(coordinator_client, structure_url(cast.a.ward), path)
    units_before = OrgUnit.objects.count()
    events_before = AuditEvent.objects.count()

    result = upload(coordinator_client, structure_url(cast.a.ward), path).context["result"]

    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert OrgUnit.objects.count() == units_before
    assert AuditEvent.objects.count() == events_before


def test_a_changed_row_updates_the_unit_it_matches(coordinator_client, cast, tmp_path):
    upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, NESTED_TREE))
    changed = [STRUCTURE_HEADER, ["TN", "Bộ phận Một cửa", "One-stop", "division", "", ""]]

    result = upload(
        coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, changed)
    ).context["result"]

    assert (result.created, result.updated) == (0, 1)
    reception = OrgUnit.objects.get(code="TN", kind=UnitKind.DIVISION)
    assert reception.name == "Bộ phận Một cửa"
    assert reception.parent == cast.a.ward  # blank parent code: directly under the root
    counter = OrgUnit.objects.get(code="Q1")
    assert counter.path == f"{reception.path}{counter.pk}/"


def test_one_bad_row_among_good_ones_writes_nothing_and_names_row_and_column(
    coordinator_client, cast, tmp_path
):
    rows = [*NESTED_TREE, ["X9", "Thôn 9", "", "planet", "", ""]]
    units_before = OrgUnit.objects.count()

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert response.status_code == 400
    assert errors_of(response) == [
        "Row 6, column kind: 'planet' is not a kind of unit that can be imported"
    ]
    assert OrgUnit.objects.count() == units_before
    page = response.content.decode()
    assert "nothing was imported" in page
    assert "planet" in page


def test_vietnamese_headers_and_values_are_accepted_in_a_semicolon_csv_with_bom(
    coordinator_client, cast, tmp_path
):
    rows = [
        ["Mã đơn vị", "TÊN ĐƠN VỊ", "Loại đơn vị *", "Mã đơn vị cấp trên", "Hiệu lực từ ngày"],
        ["VP", "Văn phòng", "Cơ quan chuyên môn", "", "2025-07-01"],
        ["P1", "Phòng Văn hóa", "phong", "vp", ""],
        ["T1", "Tổ dân phố 1", "to dan pho", "", ""],
        ["TH1", "Thôn Hạ", "THÔN", "", "1/7/2025"],
    ]
    path = write_csv(tmp_path, rows, delimiter=";", encoding="utf-8-sig")

    response = upload(coordinator_client, structure_url(cast.a.ward), path)

    assert response.context["result"].errors == []
    assert OrgUnit.objects.get(code="P1").kind == UnitKind.DIVISION
    assert OrgUnit.objects.get(code="P1").parent == OrgUnit.objects.get(code="VP")
    assert OrgUnit.objects.get(code="T1").kind == UnitKind.RESIDENTIAL_GROUP
    assert OrgUnit.objects.get(code="TH1").valid_from == datetime.date(2025, 7, 1)


def test_parent_codes_may_name_units_already_under_the_root(coordinator_client, cast, tmp_path):
    make_unit("Văn phòng", parent=cast.a.ward, code="VP")
    rows = [STRUCTURE_HEADER, ["Q1", "Quầy 1", "", "Bộ phận Một cửa", "VP", ""]]

    upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert OrgUnit.objects.get(code="Q1").parent.code == "VP"


def test_unknown_parent_codes_and_units_of_another_ward_are_reported(
    coordinator_client, cast, tmp_path
):
    make_unit("Văn phòng Long Biên", parent=cast.b.ward, code="LB")
    rows = [
        STRUCTURE_HEADER,
        ["Q1", "Quầy 1", "", "counter", "NOPE", ""],
        ["Q2", "Quầy 2", "", "counter", "LB", ""],
    ]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert errors_of(response) == [
        "Row 2, column parent_code: no unit with code 'NOPE' exists under this unit or in the file",
        "Row 3, column parent_code: no unit with code 'LB' exists under this unit or in the file",
    ]


def test_cycles_and_duplicates_in_the_file_are_reported(coordinator_client, cast, tmp_path):
    rows = [
        STRUCTURE_HEADER,
        ["A", "A", "", "division", "B", ""],
        ["B", "B", "", "division", "A", ""],
        ["C", "C", "", "village", "", ""],
        ["C", "C again", "", "village", "", ""],
    ]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    errors = errors_of(response)
    assert "Row 5, column code: the code 'C' for this kind is already used in row 4" in errors
    rows[4][0] = "D"
    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))
    errors = errors_of(response)
    assert len(errors) == 2
    assert all("form a cycle" in error for error in errors)
    assert {e.row for e in response.context["result"].errors} == {2, 3}
    assert not OrgUnit.objects.filter(code__in=["A", "B", "C", "D"]).exists()


def test_moving_a_unit_under_its_own_descendant_is_a_cycle(coordinator_client, cast, tmp_path):
    office = make_unit("Văn phòng", parent=cast.a.ward, code="VP")
    between = make_unit("Không mã", parent=office)  # no code: cannot be in the file
    make_unit("Quầy", parent=between, kind=UnitKind.COUNTER, code="Q1")
    rows = [STRUCTURE_HEADER, ["VP", "Văn phòng", "", "department", "Q1", ""]]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert response.status_code == 400
    assert "form a cycle" in errors_of(response)[0]
    office.refresh_from_db()
    assert office.parent == cast.a.ward


def test_a_code_taken_outside_the_root_is_reported(coordinator_client, cast, tmp_path):
    make_unit("Văn phòng Long Biên", parent=cast.b.ward, code="VP")
    rows = [STRUCTURE_HEADER, ["VP", "Văn phòng", "", "department", "", ""]]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert errors_of(response) == [
        "Row 2, column code: the code 'VP' is already used by another unit of this kind "
        "outside this unit"
    ]


def test_bad_dates_and_missing_values_are_reported_per_cell(coordinator_client, cast, tmp_path):
    rows = [
        STRUCTURE_HEADER,
        ["", "Không mã", "", "village", "", ""],
        ["X1", "", "", "", "", "31/02/2025"],
    ]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert errors_of(response) == [
        "Row 2, column code: is required",
        "Row 3, column name: is required",
        "Row 3, column kind: is required",
        "Row 3, column valid_from: '31/02/2025' is not a date; write it as dd/mm/yyyy",
    ]


def test_dry_run_reports_without_writing(coordinator_client, cast, tmp_path):
    path = write_xlsx(tmp_path, NESTED_TREE)

    response = upload(coordinator_client, structure_url(cast.a.ward), path, dry_run="on")

    result = response.context["result"]
    assert (result.dry_run, result.created) == (True, 4)
    assert not OrgUnit.objects.filter(code="VP").exists()
    assert "4 would be created" in response.content.decode()


# --- whole-file problems ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.xls", b"\xd0\xcf\x11\xe0", "Upload an .xlsx or .csv file."),
        ("units.xlsx", b"not a zip", "This is not an .xlsx workbook"),
        ("units.xlsx", b"PK\x03\x04broken", "This .xlsx file is damaged"),
        ("units.csv", "tên;đơn\n".encode("cp1258"), "is not UTF-8 text"),
        ("units.csv", b"", "file is empty"),
        ("units.csv", b"code,name,kind\n", "no rows of data"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_message(
    coordinator_client, cast, name, content, message
):
    file = SimpleUploadedFile(name, content)

    response = coordinator_client.post(structure_url(cast.a.ward), {"file": file})

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert response.context["result"] is None


def test_unknown_and_missing_headers_are_reported(coordinator_client, cast, tmp_path):
    rows = [["code", "name", "colour"], ["VP", "Văn phòng", "red"]]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_csv(tmp_path, rows))

    errors = errors_of(response)
    assert errors[0].startswith("Row 1, column colour: unknown column")
    assert errors[1] == "The required column kind (Loại đơn vị) is missing."


def test_files_with_too_many_rows_are_refused(coordinator_client, cast, tmp_path, monkeypatch):
    monkeypatch.setattr(imports.files, "MAX_ROWS", 3)
    rows = [STRUCTURE_HEADER] + [[f"T{i}", f"Tổ {i}", "", "village", "", ""] for i in range(4)]

    response = upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert "more than 3 rows" in " ".join(response.context["form"].errors["file"])
    assert not OrgUnit.objects.filter(code="T0").exists()


# --- officials --------------------------------------------------------------------------


def test_officials_import_creates_officials_with_posts_categories_and_dates(
    coordinator_client, cast, tmp_path
):
    office = make_unit("Văn phòng", parent=cast.a.ward, code="VP")
    make_post("Chuyên viên", unit=cast.city)  # a post from a unit above is usable
    make_post("Chánh Văn phòng", unit=office)
    rows = [
        OFFICIAL_HEADER,
        [
            "NV1",
            "Trần Thị Hoa",
            "Công chức",
            "VP",
            "chanh van phong",
            "x",
            datetime.datetime(2022, 3, 15),
            "hoa@example.vn",
            "0912 345 678",
        ],
        ["NV2", "Lê Văn Nam", "vien chuc", "vp", "Chuyên viên", "không", "01/02/2023", "", ""],
        ["", "Phạm Thu", "Worker", "", "", "", "2024-05-06", "", ""],
        [7, "Đỗ Minh", "CÁN BỘ", "", "", 1, 45000, "", 912345678],
    ]

    response = upload(coordinator_client, officials_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert response.context["result"].errors == []
    assert response.context["result"].created == 4
    hoa = Official.objects.get(staff_code="NV1")
    assert (hoa.unit, hoa.post.name, hoa.is_leader) == (office, "Chánh Văn phòng", True)
    assert hoa.staff_category == StaffCategory.CIVIL_SERVANT
    assert hoa.post_start_date == datetime.date(2022, 3, 15)
    assert (hoa.email, hoa.phone) == ("hoa@example.vn", "0912 345 678")
    nam = Official.objects.get(staff_code="NV2")
    assert (nam.staff_category, nam.post.unit, nam.is_leader) == (
        StaffCategory.PUBLIC_EMPLOYEE,
        cast.city,
        False,
    )
    assert nam.post_start_date == datetime.date(2023, 2, 1)
    thu = Official.objects.get(full_name="Phạm Thu")
    assert (thu.unit, thu.staff_category, thu.post) == (cast.a.ward, StaffCategory.WORKER, None)
    minh = Official.objects.get(staff_code="7")
    assert (minh.staff_category, minh.is_leader) == (StaffCategory.CADRE, True)
    assert minh.post_start_date == datetime.date(2023, 3, 15)  # Excel day number 45000
    assert minh.phone == "912345678"


def test_officials_with_a_staff_code_are_updated_and_without_one_are_added(
    coordinator_client, cast, tmp_path
):
    rows = [
        ["Mã nhân sự", "Họ và tên", "Phân loại", "Lãnh đạo"],
        ["NV1", "Trần Thị Hoa", "công chức", "Không"],
        ["", "Nguyễn Văn A", "công chức", ""],
    ]
    upload(coordinator_client, officials_url(cast.a.ward), write_xlsx(tmp_path, rows))
    rows[1][3] = "Có"

    response = upload(coordinator_client, officials_url(cast.a.ward), write_xlsx(tmp_path, rows))

    result = response.context["result"]
    assert (result.created, result.updated) == (1, 1)
    assert Official.objects.get(staff_code="NV1").is_leader is True
    assert Official.objects.filter(full_name="Nguyễn Văn A", unit=cast.a.ward).count() == 2
    assert [str(w) for w in result.warnings] == [
        "Row 3, column Họ và tên (full_name): an official named 'Nguyễn Văn A' is already in "
        "Phường Tây Hồ; without a staff code this row adds another one"
    ]


def test_bad_official_rows_name_the_row_and_column_and_write_nothing(
    coordinator_client, cast, tmp_path
):
    rows = [
        OFFICIAL_HEADER,
        ["NV1", "Trần Thị Hoa", "công chức", "", "", "", "", "", ""],
        [
            "NV2",
            "Lê Văn Nam",
            "cong chuc x",
            "ZZ",
            "Giám đốc",
            "maybe",
            "2023-13-01",
            "not-an-email",
            "call me",
        ],
        ["NV1", "Trần Hoa", "công chức", "", "", "", "", "", ""],
    ]

    response = upload(coordinator_client, officials_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert errors_of(response) == [
        "Row 3, column staff_category: 'cong chuc x' is not a staff category",
        "Row 3, column unit_code: no unit with code 'ZZ' exists under this unit",
        "Row 3, column is_leader: 'maybe' is not yes or no; write có or không",
        "Row 3, column post_start_date: '2023-13-01' is not a date; write it as dd/mm/yyyy",
        "Row 3, column email: 'not-an-email' is not an e-mail address",
        "Row 3, column phone: 'call me' is not a phone number",
        "Row 4, column staff_code: the staff code 'NV1' is already used for this unit in row 2",
    ]
    assert not Official.objects.filter(staff_code="NV1").exists()


def test_unknown_posts_are_errors_unless_adding_missing_posts_is_asked(
    coordinator_client, cast, tmp_path
):
    rows = [
        ["full_name", "staff_category", "post"],
        ["Trần Thị Hoa", "civil servant", "Chuyên viên"],
        ["Lê Văn Nam", "civil servant", "chuyen vien"],
    ]
    path = write_xlsx(tmp_path, rows)

    strict = upload(coordinator_client, officials_url(cast.a.ward), path)
    assert errors_of(strict)[0] == (
        "Row 2, column post: no post named 'Chuyên viên' in the catalogue of Phường Tây Hồ "
        "or of a unit above it"
    )
    assert not Official.objects.filter(full_name="Trần Thị Hoa").exists()

    lenient = upload(
        coordinator_client, officials_url(cast.a.ward), path, create_missing_posts="on"
    )
    assert lenient.context["result"].created == 2
    post = Post.objects.get(name="Chuyên viên")
    assert post.unit == cast.a.ward
    assert set(post.officials.values_list("full_name", flat=True)) == {"Trần Thị Hoa", "Lê Văn Nam"}


def test_officials_cannot_be_placed_in_units_of_another_ward(coordinator_client, cast, tmp_path):
    make_unit("Văn phòng Long Biên", parent=cast.b.ward, code="LB")
    rows = [["full_name", "staff_category", "unit_code"], ["Trần Thị Hoa", "cadre", "LB"]]

    response = upload(coordinator_client, officials_url(cast.a.ward), write_xlsx(tmp_path, rows))

    assert errors_of(response) == [
        "Row 2, column unit_code: no unit with code 'LB' exists under this unit"
    ]


# --- who may import ---------------------------------------------------------------------


@pytest.mark.parametrize("page", [structure_url, officials_url])
def test_manager_of_ward_a_gets_404_importing_into_ward_b(client, cast, tmp_path, page):
    client.force_login(cast.a.head)

    assert client.get(page(cast.b.ward)).status_code == 404
    path = write_xlsx(tmp_path, NESTED_TREE)
    assert upload(client, page(cast.b.ward), path).status_code == 404
    assert not OrgUnit.objects.filter(code="VP").exists()


@pytest.mark.parametrize("page", [structure_url, officials_url])
def test_official_role_user_gets_403(client, cast, tmp_path, page):
    client.force_login(cast.a.official_user)

    assert client.get(page(cast.a.department)).status_code == 403
    path = write_xlsx(tmp_path, NESTED_TREE)
    assert upload(client, page(cast.a.department), path).status_code == 403
    assert not OrgUnit.objects.filter(code="VP").exists()


def test_anonymous_users_are_sent_to_log_in(client, cast):
    response = client.get(structure_url(cast.a.ward))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_import_page_has_a_labelled_file_input_and_template_links(coordinator_client, cast):
    page = coordinator_client.get(officials_url(cast.a.ward)).content.decode()

    assert 'accept=".xlsx,.csv"' in page
    assert '<label for="id_file">' in page
    assert reverse("imports:template_download", args=["officials", "xlsx"]) in page
    assert 'name="dry_run"' in page


def test_audit_events_record_the_importer(coordinator_client, cast, tmp_path):
    upload(coordinator_client, structure_url(cast.a.ward), write_xlsx(tmp_path, NESTED_TREE))
    rows = [
        ["staff_code", "full_name", "staff_category", "unit_code"],
        ["NV1", "Hoa", "cadre", "VP"],
    ]
    upload(coordinator_client, officials_url(cast.a.ward), write_xlsx(tmp_path, rows))

    events = AuditEvent.objects.filter(actor=cast.a.coordinator)
    assert events.filter(content_type__model="orgunit").count() == 4
    official = Official.objects.get(staff_code="NV1")
    event = events.get(content_type__model="official")
    assert event.object_pk == str(official.pk)
    assert event.additional_data["unit_path"] == official.unit.path


def test_the_action_records_the_actor_without_a_request(cast, tmp_path):
    from civility.orgs.actions import import_structure

    with (tmp_path / "t.xlsx").open("wb") as out:
        out.write(write_xlsx(tmp_path, NESTED_TREE).read_bytes())
    table = imports.read_table(io.BytesIO((tmp_path / "t.xlsx").read_bytes()), "t.xlsx")

    result = import_structure(actor=cast.city_coordinator, root=cast.a.ward, table=table)

    assert result.created == 4
    assert AuditEvent.objects.filter(actor=cast.city_coordinator).count() == 4


# --- templates --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["structure", "officials"])
def test_xlsx_templates_open_with_vietnamese_headers_help_and_dropdowns(coordinator_client, kind):
    response = coordinator_client.get(reverse("imports:template_download", args=[kind, "xlsx"]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.title for column in imports.COLUMNS[kind]]
    assert sheet["A1"].comment is not None
    assert sheet.data_validations.dataValidation
    assert "Help" in workbook.sheetnames
    help_keys = [row[1] for row in workbook["Help"].iter_rows(min_row=2, values_only=True)]
    assert [c.key for c in imports.COLUMNS[kind]] == help_keys[: len(imports.COLUMNS[kind])]


def test_structure_templates_import_back_as_downloaded(coordinator_client, cast, tmp_path):
    for extension in ("xlsx", "csv"):
        url = reverse("imports:template_download", args=["structure", extension])
        path = tmp_path / f"structure.{extension}"
        path.write_bytes(coordinator_client.get(url).content)

        response = upload(coordinator_client, structure_url(cast.a.ward), path)

        assert response.context["result"].errors == [], extension
    example = OrgUnit.objects.get(code="VP")
    assert (example.kind, example.parent) == (UnitKind.DEPARTMENT, cast.a.ward)
    assert example.valid_from == datetime.date(2025, 7, 1)


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_officials_templates_filled_in_are_accepted(coordinator_client, cast, tmp_path, extension):
    make_unit("Văn phòng", parent=cast.a.ward, code="VP")
    make_post("Chuyên viên", unit=cast.a.ward)
    url = reverse("imports:template_download", args=["officials", extension])
    path = tmp_path / f"officials.{extension}"
    path.write_bytes(coordinator_client.get(url).content)
    if extension == "xlsx":
        workbook = openpyxl.load_workbook(path)
        workbook.worksheets[0].append(
            ["NV9", "Lê Văn Nam", "Viên chức", "VP", "", "Có", "02/01/2024", "", ""]
        )
        workbook.save(path)

    response = upload(coordinator_client, officials_url(cast.a.ward), path)

    assert response.context["result"].errors == []
    example = Official.objects.get(staff_code="NV001")
    assert (example.unit.code, example.post.name) == ("VP", "Chuyên viên")
    assert example.post_start_date == datetime.date(2022, 3, 15)
    if extension == "xlsx":
        assert Official.objects.get(staff_code="NV9").is_leader is True


def test_unknown_template_names_are_404(coordinator_client):
    url = reverse("imports:template_download", args=["budget", "xlsx"])
    assert coordinator_client.get(url).status_code == 404
    url = reverse("imports:template_download", args=["officials", "pdf"])
    assert coordinator_client.get(url).status_code == 404
