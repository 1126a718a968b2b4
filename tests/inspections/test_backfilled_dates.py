"""An inspection entered afterwards carries the day it took place on its record and in every
document, not the day it was submitted."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from pypdf import PdfReader

from civility.inspections import actions
from tests.inspections.conftest import answer_all_with_photos

pytestmark = pytest.mark.django_db


@pytest.fixture
def backfilled(client, cast, inspection, inspector, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC))
    answer_all_with_photos(inspection, inspector, {"A1": "no", "A7": "n/a"})
    client.force_login(inspector)
    response = client.post(f"/inspections/{inspection.pk}/submit/", {"inspected_on": "2023-10-17"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    return inspection


def test_the_docx_minutes_of_a_backfilled_inspection_show_the_inspection_date(
    client, cast, backfilled
):
    assert backfilled.is_submitted() and backfilled.inspected_on == datetime.date(2023, 10, 17)
    assert backfilled.day == datetime.date(2023, 10, 17)
    client.force_login(cast.a.head)

    english = Document(
        io.BytesIO(client.get(f"/inspections/{backfilled.pk}/report.docx?lang=en").content)
    )
    right = english.tables[0].rows[0].cells[1].text
    assert right.endswith("Hanoi, 17 October 2023")
    vietnamese = Document(
        io.BytesIO(client.get(f"/inspections/{backfilled.pk}/report.docx?lang=vi").content)
    )
    line = vietnamese.tables[0].rows[0].cells[1].text.splitlines()[2]
    assert "17" in line and "10" in line and "2023" in line and "2026" not in line


def test_the_pdf_minutes_show_the_inspection_date_too(client, cast, backfilled):
    client.force_login(cast.a.head)
    pdf = PdfReader(
        io.BytesIO(client.get(f"/inspections/{backfilled.pk}/report.pdf?lang=en").content)
    )
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "17 October 2023" in text and "December 2026" not in text


def test_an_inspection_date_in_the_future_is_refused(cast, inspection, inspector, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC))
    answer_all_with_photos(inspection, inspector, {"A1": "no", "A7": "n/a"})
    with pytest.raises(ValidationError) as error:
        actions.submit_inspection(
            actor=inspector, inspection=inspection, inspected_on=datetime.date(2026, 12, 6)
        )
    assert "inspected_on" in error.value.message_dict
    inspection.refresh_from_db()
    assert not inspection.is_submitted()
