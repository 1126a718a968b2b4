"""Dossier statistics imported or pushed per service point and period; Decision 766 rates."""

from __future__ import annotations

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from civility.feedback.models import DossierStat, PublicReport

JULY = {"period_start": "2025-07-01", "period_end": "2025-07-31"}


def test_figures_pushed_by_api_are_stored_and_replaced(client, point):
    client.force_login(point.head)
    row = {"unit_id": point.point.pk, **JULY, "received": 120, "processed": 100, "early": 30,
           "on_time": 60, "late": 10, "online": 48}  # fmt: skip

    first = client.put("/api/v1/feedback/dossier-stats", [row], content_type="application/json")
    second = client.put(
        "/api/v1/feedback/dossier-stats",
        [{**row, "late": 5, "processed": 95}],
        content_type="application/json",
        HTTP_X_CSRFTOKEN="x",
    )

    assert first.json() == {"created": 1, "updated": 0}
    assert second.json() == {"created": 0, "updated": 1}
    stat = DossierStat.objects.get()
    assert (stat.processed, stat.late, stat.online_share()) == (95, 5, 0.4)


def test_inconsistent_figures_are_refused_with_the_field_named(client, point):
    client.force_login(point.head)
    row = {"unit_id": point.point.pk, **JULY, "received": 10, "processed": 5, "early": 3,
           "on_time": 3, "late": 1, "online": 2}  # fmt: skip
    response = client.put("/api/v1/feedback/dossier-stats", [row], content_type="application/json")

    assert response.status_code == 422
    assert response.json()["field"] == "processed"
    assert not DossierStat.objects.exists()


def test_figures_for_a_unit_outside_the_scope_are_404(client, point, cast):
    client.force_login(cast.b.head)
    row = {"unit_id": point.point.pk, **JULY, "received": 1, "processed": 1, "early": 1,
           "on_time": 0, "late": 0, "online": 0}  # fmt: skip
    response = client.put("/api/v1/feedback/dossier-stats", [row], content_type="application/json")
    assert response.status_code == 404


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("figures.xlsx", buffer.getvalue())


HEADER = ["unit_code", "period_start", "period_end", "received", "processed", "early",
          "on_time", "late", "online"]  # fmt: skip


def test_a_spreadsheet_import_names_the_bad_row_and_changes_nothing(client, point):
    client.force_login(point.head)
    upload = _xlsx(
        [
            HEADER,
            ["SP-00091", datetime.date(2025, 7, 1), datetime.date(2025, 7, 31), 10, 8, 2, 5, 1, 3],
            ["SP-00091", datetime.date(2025, 8, 1), datetime.date(2025, 8, 31), 10, 8, 2, 5, 1, 30],
        ]
    )
    response = client.post("/feedback/dossiers/", {"file": upload})

    assert "Row 3: More dossiers received online than received." in response.content.decode()
    assert not DossierStat.objects.exists()


def test_a_spreadsheet_import_stores_every_row(client, point):
    client.force_login(point.head)
    upload = _xlsx(
        [
            HEADER,
            ["SP-00091", datetime.date(2025, 7, 1), datetime.date(2025, 7, 31), 10, 8, 2, 5, 1, 3],
            ["SP-00091", "2025-08-01", "2025-08-31", 12, 12, 2, 10, 0, 6],
        ]
    )
    response = client.post("/feedback/dossiers/", {"file": upload})

    assert response.status_code == 302
    assert DossierStat.objects.count() == 2


def test_decision_766_rates_come_from_civilitys_own_records(client, point, cast):
    secrets = []
    for _ in range(2):
        filed = client.post(
            f"/feedback/place/{point.market.pk}/",
            {"category": point.littering.pk, "description": "Rác"},
        )
        secrets.append(re.search(r'id="receipt-secret">([^<]+)<', filed.content.decode())[1])
    first, second = PublicReport.objects.order_by("submitted_at", "pk")
    staff = client.__class__()
    staff.force_login(cast.a.head)
    for report in (first, second):
        staff.post(f"/feedback/reports/{report.pk}/accept/")
        staff.post(f"/feedback/reports/{report.pk}/close/", {"note": "Xong"})
    PublicReport.objects.filter(pk=second.pk).update(due_at=second.submitted_at)  # closed late
    client.post(first.get_public_url(), {"satisfied": "yes", "secret": secrets[0]})

    response = staff.get("/api/v1/feedback/figures", {"unit_id": cast.a.ward.pk})
    d766 = response.json()["decision_766"]

    assert (d766["reports_closed"], d766["reports_closed_on_time"], d766["on_time_rate"]) == (
        2,
        1,
        50.0,
    )
    assert d766["handling_satisfaction_rate"] == 100.0
