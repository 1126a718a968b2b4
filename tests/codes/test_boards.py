"""Printable code boards: the PDF carries the Vietnamese provisions and a QR that opens the
right page."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from pypdf import PdfReader

from civility.orgs.models import UnitKind
from tests.factories import make_place, make_unit


@pytest.fixture
def counter(cast):
    return make_unit("Bộ phận Một cửa phường Tây Hồ", parent=cast.a.ward, kind=UnitKind.COUNTER)


def read_pdf(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())  # lines wrap wherever the layout put them


def decode_qr(reader: PdfReader) -> str:
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    results = zxingcpp.read_barcodes(images[0].image)
    assert len(results) == 1 and results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def test_counter_board_shows_key_provisions_in_vietnamese(client, cast, codes, counter):
    client.force_login(cast.a.head)
    response = client.get(f"/codes/boards/counter/{counter.pk}.pdf?size=A4")
    assert response["Content-Type"] == "application/pdf"
    reader, text = read_pdf(response.content)
    assert len(reader.pages) == 1
    for title in ("Thời gian làm việc", "Trang phục, tác phong", "Giao tiếp, ứng xử với nhân dân"):
        assert title in text
    assert "Gây phiền hà, sách nhiễu, đòi hỏi quà biếu" in text
    assert "Bộ phận Một cửa phường Tây Hồ" in text
    assert "Quy tắc ứng xử của cán bộ, công chức, viên chức" in text


def test_counter_board_qr_opens_the_counters_feedback_page(client, cast, codes, counter):
    client.force_login(cast.a.head)
    reader, _ = read_pdf(client.get(f"/codes/boards/counter/{counter.pk}.pdf").content)
    assert decode_qr(reader) == f"http://testserver/feedback/counter/{counter.pk}/"


def test_place_board_is_a3_with_the_public_place_code(client, cast, codes):
    market = make_place("Chợ Quảng An", unit=cast.a.ward)
    client.force_login(cast.a.coordinator)
    response = client.get(f"/codes/boards/place/{market.pk}.pdf?size=A3")
    reader, text = read_pdf(response.content)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (842, 1191)  # A3 in points
    assert "Những việc nên làm" in text and "Những việc không nên làm" in text
    assert "Xả rác bừa bãi." in text
    assert "Chợ Quảng An" in text
    assert decode_qr(reader) == f"http://testserver/feedback/place/{market.pk}/"


def test_board_can_be_printed_in_english(client, cast, codes, counter):
    client.force_login(cast.a.head)
    _, text = read_pdf(client.get(f"/codes/boards/counter/{counter.pk}.pdf?lang=en").content)
    assert "Working time" in text


def test_board_of_a_counter_in_another_ward_is_404(client, cast, codes, counter):
    client.force_login(cast.b.head)
    assert client.get(f"/codes/boards/counter/{counter.pk}.pdf").status_code == 404


def test_board_index_lists_counters_and_places_in_scope(client, cast, codes, counter):
    make_place("Chợ Long Biên", unit=cast.b.ward)
    make_place("Chợ Quảng An", unit=cast.a.ward)
    client.force_login(cast.a.head)
    html = client.get("/codes/boards/").content.decode()
    assert f"/codes/boards/counter/{counter.pk}.pdf" in html
    assert "Chợ Quảng An" in html and "Chợ Long Biên" not in html


def test_service_point_board_qr_opens_the_public_code_page(client, cast, codes):
    point = make_unit("Điểm Phục vụ Tây Hồ", parent=cast.a.ward, kind=UnitKind.SERVICE_POINT)
    client.force_login(cast.a.head)
    reader, _ = read_pdf(client.get(f"/codes/boards/counter/{point.pk}.pdf").content)
    assert decode_qr(reader) == "http://testserver/c/hanoi-522/"
