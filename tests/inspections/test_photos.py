"""Photos: JPEG, PNG and HEIC up to 10 MB; anything else refused; metadata removed."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civility.inspections.models import Photo
from tests.inspections.conftest import photo_bytes

GPS_IFD = 0x8825


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:02 08:15:00"  # DateTime
    exif[0x0112] = 1  # orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (21.0, 1.0, 41.0)
    gps[3] = "E"
    gps[4] = (105.0, 51.0, 12.0)
    return exif


def _upload(client, inspection, data, name, criterion=None, client_id=None):
    payload = {"photo": SimpleUploadedFile(name, data)}
    if criterion is not None:
        payload["criterion_id"] = str(criterion.pk)
    if client_id is not None:
        payload["client_id"] = str(client_id)
    return client.post(f"/api/v1/inspections/{inspection.pk}/photos", payload)


def _stored(photo: Photo) -> Image.Image:
    with photo.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_location_and_camera_metadata_are_removed_from_a_jpeg(client, inspection, inspector):
    original = photo_bytes("JPEG", exif=_exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test photo has GPS
    client.force_login(inspector)
    a1 = inspection.template_version.criteria().get(ref="A1")
    response = _upload(client, inspection, original, "IMG_0001.JPG", criterion=a1)
    assert response.status_code == 201, response.content
    photo = Photo.objects.get()
    stored = _stored(photo)
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0 and not stored.getexif().get_ifd(GPS_IFD)
    assert "exif" not in stored.info
    with photo.file.open("rb") as handle:
        raw = handle.read()
    assert b"PhoneMaker" not in raw and b"Exif" not in raw
    assert (photo.width, photo.height, photo.criterion) == (40, 30, a1)


def test_png_text_chunks_are_removed(client, inspection, inspector):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "21.0285,105.8542")
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 128)).save(buffer, format="PNG", pnginfo=info)
    client.force_login(inspector)
    assert _upload(client, inspection, buffer.getvalue(), "screen.png").status_code == 201
    stored = _stored(Photo.objects.get())
    assert stored.format == "PNG" and "Location" not in stored.info
    assert stored.mode == "RGBA"


def test_heic_photos_are_accepted_and_stored_as_jpeg_without_metadata(
    client, inspection, inspector
):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, format="HEIF", exif=_exif_with_gps().tobytes())
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(GPS_IFD)
    client.force_login(inspector)
    response = _upload(client, inspection, buffer.getvalue(), "IMG_0002.HEIC")
    assert response.status_code == 201, response.content
    photo = Photo.objects.get()
    assert photo.original_format == "HEIF" and photo.file.name.endswith(".jpg")
    stored = _stored(photo)
    assert stored.format == "JPEG" and len(stored.getexif()) == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 not a photo", "scan.pdf"),
        (b"hello", "photo.jpg"),  # a name is not enough
        (photo_bytes("GIF"), "anim.gif"),
        (photo_bytes("WEBP"), "photo.webp"),
    ],
)
def test_other_files_are_refused_with_a_message(client, inspection, inspector, data, name):
    client.force_login(inspector)
    response = _upload(client, inspection, data, name)
    assert response.status_code == 422
    assert "Only JPEG, PNG or HEIC photos are accepted" in response.json()["message"]
    assert not Photo.objects.exists()


def test_photos_over_ten_megabytes_are_refused(client, inspection, inspector):
    client.force_login(inspector)
    big = photo_bytes("PNG") + b"\0" * (10 * 1024 * 1024)
    response = _upload(client, inspection, big, "big.png")
    assert response.status_code == 422 and "larger than 10 MB" in response.json()["message"]


def test_the_same_photo_sent_twice_is_stored_once(client, inspection, inspector):
    client.force_login(inspector)
    client_id = uuid.uuid4()
    first = _upload(client, inspection, photo_bytes(), "a.jpg", client_id=client_id)
    second = _upload(client, inspection, photo_bytes(), "a.jpg", client_id=client_id)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False and Photo.objects.count() == 1


def test_the_page_form_uploads_a_photo_and_shows_refusals(client, inspection, inspector):
    client.force_login(inspector)
    a6 = inspection.template_version.criteria().get(ref="A6")
    response = client.post(
        f"/inspections/{inspection.pk}/photos/",
        {"photo": SimpleUploadedFile("bell.jpg", photo_bytes()), "criterion": a6.pk},
        follow=True,
    )
    assert "Photo saved." in response.content.decode()
    response = client.post(
        f"/inspections/{inspection.pk}/photos/",
        {"photo": SimpleUploadedFile("bell.txt", b"text"), "criterion": a6.pk},
        follow=True,
    )
    assert "Only JPEG, PNG or HEIC photos are accepted" in response.content.decode()
    assert Photo.objects.filter(criterion=a6).count() == 1
