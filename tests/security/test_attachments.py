"""docs/security.md, attachments: whatever people attach is stored without who made it, when
and on which computer, through every upload point, or refused with the field named."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import docx
import openpyxl
import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civility.core.attachments import OFFICE_AND_TEXT, PHOTOS_AND_PDF, clean_attachment
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit, make_user
from tests.security import files
from tests.security.files import leaks

PHOTO_FILES = {"camera.jpg": files.jpeg_with_exif, "screen.png": files.png_with_text}
PDF_FILES = {"bien-ban.pdf": files.pdf_with_metadata}
OFFICE_FILES = {
    "bao-cao.docx": files.docx_with_metadata,
    "so-lieu.xlsx": files.xlsx_with_metadata,
    "bien-ban.odt": files.odt_with_metadata,
}


def _uploads(makers: dict) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, make()) for name, make in makers.items()]


# --- What cleaning keeps and removes ------------------------------------------------------


@pytest.mark.parametrize("name", [*PHOTO_FILES, *PDF_FILES, *OFFICE_FILES])
def test_an_attachment_is_stored_without_author_dates_company_or_computer(name):
    make = {**PHOTO_FILES, **PDF_FILES, **OFFICE_FILES}[name]
    original = make()
    assert leaks(original)  # the test file does carry them
    cleaned = clean_attachment(
        SimpleUploadedFile(name, original), field="files", accept=OFFICE_AND_TEXT
    )
    assert leaks(cleaned.read()) == set()
    assert cleaned.name == name


def test_a_cleaned_pdf_gets_a_new_document_id_and_keeps_its_pages_and_comments():
    original = files.pdf_with_metadata()
    cleaned = clean_attachment(
        SimpleUploadedFile("a.pdf", original), field="files", accept=PHOTOS_AND_PDF
    ).read()
    assert files.pdf_id(cleaned) != files.pdf_id(original)
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 1
        assert str(pdf.pages[0].Annots[0].Contents) == "Xem lại"
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root


def test_a_cleaned_word_or_excel_file_still_opens_with_its_content_pictures_and_comments():
    word = clean_attachment(
        SimpleUploadedFile("a.docx", files.docx_with_metadata()), field="f", accept=OFFICE_AND_TEXT
    )
    document = docx.Document(word)
    assert document.paragraphs[0].text == "Biên bản làm việc."
    assert len(document.inline_shapes) == 1 and document.core_properties.author == ""
    sheet = clean_attachment(
        SimpleUploadedFile("a.xlsx", files.xlsx_with_metadata()), field="f", accept=OFFICE_AND_TEXT
    )
    workbook = openpyxl.load_workbook(sheet)
    assert workbook.active["A1"].value == "Số lượt"
    assert workbook.active["A1"].comment.text == "Kiểm tra"


def test_a_photo_inside_a_document_loses_its_exif_but_not_a_pixel():
    cleaned = clean_attachment(
        SimpleUploadedFile("a.docx", files.docx_with_metadata()), field="f", accept=OFFICE_AND_TEXT
    )
    with zipfile.ZipFile(cleaned) as package:
        (media,) = [name for name in package.namelist() if name.startswith("word/media/")]
        stored = package.read(media)
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert Image.open(io.BytesIO(stored)).tobytes() == (
        Image.open(io.BytesIO(files.jpeg_with_exif())).tobytes()
    )


def _encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(files.pdf_with_metadata())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(user="mat-khau", owner="mat-khau"))
    return buffer.getvalue()


def _pdf_with_an_embedded_file() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(files.pdf_with_metadata())) as pdf:
        pdf.attachments["ghi-chu.txt"] = pikepdf.AttachedFileSpec(pdf, b"Nguyen Van Reporter")
        pdf.save(buffer)
    return buffer.getvalue()


def _word_with_macros() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(files.docx_with_metadata())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        target.writestr("word/vbaProject.bin", b"macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "accept", "reason"),
    [
        ("khoa.pdf", _encrypted_pdf, PHOTOS_AND_PDF, "protected by a password"),
        ("kem-tep.pdf", _pdf_with_an_embedded_file, PHOTOS_AND_PDF, "files embedded in it"),
        ("macro.docx", _word_with_macros, OFFICE_AND_TEXT, "contains macros"),
        ("hong.pdf", lambda: b"%PDF-1.4 broken", PHOTOS_AND_PDF, "damaged"),
        ("clip.mp4", lambda: b"\x00\x00\x00\x18ftypmp42" + bytes(64), OFFICE_AND_TEXT, "not an"),
        ("ghi-chu.txt", "Ghi chú".encode, PHOTOS_AND_PDF, "not an accepted file"),
        ("bao-cao.docx", files.docx_with_metadata, PHOTOS_AND_PDF, "not an accepted file"),
    ],
)
def test_a_file_that_cannot_be_cleaned_is_refused_naming_the_file_and_the_field(
    name, make, accept, reason
):
    with pytest.raises(ValidationError) as refused:
        clean_attachment(SimpleUploadedFile(name, make()), field="files", accept=accept)
    (message,) = refused.value.message_dict["files"]
    assert name in message and reason in message


def test_plain_text_is_accepted_where_text_is_and_binary_posing_as_text_is_not():
    text = clean_attachment(
        SimpleUploadedFile("ghi-chu.txt", "Ghi chú".encode()), field="f", accept=OFFICE_AND_TEXT
    )
    assert text.read() == "Ghi chú".encode() and text.name == "ghi-chu.txt"
    with pytest.raises(ValidationError):
        clean_attachment(
            SimpleUploadedFile("x.txt", b"\x00\x01binary"), field="f", accept=OFFICE_AND_TEXT
        )


# --- Through every upload point -----------------------------------------------------------


@dataclass
class UploadPoint:
    """A page or endpoint that stores files: `send` posts the uploads as its user would,
    `stored` returns the files it kept."""

    accepts: dict
    setup: Callable
    send: Callable
    stored: Callable


def _conduct_setup(cast):
    from civility.conduct.actions import load_catalogue_seed
    from civility.conduct.models import ViolationType

    load_catalogue_seed(actor=None, unit=cast.city)
    return {"type": ViolationType.objects.current().get(key="KTDX-1")}


def _record_create(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    response = client.post(
        "/conduct/new/",
        {
            "official": cast.a.official.pk,
            "type": ctx["type"].pk,
            "occurred_on": "2025-03-10",
            "source": "surprise_check",
            "description": "Vắng mặt.",
            "confidential": "on",
            "files": uploads,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _record_evidence_setup(cast):
    from civility.conduct.actions import report_violation

    ctx = _conduct_setup(cast)
    ctx["record"] = report_violation(
        actor=cast.a.head,
        official=cast.a.official,
        violation_type=ctx["type"],
        occurred_on=datetime.date(2025, 3, 10),
        source="surprise_check",
        description="Vắng mặt.",
    )
    return ctx


def _record_evidence(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    for upload in uploads:
        client.post(f"/conduct/{ctx['record'].pk}/evidence/", {"file": upload, "label": ""})


def _conduct_files(cast, ctx):
    from civility.conduct.models import RecordEvidence

    return [evidence.file for evidence in RecordEvidence.objects.all()]


def _anonymous_report(client, cast, ctx, uploads):
    response = client.post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {"description": "Thái độ hách dịch.", "occurred_on": "2025-03-12", "files": uploads},
    )
    assert 'id="receipt-secret"' in response.content.decode()


def _point_setup(cast):
    from civility.feedback.actions import register_device
    from civility.feedback.models import ReportCategory

    point = make_unit(
        "Điểm phục vụ", parent=cast.a.ward, kind=UnitKind.SERVICE_POINT, serves=cast.a.ward
    )
    counter = make_unit("Quầy 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy 1")
    category, _new = ReportCategory.objects.get_or_create(
        code="littering", defaults={"name": "Xả rác", "name_en": "Littering"}
    )
    return {
        "head": make_user("point_head", roles={Role.UNIT_HEAD: point}),
        "secret": secret,
        "category": category,
    }


def _public_report(client, cast, ctx, uploads):
    for upload in uploads:
        client.post(
            "/feedback/report/",
            {
                "category": ctx["category"].pk,
                "description": "Đổ rác ra lòng đường",
                "address": "Số 1 Quảng An",
                "photo_upload": upload,
            },
        )


def _open311(client, cast, ctx, uploads):
    for upload in uploads:
        response = client.post(
            "/open311/v2/requests.json",
            {
                "service_code": "littering",
                "description": "Vứt rác",
                "address_string": "Cổng chợ",
                "media": upload,
            },
        )
        assert response.status_code == 201, response.content


def _report_photos(cast, ctx):
    from civility.feedback.models import PublicReport

    return [report.photo for report in PublicReport.objects.all()]


def _case_reply(client, cast, ctx, uploads):
    from civility.feedback.models import FollowUpCase
    from tests.feedback.conftest import kiosk_headers, rating

    client.post(
        "/api/v1/feedback/kiosk/ratings",
        data=rating(level=5, contact_name="Bình", contact_phone="0912 345 678"),
        content_type="application/json",
        **kiosk_headers(ctx["secret"]),
    )
    case = FollowUpCase.objects.get()
    client.force_login(ctx["head"])
    client.post(f"/feedback/cases/{case.pk}/", {"text": "Đã xử lý.", "files": uploads})


def _case_files(cast, ctx):
    from civility.feedback.models import CaseEvidence

    return [evidence.file for evidence in CaseEvidence.objects.all()]


def _inspection_setup(cast):
    from civility.codes.actions import load_code_seed
    from civility.inspections import actions
    from civility.inspections.models import InspectionKind

    for slug in ("hanoi-522", "hanoi-1665"):
        load_code_seed(actor=None, unit=cast.city, slug=slug)
    template = actions.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    inspector = make_user("inspector_city", roles={Role.INSPECTOR: cast.city})
    inspection = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=template,
        unit=make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER),
        kind=InspectionKind.SURPRISE,
    )
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    return {"inspector": inspector, "inspection": inspection, "action": finding.actions.get()}


def _inspection_photo(client, cast, ctx, uploads):
    client.force_login(ctx["inspector"])
    for upload in uploads:
        client.post(f"/inspections/{ctx['inspection'].pk}/photos/", {"photo": upload})


def _inspection_photos(cast, ctx):
    return [photo.file for photo in ctx["inspection"].photos.all()]


def _action_response(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    response = client.post(
        f"/inspections/actions/{ctx['action'].pk}/",
        {"respond-response": "Đã thay chuông mới.", "respond-evidence": uploads},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _action_files(cast, ctx):
    return [evidence.file for evidence in ctx["action"].evidence.all()]


def _task_setup(cast):
    from civility.programmes.actions import create_programme, create_task

    programme = create_programme(
        actor=cast.city_coordinator,
        unit=cast.city,
        kind="programme",
        number="06-CTr/TU",
        title="Chương trình 06",
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
    )
    task = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Nhiệm vụ phường A",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2099, 1, 1),
    )
    return {"task": task}


def _task_progress(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    for progress, upload in enumerate(uploads, start=10):
        response = client.post(
            f"/programmes/tasks/{ctx['task'].pk}/progress/",
            {"progress": progress, "state": "in_progress", "text": "Báo cáo", "evidence": upload},
        )
        assert response.status_code == 302


def _task_files(cast, ctx):
    from civility.programmes.models import TaskUpdate

    return [update.evidence for update in TaskUpdate.objects.exclude(evidence="")]


def _campaign_setup(cast):
    from civility.codes.actions import load_code_seed, start_campaign

    code = load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    campaign = start_campaign(
        actor=cast.city_coordinator,
        version=code.published_version(),
        unit=cast.city,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    return {"campaign": campaign}


def _paper_commitment(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    for number, upload in enumerate(uploads):
        official = make_official(f"Người ký giấy {number}", unit=cast.a.department)
        response = client.post(
            f"/codes/campaigns/{ctx['campaign'].pk}/paper/",
            {
                "official": official.pk,
                "signed_on": timezone.localdate().isoformat(),
                "scan": upload,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]


def _scans(cast, ctx):
    from civility.codes.models import Commitment

    return [commitment.scan for commitment in Commitment.objects.exclude(scan="")]


def _dissemination(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    response = client.post(
        "/codes/dissemination/new/",
        {
            "kind": "meeting",
            "unit": cast.a.ward.pk,
            "held_on": timezone.localdate().isoformat(),
            "target_groups": ["officials"],
            "reached": "10",
            "attachments": uploads,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _dissemination_files(cast, ctx):
    from civility.codes.models import DisseminationAttachment

    return [attachment.file for attachment in DisseminationAttachment.objects.all()]


def _nomination_setup(cast):
    from civility.awards.actions import load_award_catalogue
    from civility.awards.eligibility import title_for

    load_award_catalogue(actor=None, unit=cast.city)
    return {"title": title_for(cast.city, "advanced-worker", 2025)}


def _nomination(client, cast, ctx, uploads):
    client.force_login(cast.a.head)
    response = client.post(
        "/awards/nominations/new/",
        {
            "title": ctx["title"].pk,
            "year": 2025,
            "official": cast.a.official.pk,
            "justification": "Hoàn thành tốt nhiệm vụ.",
            "files": uploads,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _nomination_files(cast, ctx):
    from civility.awards.models import NominationEvidence

    return [evidence.file for evidence in NominationEvidence.objects.exclude(file="")]


PHOTOS_AND_PDFS = {**PHOTO_FILES, **PDF_FILES}
DOCUMENTS = {**PHOTO_FILES, **PDF_FILES, **OFFICE_FILES}
UPLOAD_POINTS = {
    "conduct record form": UploadPoint(
        PHOTOS_AND_PDFS, _conduct_setup, _record_create, _conduct_files
    ),
    "conduct record evidence": UploadPoint(
        PHOTOS_AND_PDFS, _record_evidence_setup, _record_evidence, _conduct_files
    ),
    "anonymous report about an official": UploadPoint(
        PHOTOS_AND_PDFS, lambda cast: {}, _anonymous_report, _conduct_files
    ),
    "public-place report form": UploadPoint(
        PHOTO_FILES, _point_setup, _public_report, _report_photos
    ),
    "Open311 media": UploadPoint(PHOTO_FILES, _point_setup, _open311, _report_photos),
    "follow-up case reply": UploadPoint(PHOTOS_AND_PDFS, _point_setup, _case_reply, _case_files),
    "inspection photo": UploadPoint(
        PHOTO_FILES, _inspection_setup, _inspection_photo, _inspection_photos
    ),
    "corrective action response": UploadPoint(
        DOCUMENTS, _inspection_setup, _action_response, _action_files
    ),
    "programme task progress": UploadPoint(DOCUMENTS, _task_setup, _task_progress, _task_files),
    "paper commitment scan": UploadPoint(
        PHOTOS_AND_PDFS, _campaign_setup, _paper_commitment, _scans
    ),
    "dissemination attachments": UploadPoint(
        DOCUMENTS, lambda cast: {}, _dissemination, _dissemination_files
    ),
    "nomination evidence": UploadPoint(
        DOCUMENTS, _nomination_setup, _nomination, _nomination_files
    ),
}


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize("name", UPLOAD_POINTS)
def test_files_with_identifying_metadata_are_stored_clean_through_every_upload_point(
    client, cast, name
):
    point = UPLOAD_POINTS[name]
    ctx = point.setup(cast)
    point.send(client, cast, ctx, _uploads(point.accepts))
    stored = point.stored(cast, ctx)
    assert len(stored) == len(point.accepts)
    for field_file in stored:
        with field_file.open("rb") as handle:
            assert leaks(handle.read()) == set(), field_file.name
