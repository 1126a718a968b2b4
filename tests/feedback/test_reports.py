"""Public-place reports: receipt, routing to the responsible commune, triage, public status."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civility.feedback.models import PublicReport, ReportStatus


def send(client, point, **fields):
    data = {"category": point.littering.pk, "description": "Đổ rác ra lòng đường", **fields}
    return client.post("/feedback/report/", data)


def secret_of(filed) -> str:
    """The secret shown once on the page that answers the filing."""
    return re.search(r'id="receipt-secret">([^<]+)<', filed.content.decode())[1]


def test_a_report_from_a_places_qr_page_goes_to_that_places_commune(client, point, cast):
    response = client.post(
        f"/feedback/place/{point.market.pk}/",
        {"category": point.littering.pk, "description": "Vứt rác ở cổng chợ"},
    )

    report = PublicReport.objects.get()
    assert response.status_code == 200
    assert f'id="receipt-code">{report.receipt}<' in response.content.decode()
    assert report.unit == cast.a.ward and report.place == point.market
    assert report.status == ReportStatus.NEW


def test_a_map_point_goes_to_the_commune_of_the_nearest_place(client, point, cast):
    send(client, point, latitude="21.040500", longitude="105.860300")
    assert PublicReport.objects.get().unit == cast.b.ward


def test_a_point_far_from_any_place_goes_to_the_city_for_reassignment(client, point, cast):
    send(client, point, latitude="20.000000", longitude="105.000000")
    report = PublicReport.objects.get()
    assert report.unit == cast.city

    client.force_login(cast.city_coordinator)
    client.post(f"/feedback/reports/{report.pk}/reassign/", {"unit": cast.b.ward.pk})
    report.refresh_from_db()
    assert report.unit == cast.b.ward


def test_a_report_needs_a_place_a_point_or_an_address(client, point):
    response = send(client, point)
    assert "Choose a place, a point on the map or an address." in response.content.decode()
    assert not PublicReport.objects.exists()


def test_the_receipt_page_shows_status_and_public_notes_but_never_the_reporter(client, point, cast):
    send(
        client,
        point,
        place=point.market.pk,
        contact_name="Trần Văn Dân",
        contact_email="dan@example.vn",
    )
    report = PublicReport.objects.get()
    staff = client.__class__()
    staff.force_login(cast.a.head)
    staff.post(f"/feedback/reports/{report.pk}/accept/", {"note": "Đã giao tổ công tác"})
    staff.post(f"/feedback/reports/{report.pk}/note/", {"note": "Ghi chú nội bộ"})
    staff.post(f"/feedback/reports/{report.pk}/close/", {"note": "Đã dọn sạch và nhắc nhở"})

    lookup = client.post("/feedback/r/", {"code": report.receipt.replace("-", "").lower()})
    page = client.get(lookup["Location"])
    text = page.content.decode()

    assert "Closed" in text
    assert "Đã giao tổ công tác" in text and "Đã dọn sạch và nhắc nhở" in text
    assert "Ghi chú nội bộ" not in text
    assert "Trần Văn Dân" not in text and "dan@example.vn" not in text


def test_text_is_stored_as_typed_and_shown_escaped(client, point):
    send(client, point, place=point.market.pk, description="<script>alert(1)</script> & rác")
    report = PublicReport.objects.get()
    assert report.description == "<script>alert(1)</script> & rác"

    text = client.get(report.get_public_url()).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; rác" in text


def test_the_reporter_can_say_whether_the_handling_satisfied_them(client, point, cast):
    secret = secret_of(send(client, point, place=point.market.pk))
    report = PublicReport.objects.get()
    client.post(report.get_public_url(), {"satisfied": "yes", "secret": secret})
    report.refresh_from_db()
    assert report.citizen_satisfied is None  # not before it is closed

    staff = client.__class__()
    staff.force_login(cast.a.head)
    staff.post(f"/feedback/reports/{report.pk}/accept/")
    staff.post(f"/feedback/reports/{report.pk}/close/", {"note": "Đã xử lý"})
    client.post(report.get_public_url(), {"satisfied": "no", "secret": secret})
    report.refresh_from_db()
    assert report.citizen_satisfied is False


def test_staff_merge_a_duplicate_and_reject_with_a_reason(client, point, cast):
    for _ in range(3):
        client.post(
            f"/feedback/place/{point.market.pk}/",
            {"category": point.littering.pk, "description": "Rác"},
        )
    first, second, third = PublicReport.objects.order_by("submitted_at", "pk")
    client.force_login(cast.a.coordinator)

    client.post(f"/feedback/reports/{second.pk}/merge/", {"into": first.receipt})
    client.post(f"/feedback/reports/{third.pk}/reject/", {"note": "Nội dung không đúng sự thật"})

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.duplicate_of) == (ReportStatus.MERGED, first)
    assert third.status == ReportStatus.REJECTED
    assert third.updates.last().note == "Nội dung không đúng sự thật"


def test_rejecting_needs_a_reason(client, point, cast):
    send(client, point, place=point.market.pk)
    report = PublicReport.objects.get()
    client.force_login(cast.a.head)

    response = client.post(f"/feedback/reports/{report.pk}/reject/", {"note": " "}, follow=True)

    assert "Give the reason for rejecting the report." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


def test_staff_of_another_commune_get_404(client, point, cast):
    send(client, point, place=point.market.pk)
    report = PublicReport.objects.get()
    client.force_login(cast.b.head)

    assert client.get(f"/feedback/reports/{report.pk}/").status_code == 404
    assert client.post(f"/feedback/reports/{report.pk}/accept/").status_code == 404
    assert report.receipt not in client.get("/feedback/reports/").content.decode()


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (21.0, 2.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_photo_location_metadata_is_removed(client, point):
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)

    send(
        client,
        point,
        place=point.market.pk,
        photo_upload=SimpleUploadedFile("p.jpg", raw, content_type="image/jpeg"),
    )

    report = PublicReport.objects.get()
    with report.photo.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert image.size == (64, 48)
    assert not image.getexif()
    assert b"PhoneMaker" not in data and b"Exif" not in data


def test_a_file_that_is_not_a_photo_is_refused(client, point):
    response = send(
        client,
        point,
        place=point.market.pk,
        photo_upload=SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg"),
    )
    assert response.status_code == 200
    assert not PublicReport.objects.exists()


def test_reports_from_one_device_are_throttled(client, point, settings):
    settings.FEEDBACK_REPORT_BURST = 2
    codes = [send(client, point, place=point.market.pk).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert PublicReport.objects.count() == 2


def test_hotspots_count_reports_by_place_kind_place_and_category(client, point, cast):
    for _ in range(2):
        send(client.__class__(), point, place=point.market.pk)
    send(client.__class__(), point, address="Phố Quảng An")
    client.force_login(cast.a.head)

    page = client.get("/feedback/hotspots/", {"unit": cast.city.pk})
    assert page.status_code == 404  # the city is outside a ward head's scope

    page = client.get("/feedback/hotspots/", {"unit": cast.a.ward.pk})
    spots = page.context["spots"]
    assert spots["by_kind"] == [("Market", 2)]
    assert [(row["place__name"], row["n"]) for row in spots["by_place"]] == [("Chợ Quảng An", 2)]
    assert [(row["category__code"], row["n"]) for row in spots["by_category"]] == [("littering", 2)]


def test_coordinates_are_stored_as_decimal(client, point):
    send(client, point, latitude="21.040500", longitude="105.860300")
    assert PublicReport.objects.get().latitude == Decimal("21.040500")
