"""Follow-up cases: a dissatisfied rating with contact details opens a case at the service
point; the reply must carry evidence before the case closes; the citizen, with the receipt
code, says whether it settled the matter; overdue cases go to the level above."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civility.feedback import cases
from civility.feedback.models import CaseEvidence, CaseStatus, FollowUpCase, ServiceRating, StepKind
from civility.orgs.scopes import Role
from tests.factories import make_user, pdf_bytes
from tests.feedback.conftest import kiosk_headers, rating

CONTACT = {"contact_name": "Trần Văn Bình", "contact_phone": "0912 345 678"}


def _kiosk(client, point, **fields):
    return client.post(
        "/api/v1/feedback/kiosk/ratings",
        data=rating(**fields),
        content_type="application/json",
        **kiosk_headers(point.secret),
    )


def _opened_case(client, point) -> tuple[FollowUpCase, str]:
    """A case and the secret the kiosk showed with its receipt."""
    response = _kiosk(client, point, level=5, **CONTACT)
    assert response.status_code == 201
    data = response.json()
    return FollowUpCase.objects.get(receipt=data["case_receipt"]), data["case_secret"]


def _case(client, point) -> FollowUpCase:
    return _opened_case(client, point)[0]


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _photo():
    return SimpleUploadedFile("proof.jpg", _jpeg_with_gps(), content_type="image/jpeg")


# --- opening ----------------------------------------------------------------------------------


def test_a_dissatisfied_kiosk_rating_with_contact_opens_a_case_with_a_receipt(client, point):
    response = _kiosk(client, point, level=4, **CONTACT)

    assert response.status_code == 201
    receipt = response.json()["case_receipt"]
    case = FollowUpCase.objects.get()
    assert case.receipt == receipt and len(receipt) == 9 and receipt[4] == "-"
    assert case.unit == point.point and case.counter == point.counter
    assert case.channel == "kiosk" and case.contact_phone == "0912 345 678"
    rating_row = ServiceRating.objects.get()
    assert case.rating_id == rating_row.pk and case.rated_on == rating_row.rated_on
    # The contact lives on the case only, never on the rating.
    assert "0912" not in str(ServiceRating.objects.values().get())
    assert case.due_at - case.opened_at == datetime.timedelta(days=5)


def test_a_retried_rating_gets_its_case_back_and_opens_no_second_one(client, point):
    payload = rating(level=5, **CONTACT)
    first = client.post(
        "/api/v1/feedback/kiosk/ratings",
        data=payload,
        content_type="application/json",
        **kiosk_headers(point.secret),
    )
    again = client.post(
        "/api/v1/feedback/kiosk/ratings",
        data=payload,
        content_type="application/json",
        **kiosk_headers(point.secret),
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["case_receipt"] == first.json()["case_receipt"]
    assert FollowUpCase.objects.count() == 1


def test_a_satisfied_rating_or_one_without_contact_opens_no_case(client, point):
    assert _kiosk(client, point, level=1, **CONTACT).json()["case_receipt"] == ""
    assert _kiosk(client, point, level=5).json()["case_receipt"] == ""
    assert not FollowUpCase.objects.exists()


def test_bad_contact_details_are_refused_naming_the_field(client, point):
    response = _kiosk(client, point, level=5, contact_phone="call me")
    assert response.status_code == 422
    assert "contact_phone" in response.content.decode()
    response = _kiosk(client, point, level=5, contact_email="not-an-address")
    assert response.status_code == 422 and "contact_email" in response.content.decode()
    response = _kiosk(client, point, level=5, contact_name="Only a name")
    assert response.status_code == 422 and "contact_phone" in response.content.decode()
    assert not ServiceRating.objects.exists()


def test_a_batch_opens_cases_for_its_dissatisfied_items_only(client, point):
    response = client.post(
        "/api/v1/feedback/kiosk/ratings/batch",
        data={"ratings": [rating(level=5, **CONTACT), rating(level=2, **CONTACT), rating(3)]},
        content_type="application/json",
        **kiosk_headers(point.secret),
    )
    assert response.status_code == 200
    receipts = [item["case_receipt"] for item in response.json()["results"]]
    assert receipts[0] and receipts[1:] == ["", ""]
    assert FollowUpCase.objects.count() == 1


def test_the_qr_page_shows_the_contact_fields_and_the_receipt(
    client_factory, point, django_capture_on_commit_callbacks
):
    phone = client_factory()
    page = phone.get(f"/feedback/counter/{point.counter.pk}/").content.decode()
    assert 'data-dissatisfied="4 5"' in page and 'name="contact_phone"' in page
    assert "feedback/rating.js" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            f"/feedback/counter/{point.counter.pk}/",
            {"client_id": str(uuid.uuid4()), "level": 5, "contact_email": "binh@example.vn"},
        )
    case = FollowUpCase.objects.get()
    assert case.channel == "qr" and case.contact_email == "binh@example.vn"
    assert case.receipt in response.content.decode()
    assert mail.outbox and case.receipt in mail.outbox[0].body  # sent at commit


def test_a_dossier_rating_with_contact_opens_a_case_on_the_dossier_channel(client, point):
    client.post(
        "/feedback/rate/",
        {
            "client_id": str(uuid.uuid4()),
            "counter": point.counter.pk,
            "level": 4,
            "dossier_code": "H26.58-250701-0001",
            **CONTACT,
        },
    )
    assert FollowUpCase.objects.get().channel == "dossier"


# --- the evidence rule --------------------------------------------------------------------------


def test_a_case_cannot_be_closed_without_evidence(client, point):
    case = _case(client, point)
    cases.reply_to_case(actor=point.head, case=case, text="We spoke to the official.")

    with pytest.raises(ValidationError) as error:
        cases.close_case(actor=point.head, case=case)
    assert "files" in error.value.message_dict
    with pytest.raises(ValidationError):
        cases.reply_to_case(actor=point.head, case=case, text="Closed.", close=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_page_refuses_to_close_without_evidence(client, point):
    case = _case(client, point)
    client.force_login(point.head)
    response = client.post(f"/feedback/cases/{case.pk}/", {"text": "Done.", "close": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    page = client.get(f"/feedback/cases/{case.pk}/").content.decode()
    assert "Attach a document or a photo" in page


def test_a_reply_with_a_photo_closes_the_case_and_the_photo_loses_its_metadata(client, point):
    case = _case(client, point)
    client.force_login(point.head)
    response = client.post(
        f"/feedback/cases/{case.pk}/",
        {
            "text": "The official apologised; see the signed note.",
            "files": [_photo()],
            "close": "1",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    evidence = CaseEvidence.objects.get()
    with evidence.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert not image.getexif()


def test_a_pdf_is_accepted_as_evidence_and_other_files_are_refused(point, client):
    case = _case(client, point)
    with pytest.raises(ValidationError) as error:
        cases.reply_to_case(
            actor=point.head,
            case=case,
            text="x",
            files=[SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/x")],
        )
    assert "files" in error.value.message_dict
    pdf = SimpleUploadedFile("minutes.pdf", pdf_bytes(), content_type="application/pdf")
    cases.reply_to_case(actor=point.head, case=case, text="Minutes.", files=[pdf], close=True)
    assert CaseEvidence.objects.get().filename.endswith(".pdf")


# --- the citizen's answer -----------------------------------------------------------------------


def _closed_case(client, point) -> tuple[FollowUpCase, str]:
    case, secret = _opened_case(client, point)
    cases.reply_to_case(
        actor=point.head, case=case, text="We retrained the official.", files=[_photo()]
    )
    return cases.close_case(actor=point.head, case=case), secret


def test_the_citizen_sees_the_reply_and_its_evidence_but_not_the_contact(client_factory, point):
    case, _secret = _closed_case(client_factory(), point)
    page = client_factory().get(f"/feedback/c/{case.receipt}/").content.decode()
    evidence = CaseEvidence.objects.get()
    assert "We retrained the official." in page
    assert f"/feedback/c/{case.receipt}/files/{evidence.pk}/" in page
    assert "0912" not in page and "Trần Văn Bình" not in page
    assert "Did this answer settle the matter?" in page


def test_the_receipt_lookup_finds_a_case(client, point):
    case = _case(client, point)
    response = client.post("/feedback/r/", {"code": case.receipt.replace("-", "")})
    assert response.status_code == 302 and response["Location"] == f"/feedback/c/{case.receipt}/"


def test_not_settled_reopens_the_case_and_closing_again_needs_new_evidence(client, point):
    case, secret = _closed_case(client, point)
    public = f"/feedback/c/{case.receipt}/"

    client.post(public, {"settled": "no", "secret": secret})  # a comment is required
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    client.post(public, {"settled": "no", "comment": "Nobody called me back.", "secret": secret})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.reopened == 1
    assert case.citizen_settled is False and case.closed_at is None
    assert case.steps.filter(kind=StepKind.NOT_SETTLED, text="Nobody called me back.").exists()

    with pytest.raises(ValidationError):  # the earlier evidence does not count again
        cases.close_case(actor=point.head, case=case)
    cases.reply_to_case(
        actor=point.head, case=case, text="Called on 3 May.", files=[_photo()], close=True
    )
    client.post(public, {"settled": "yes", "secret": secret.lower()})  # typed loosely
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.citizen_settled is True


def test_the_citizen_cannot_answer_before_the_case_is_answered(client, point):
    case = _case(client, point)
    with pytest.raises(ValidationError):
        cases.answer_case(case=case, secret="", settled=True)


# --- scope ------------------------------------------------------------------------------------


def test_staff_of_another_commune_get_404_on_the_case(client, point, cast):
    case = _case(client, point)
    client.force_login(cast.b.head)
    assert client.get(f"/feedback/cases/{case.pk}/").status_code == 404
    assert client.post(f"/feedback/cases/{case.pk}/", {"text": "x"}).status_code == 404
    assert client.post(f"/feedback/cases/{case.pk}/close/").status_code == 404
    assert case.receipt not in client.get("/feedback/cases/").content.decode()


def test_the_service_points_staff_list_and_read_the_case(client, point):
    case = _case(client, point)
    client.force_login(point.head)
    assert case.receipt in client.get("/feedback/cases/").content.decode()
    page = client.get(f"/feedback/cases/{case.pk}/").content.decode()
    assert "0912 345 678" in page


# --- escalation --------------------------------------------------------------------------------


def test_an_overdue_case_escalates_to_the_level_above_past_the_second_deadline(
    client, point, cast, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_CASE_DUE_DAYS = 5
    settings.FEEDBACK_CASE_ESCALATE_DAYS = 3
    center_head = make_user(
        "center_head", roles={Role.UNIT_HEAD: point.center}, email="head@center.vn"
    )
    case = _case(client, point)
    mail.outbox.clear()

    assert cases.escalate_overdue_cases(now=case.due_at + datetime.timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        late = case.due_at + datetime.timedelta(days=3, hours=1)
        assert cases.escalate_overdue_cases(now=late) == 1
    assert cases.escalate_overdue_cases(now=case.due_at + datetime.timedelta(days=4)) == 0

    case.refresh_from_db()
    assert case.escalated_to == point.center and case.escalated_at is not None
    assert [message.to for message in mail.outbox] == [["head@center.vn"]]
    assert case.receipt in mail.outbox[0].subject
    # In-app: the case is listed as escalated to the center's head.
    client.force_login(center_head)
    page = client.get("/feedback/cases/").content.decode()
    assert "Escalated to you" in page and case.receipt in page
    # ...and not to the service point's own head.
    client.force_login(point.head)
    assert "Escalated to you" not in client.get("/feedback/cases/").content.decode()


def test_a_closed_case_never_escalates(client, point):
    _closed_case(client, point)
    late = timezone.now() + datetime.timedelta(days=60)
    assert cases.escalate_overdue_cases(now=late) == 0


def test_the_case_list_reads_a_fixed_number_of_queries(
    client, point, django_assert_max_num_queries
):
    receipts = [_case(client, point).receipt for _ in range(6)]
    client.force_login(point.head)
    with django_assert_max_num_queries(12):
        page = client.get("/feedback/cases/").content.decode()
    assert all(receipt in page for receipt in receipts)


def test_the_citizen_is_emailed_the_receipt_and_then_the_answer(
    client_factory, point, django_capture_on_commit_callbacks
):
    phone = client_factory()
    with django_capture_on_commit_callbacks(execute=True):
        phone.post(
            f"/feedback/counter/{point.counter.pk}/",
            {"client_id": str(uuid.uuid4()), "level": 5, "contact_email": "binh@example.vn"},
        )
    case = FollowUpCase.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        cases.reply_to_case(actor=point.head, case=case, text="Done.", files=[_photo()], close=True)
    assert [m.to for m in mail.outbox] == [["binh@example.vn"], ["binh@example.vn"]]
    assert f"/feedback/c/{case.receipt}/" in mail.outbox[1].body


def test_the_demo_makes_cases_once_one_of_them_answered_with_evidence(point, cast):
    from civility.feedback import demo
    from civility.feedback.actions import RatingInput, record_ratings

    items = [RatingInput(client_id=uuid.uuid4(), level=level) for level in (5, 4, 4, 1)]
    record_ratings(counter=point.counter, ratings=items, channel="kiosk")

    assert demo._cases([point.counter], cast.admin) == 2
    assert demo._cases([point.counter], cast.admin) == 0
    statuses = sorted(FollowUpCase.objects.values_list("status", flat=True))
    assert statuses == [CaseStatus.CLOSED, CaseStatus.OPEN]
    assert CaseEvidence.objects.count() == 1
