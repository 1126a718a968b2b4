"""Dossier statistics imported or pushed per service point and period; what Civility shows of
Decision 766/QĐ-TTg's figures, and its own public-report indicator kept apart from them."""

from __future__ import annotations

import datetime
import io
import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from civility.feedback.actions import RatingInput, record_ratings, rollup_days
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


def _closed_reports(client, point, cast):
    """Two public-place reports closed at ward A, one late; the first reporter satisfied."""
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
    return staff


def test_public_place_reports_are_civilitys_own_indicator_never_a_decision_766_rate(
    client, point, cast
):
    """Decision 766/QĐ-TTg's satisfaction rates count feedback and petitions about
    administrative procedures filed through the portals (Decision 31/2021 Art. 43); reports
    about conduct in public places are not that feedback, so Civility shows those two rates
    as the portal's and keeps its report figures apart."""
    staff = _closed_reports(client, point, cast)

    body = staff.get("/api/v1/feedback/figures", {"unit_id": cast.a.ward.pk}).json()

    handling = body["public_report_handling"]
    assert (handling["reports_closed"], handling["reports_closed_on_time"]) == (2, 1)
    assert (handling["on_time_rate"], handling["handling_satisfaction_rate"]) == (50.0, 100.0)
    rates = {rate["key"]: rate for rate in body["decision_766"]["satisfaction_rates"]}
    for key in ("petitions_on_time", "petition_handling_satisfaction"):
        assert rates[key]["available"] is False
        assert (rates[key]["rate"], rates[key]["part"], rates[key]["whole"]) == (None,) * 3
        assert rates[key]["source"] == ("Not available in Civility: from the public-service portal")


def test_decision_766_procedure_satisfaction_and_dossier_figures_come_from_counters_and_imports(
    client, point
):
    record_ratings(
        counter=point.counter,
        ratings=[RatingInput(client_id=uuid.uuid4(), level=level) for level in (1, 1, 2, 5)],
        channel="kiosk",
    )
    rollup_days(days=[timezone.localdate()])
    today = timezone.localdate()
    DossierStat.objects.create(
        unit=point.point, period_start=today.replace(day=1), period_end=today.replace(day=1),
        received=40, processed=20, early=5, on_time=10, late=5, online=10,
    )  # fmt: skip
    client.force_login(point.head)

    d766 = client.get("/api/v1/feedback/figures", {"unit_id": point.point.pk}).json()[
        "decision_766"
    ]

    procedure = {rate["key"]: rate for rate in d766["satisfaction_rates"]}["procedure_satisfaction"]
    assert procedure["available"] is True
    assert (procedure["part"], procedure["whole"], procedure["rate"]) == (3, 4, 75.0)
    assert (d766["dossier_on_time_rate"], d766["online_share"]) == (75.0, 25.0)


def test_the_overview_labels_report_rates_as_civilitys_own_and_portal_rates_as_unavailable(
    client, point, cast
):
    staff = _closed_reports(client, point, cast)

    page = staff.get("/feedback/", {"unit": cast.a.ward.pk}).content.decode()

    decision_766 = page[page.index('id="d766"') : page.index('id="report-handling"')]
    assert "Not available in Civility: from the public-service portal" in decision_766
    assert "50%" not in decision_766 and "(1/2)" not in decision_766
    assert "Public-place reports: Civility's own indicator" in page
    own = page[page.index('id="report-handling"') :]
    assert "50%" in own and "100%" in own
