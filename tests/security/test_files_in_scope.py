"""Threat: a stored file reached outside its owner's scope (issue 20, item 4: evidence and
reports answered 200 at /media/… without a session, under names anyone could guess).

Every model with a file field is probed: its direct /media/ path without a session and with
another unit's session, its scoped view as another unit (404) and as someone allowed (the
bytes, or an X-Accel-Redirect for nginx in production). The list of file fields comes from
the models, so a new one fails here until it is served through a scoped view.
"""

from __future__ import annotations

import datetime
import importlib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve
from django.utils import timezone
from PIL import Image

from civility.awards import actions as awards
from civility.awards.eligibility import title_for
from civility.codes import actions as codes
from civility.codes.models import ActivityKind, TargetGroup
from civility.conduct import actions as conduct
from civility.conduct.models import RecordEvidence, Source
from civility.core.files import is_random_name
from civility.core.models import AuditEvent, Job, JobStatus
from civility.feedback import actions as feedback
from civility.feedback import cases
from civility.feedback.actions import register_device
from civility.feedback.models import ReportCategory, ReportStatus
from civility.insights.models import ReportJob
from civility.inspections import actions as inspections
from civility.inspections.models import Inspection, InspectionKind
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from civility.programmes import actions as programmes
from civility.programmes.models import ProgrammeKind
from tests.factories import make_place, make_unit, make_user, pdf_bytes

ACCEL_PREFIX = "/protected-files/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILES_ACCEL_REDIRECT_PREFIX = ""


@dataclass
class Stored:
    file: FieldFile
    url: str  # the scoped view
    reader: object  # may open it
    outsider: object  # an official of another unit: must not
    sent_as: str  # the name it was uploaded with
    download_name: str


def _pdf(name: str = "IMG_0001.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _jpeg(name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def _inspection(cast) -> tuple[Inspection, object]:
    codes.load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    template = inspections.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    inspector = make_user("inspector_city", roles={Role.INSPECTOR: cast.city})
    counter = make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER)
    inspection = inspections.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=template,
        unit=counter,
        kind=InspectionKind.SURPRISE,
    )
    return inspection, inspector


def _corrective_action(cast):
    inspection, inspector = _inspection(cast)
    finding = inspections.record_finding(
        actor=inspector,
        inspection=inspection,
        criterion=inspection.template_version.criteria().get(ref="A6"),
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    return finding.actions.get(), inspection, inspector


def record_evidence(cast, client) -> Stored:
    record = conduct.report_violation(
        actor=cast.a.head,
        official=cast.a.official,
        occurred_on=datetime.date(2026, 11, 30),
        source=Source.SURPRISE_CHECK,
        description="Vắng mặt tại bộ phận một cửa lúc 9 giờ.",
        files=[_pdf()],
    )
    evidence = record.evidence.get()
    return Stored(
        evidence.file,
        f"/conduct/evidence/{evidence.pk}/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.pdf",
        "IMG_0001.pdf",
    )


def _public_report(cast):
    category = ReportCategory.objects.get_or_create(
        code="littering", defaults={"name": "Xả rác", "name_en": "Littering"}
    )[0]
    report, _secret = feedback.submit_report(
        data=feedback.ReportInput(
            category=category,
            description="Xả rác trước cổng chợ.",
            place=make_place("Chợ Quảng An", unit=cast.a.ward),
            photo=_jpeg(),
        )
    )
    return report


def public_report_photo(cast, client) -> Stored:
    report = _public_report(cast)
    return Stored(
        report.photo,
        f"/feedback/reports/{report.pk}/photo/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.jpg",
        f"{report.receipt}.jpg",
    )


def _answered_case(cast, client):
    center = make_unit("Trung tâm Phục vụ", parent=cast.city, kind=UnitKind.SERVICE_CENTER)
    point = make_unit("Điểm phục vụ Tây Hồ", parent=center, kind=UnitKind.SERVICE_POINT)
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    head = make_user("point_head", roles={Role.UNIT_HEAD: point})
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy tính bảng")
    response = client.post(
        "/api/v1/feedback/kiosk/ratings",
        {"client_id": str(uuid.uuid4()), "level": 5, "contact_phone": "0912345678"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    case = cases.FollowUpCase.objects.get(receipt=response.json()["case_receipt"])
    cases.reply_to_case(actor=head, case=case, text="Đã nhắc nhở.", files=[_pdf()])
    return case, head


def case_evidence(cast, client) -> Stored:
    case, head = _answered_case(cast, client)
    evidence = cases.CaseEvidence.objects.get(step__case=case)
    return Stored(
        evidence.file,
        f"/feedback/cases/files/{evidence.pk}/",
        head,
        cast.b.head,
        "IMG_0001.pdf",
        "IMG_0001.pdf",
    )


def inspection_photo(cast, client) -> Stored:
    inspection, inspector = _inspection(cast)
    photo, _created = inspections.add_photo(actor=inspector, inspection=inspection, upload=_jpeg())
    return Stored(
        photo.file,
        f"/inspections/photos/{photo.pk}/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.jpg",
        f"inspection-{inspection.pk}-photo-{photo.pk}.jpg",
    )


def action_check_photo(cast, client) -> Stored:
    action, first, inspector = _corrective_action(cast)
    revisit = inspections.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=first.template_version.template,
        unit=first.unit,
        kind=InspectionKind.SURPRISE,
    )
    inspections.check_action_on_revisit(
        actor=inspector,
        inspection=revisit,
        action=action,
        closed=False,
        note="Chuông vẫn hỏng.",
        photo=_jpeg(),
    )
    step = action.steps.exclude(photo="").get()
    return Stored(
        step.photo,
        f"/inspections/actions/steps/{step.pk}/photo/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.jpg",
        f"action-{action.pk}-check-{step.pk}.jpg",
    )


def action_evidence(cast, client) -> Stored:
    action, _inspection_, _inspector = _corrective_action(cast)
    inspections.respond_to_action(
        actor=cast.a.head, action=action, response="Đã thay chuông.", files=[_pdf()]
    )
    evidence = action.evidence.get()
    return Stored(
        evidence.file,
        f"/inspections/actions/evidence/{evidence.pk}/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.pdf",
        "IMG_0001.pdf",
    )


def task_evidence(cast, client) -> Stored:
    programme = programmes.create_programme(
        actor=cast.a.coordinator,
        unit=cast.a.ward,
        kind=ProgrammeKind.PLAN,
        number="12/KH-UBND",
        title="Kế hoạch văn hóa công sở",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    task = programmes.create_task(
        actor=cast.a.coordinator,
        programme=programme,
        title="Treo bảng quy tắc ứng xử",
        assignee_unit=cast.a.department,
        deadline=datetime.date(2026, 12, 31),
    )
    programmes.report_progress(actor=cast.a.head, task=task, progress=50, evidence=_pdf())
    update = task.updates.exclude(evidence="").get()
    return Stored(
        update.evidence,
        f"/programmes/updates/{update.pk}/evidence/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.pdf",
        "IMG_0001.pdf",
    )


def commitment_scan(cast, client) -> Stored:
    code = codes.load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    campaign = codes.start_campaign(
        actor=cast.city_coordinator,
        version=code.published_version(),
        unit=cast.city,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    commitment = codes.record_paper_commitment(
        actor=cast.a.head,
        campaign=campaign,
        official=cast.a.official,
        scan=_pdf(),
        signed_on=timezone.localdate(),
    )
    return Stored(
        commitment.scan,
        f"/codes/commitments/{commitment.pk}/scan/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.pdf",
        f"commitment-{commitment.pk}.pdf",
    )


def dissemination_attachment(cast, client) -> Stored:
    activity = codes.record_activity(
        actor=cast.a.head,
        unit=cast.a.ward,
        kind=ActivityKind.MEETING,
        target_groups=[TargetGroup.OFFICIALS],
        held_on=timezone.localdate(),
        reached=30,
        files=[_pdf()],
    )
    attachment = activity.attachments.get()
    return Stored(
        attachment.file,
        f"/codes/dissemination/files/{attachment.pk}/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.pdf",
        "IMG_0001.pdf",
    )


def nomination_evidence(cast, client) -> Stored:
    awards.load_award_catalogue(actor=None, unit=cast.city)
    nomination = awards.propose_nomination(
        actor=cast.a.head,
        title=title_for(cast.city, "advanced-worker", 2025),
        year=2025,
        official=cast.a.official,
        justification="Hoàn thành tốt nhiệm vụ.",
        files=[_pdf()],
    )
    evidence = nomination.evidence.get()
    return Stored(
        evidence.file,
        f"/awards/evidence/{evidence.pk}/",
        cast.a.head,
        cast.b.head,
        "IMG_0001.pdf",
        "IMG_0001.pdf",
    )


def _report_job(cast, kind: str) -> Stored:
    job = ReportJob.objects.create(
        unit=cast.a.ward, period_kind="half", period_start=datetime.date(2026, 7, 1)
    )
    sent_as = f"bao-cao-{cast.a.ward.pk}-2026-H2.{kind}"
    getattr(job, kind).save(sent_as, ContentFile(b"PK\x03\x04 report"), save=True)
    return Stored(
        getattr(job, kind),
        f"/insights/reports/{job.pk}/{kind}/",
        cast.a.coordinator,
        cast.b.coordinator,
        sent_as,
        f"bao-cao-{job.period.slug}.{kind}",
    )


def report_docx(cast, client) -> Stored:
    return _report_job(cast, "docx")


def report_xlsx(cast, client) -> Stored:
    return _report_job(cast, "xlsx")


def job_result(cast, client) -> Stored:
    """A background job's file is its owner's alone, even within the owner's own unit."""
    job = Job.objects.create(
        kind="awards.eligibility",
        title="Eligibility",
        owner=cast.a.coordinator,
        unit=cast.a.ward,
        status=JobStatus.DONE,
        params={"file_name": "du-dieu-kien-2026.xlsx"},
    )
    sent_as = "du-dieu-kien-2026.xlsx"
    job.result_file.save(sent_as, ContentFile(b"PK\x03\x04 verdicts"), save=True)
    return Stored(
        job.result_file,
        f"/jobs/{job.pk}/file/",
        cast.a.coordinator,
        cast.b.coordinator,
        sent_as,
        "du-dieu-kien-2026.xlsx",
    )


BUILDERS: dict[str, Callable[..., Stored]] = {
    "conduct.RecordEvidence.file": record_evidence,
    "feedback.PublicReport.photo": public_report_photo,
    "feedback.CaseEvidence.file": case_evidence,
    "inspections.Photo.file": inspection_photo,
    "inspections.ActionStep.photo": action_check_photo,
    "inspections.EvidenceFile.file": action_evidence,
    "programmes.TaskUpdate.evidence": task_evidence,
    "codes.Commitment.scan": commitment_scan,
    "codes.DisseminationAttachment.file": dissemination_attachment,
    "awards.NominationEvidence.file": nomination_evidence,
    "insights.ReportJob.docx": report_docx,
    "insights.ReportJob.xlsx": report_xlsx,
    "core.Job.result_file": job_result,
}


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_file_field_of_every_model_is_probed():
    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    assert fields == set(BUILDERS)


@pytest.mark.parametrize("field", list(BUILDERS))
def test_a_stored_file_is_reached_only_through_its_scoped_view(cast, client, settings, field):
    stored = BUILDERS[field](cast, client)
    with stored.file.open("rb") as handle:
        data = handle.read()
    # Unguessable: nothing of the name it was sent with.
    assert is_random_name(stored.file.name)
    assert stored.sent_as.rsplit(".", 1)[0] not in stored.file.name

    direct = f"/media/{stored.file.name}"
    assert Client().get(direct).status_code == 404
    outsider = Client()
    outsider.force_login(stored.outsider)
    assert outsider.get(direct).status_code == 404
    assert outsider.get(stored.url).status_code == 404

    reader = Client()
    reader.force_login(stored.reader)
    response = reader.get(stored.url)
    assert response.status_code == 200
    assert _content(response) == data
    assert stored.download_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    settings.FILES_ACCEL_REDIRECT_PREFIX = ACCEL_PREFIX
    response = reader.get(stored.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == ACCEL_PREFIX + stored.file.name
    assert _content(response) == b""
    assert outsider.get(stored.url).status_code == 404


def test_media_is_not_routed_even_with_debug_on(settings):
    import civility.urls

    settings.DEBUG = True
    try:
        importlib.reload(civility.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve("/media/conduct/evidence/2026/12/IMG_0001.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(civility.urls)
        clear_url_caches()


def test_reading_a_confidential_records_evidence_is_audited(cast, client):
    stored = record_evidence(cast, client)
    client.force_login(stored.reader)
    client.get(stored.url)
    evidence = RecordEvidence.objects.get()
    assert evidence.record.confidential
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS, object_id=evidence.record_id, actor=stored.reader
    ).exists()


def test_an_anonymous_reporters_file_keeps_no_name(cast, client):
    report, _secret = conduct.file_anonymous_report(
        unit=cast.a.ward,
        description="Cán bộ gợi ý bồi dưỡng.",
        occurred_on=datetime.date(2026, 11, 30),
        files=[_pdf("Nguyen Van Minh - to cao.pdf")],
    )
    evidence = report.record.evidence.get()
    client.force_login(cast.a.head)
    response = client.get(f"/conduct/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert "Nguyen" not in response["Content-Disposition"]
    assert "Nguyen" not in evidence.file.name and evidence.filename == ""


def test_a_public_reports_photo_is_public_until_the_report_is_rejected(cast, client):
    report = _public_report(cast)
    url = f"/feedback/r/{report.receipt}/photo/"
    assert Client().get(url).status_code == 200
    assert (
        Client()
        .get(f"/open311/v2/requests/{report.receipt}.json")
        .json()[0]["media_url"]
        .endswith(url)
    )
    report.status = ReportStatus.REJECTED
    report.save(update_fields=["status"])
    assert Client().get(url).status_code == 404


def test_a_cases_evidence_reaches_the_holder_of_its_receipt_only(cast, client):
    case, _head = _answered_case(cast, client)
    evidence = cases.CaseEvidence.objects.get(step__case=case)
    assert Client().get(f"/feedback/c/{case.receipt}/files/{evidence.pk}/").status_code == 200
    assert Client().get(f"/feedback/c/ABCD-EFGH/files/{evidence.pk}/").status_code == 404


def test_files_stored_under_their_sent_names_are_renamed_once(cast, client):
    stored = record_evidence(cast, client)
    evidence = RecordEvidence.objects.get()
    storage = evidence.file.storage
    old = storage.save("conduct/evidence/2026/12/IMG_0001.pdf", ContentFile(b"%PDF-1.4 old"))
    RecordEvidence.objects.filter(pk=evidence.pk).update(file=old)

    call_command("rename_stored_files", stdout=io.StringIO())

    evidence.refresh_from_db()
    assert is_random_name(evidence.file.name) and evidence.file.name.startswith(
        "conduct/evidence/2026/12/"
    )
    assert not storage.exists(old)
    with evidence.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 old"
    assert evidence.download_name == stored.download_name
    output = io.StringIO()
    call_command("rename_stored_files", stdout=output)
    assert output.getvalue() == ""
