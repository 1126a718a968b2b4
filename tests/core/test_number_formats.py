"""One number and date format per language (issue 18), on the demo data: the main pages, the
inspection minutes (.docx and PDF) and an awards decision (.docx) in Vietnamese and English
carry no decimal point in Vietnamese, no unseparated number of five digits or more, no
Vietnamese grouping or decimal comma in English, and no dd-mm-yyyy date; spreadsheet cells
stay numbers with a display format; names read family name first."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from civility.accounts.models import Profile
from civility.awards.models import AwardDecision
from civility.core.i18n import format_money, format_number, format_percent, person_name
from civility.evaluations.models import AnnualClassification, Evaluation
from civility.feedback.models import CounterDevice
from civility.insights import actions as insights
from civility.insights.models import ReportJob
from civility.insights.periods import Period
from civility.inspections.models import Inspection, InspectionStatus
from civility.orgs.models import Official, OrgUnit
from civility.programmes.models import Programme
from tests.core.number_formats import forbidden, visible_text

# Links followed from the pages below, one of each shape (/units/N/ once), so that lists
# lead to their detail pages without visiting hundreds of rows.
SKIP = re.compile(r"^/(accounts|i18n|admin|api|static|media|open311|audit)/|/delete|export|\.\w+$")


def _city() -> OrgUnit:
    return OrgUnit.objects.get(parent=None, name="Thành phố Hà Nội")


def _pages() -> list[str]:
    city, tay_ho = _city(), OrgUnit.objects.get(name="Phường Tây Hồ")
    inspection = Inspection.objects.filter(status=InspectionStatus.SUBMITTED).first()
    evaluation = Evaluation.objects.exclude(points={}).order_by("pk").first()
    classification = AnnualClassification.objects.order_by("pk").first()
    decision = AwardDecision.objects.order_by("pk").first()
    return [
        "/",
        "/units/",
        f"/units/{city.pk}/",
        f"/units/{tay_ho.pk}/",
        "/officials/",
        "/feedback/",
        f"/feedback/counters/{CounterDevice.objects.order_by('pk').first().counter_id}/",
        "/insights/",
        "/inspections/",
        f"/inspections/{inspection.pk}/",
        "/evaluations/",
        f"/evaluations/{evaluation.pk}/",
        f"/evaluations/classifications/{classification.pk}/",
        "/evaluations/figures/",
        "/awards/",
        "/awards/titles/",
        "/awards/decisions/",
        f"/awards/decisions/{decision.pk}/",
        "/awards/base-salaries/",
        "/awards/nominations/",
        "/programmes/",
        f"/programmes/{Programme.objects.order_by('pk').first().pk}/",
        "/programmes/titles/",
        "/conduct/figures/",
    ]


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _streamed_docx_text(response) -> str:
    return _docx_text(b"".join(response.streaming_content))


def _periodic_report(user, language: str) -> ReportJob:
    """The city's quarterly report as the worker builds it (insights.tasks)."""
    period = Period.current("quarter")
    job = ReportJob.objects.create(
        unit=_city(),
        period_kind=period.kind,
        period_start=period.start,
        requested_by=user,
        language=language,
    )
    return insights.build_report(job=job)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def test_pages_and_documents_write_numbers_and_dates_one_way_per_language(demo):
    user = get_user_model().objects.get(username="demo_admin")
    codes = frozenset(OrgUnit.objects.exclude(code="").values_list("code", flat=True))
    inspection = Inspection.objects.filter(status=InspectionStatus.SUBMITTED).first()
    decision = AwardDecision.objects.order_by("pk").first()
    problems: list[str] = []
    visited = 0
    for language in ("vi", "en"):
        Profile.objects.update_or_create(user=user, defaults={"language": language})
        client = Client()
        client.force_login(user)
        queue, seen, shapes = _pages(), set(), set()
        fixed = len(queue)
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if len(seen) <= fixed:
                assert response.status_code == 200, url
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            found = forbidden(visible_text(page), language, codes)
            problems += [f"{language} {url}: {p}" for p in found]
            if len(seen) > fixed:
                continue  # one level of links from the main pages
            for href in re.findall(r'href="(/[^"#?]*)"', page):
                if not SKIP.search(href) and _shape(href) not in shapes:
                    shapes.add(_shape(href))
                    queue.append(href)
        visited += len(seen)
        job = _periodic_report(user, language)
        for url, read in (
            (f"/insights/reports/{job.pk}/docx/", _streamed_docx_text),
            (f"/inspections/{inspection.pk}/report.docx?lang={language}", _docx_text),
            (f"/inspections/{inspection.pk}/report.pdf?lang={language}", _pdf_text),
            (f"/awards/decisions/{decision.pk}/decision.docx?lang={language}", _docx_text),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            text = read(response) if read is _streamed_docx_text else read(response.content)
            problems += [f"{language} {url}: {p}" for p in forbidden(text, language, codes)]
    assert visited > 100
    assert problems == []


def test_numbers_percentages_and_money_in_each_language():
    with translation.override("vi"):
        assert format_number(Decimal("1234.5")) == "1.234,5"
        assert format_number(12345) == "12.345"
        assert format_percent(Decimal("75.5")) == "75,5\u00a0%"
        assert format_money(710000) == "710.000\u00a0đ"
    with translation.override("en"):
        assert format_number(Decimal("1234.5")) == "1,234.5"
        assert format_percent(75.5) == "75.5%"
        assert format_percent(Decimal("0.00")) == "0%"
        assert format_money(Decimal("1800000")) == "1,800,000\u00a0đ"


def test_a_person_is_named_family_name_first(db):
    user = get_user_model()(username="thuy", first_name="Thu Thủy", last_name="Hoàng Thị")
    assert person_name(user) == "Hoàng Thị Thu Thủy"
    assert person_name(get_user_model()(username="no_name")) == "no_name"


def test_the_inspection_minutes_name_the_team_family_name_first(demo):
    inspection = (
        Inspection.objects.filter(status=InspectionStatus.SUBMITTED, team__isnull=False)
        .distinct()
        .first()
    )
    member = inspection.team.first()
    member.first_name, member.last_name = "Thu Thủy", "Hoàng Thị"
    member.save()
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo_admin"))
    for suffix, read in (("docx", _docx_text), ("pdf", _pdf_text)):
        response = client.get(f"/inspections/{inspection.pk}/report.{suffix}?lang=vi")
        text = " ".join(read(response.content).split())
        assert "Hoàng Thị Thu Thủy" in text and "Thu Thủy Hoàng Thị" not in text


def test_spreadsheet_cells_stay_numbers_and_dates_with_a_display_format(demo):
    from openpyxl import load_workbook

    decision = AwardDecision.objects.exclude(base_salary=None).order_by("pk").first()
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo_admin"))
    response = client.get(f"/awards/decisions/{decision.pk}/decision.xlsx?lang=vi")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(max_col=2) if row[0].value}
    base = next(cell for label, cell in cells.items() if "VND" in str(label))
    assert isinstance(base.value, int | float) and base.number_format == "#,##0"
    date = next(cell for cell in cells.values() if hasattr(cell.value, "year"))
    assert date.number_format == "dd/mm/yyyy"
    assert Official.objects.exists()  # the demo was loaded


def _headers(page: str) -> list[str]:
    return [
        " ".join(visible_text(cell).split()) for cell in re.findall(r"<th\b.*?</th>", page, re.S)
    ]


def test_labels_shared_by_two_meanings_read_right_in_vietnamese(demo):
    """ "Title", "Level", "Code", "Reported" and "Report" meant two things each and took one
    Vietnamese word for both: award titles were headed "Tiêu đề", an indicator's code "Quy tắc
    ứng xử", its reporting frequency "Đã tiếp nhận", a periodic report "Biên bản"."""
    user = get_user_model().objects.get(username="demo_admin")
    Profile.objects.update_or_create(user=user, defaults={"language": "vi"})
    client = Client()
    client.force_login(user)
    titles = _headers(client.get("/awards/titles/").content.decode())
    assert "Danh hiệu" in titles and "Cấp" in titles and "Tiêu đề" not in titles
    indicators = _headers(client.get("/programmes/indicators/").content.decode())
    assert "Mã" in indicators and "Kỳ báo cáo" in indicators
    assert "Quy tắc ứng xử" not in indicators and "Đã tiếp nhận" not in indicators
    assert "Mã" in _headers(client.get("/conduct/catalogue/").content.decode())
    job = _periodic_report(user, "vi")
    report = visible_text(client.get(f"/insights/reports/{job.pk}/").content.decode())
    assert "Báo cáo (.docx)" in report and "Biên bản" not in report
    inspection = Inspection.objects.filter(status=InspectionStatus.SUBMITTED).first()
    minutes = visible_text(client.get(f"/inspections/{inspection.pk}/").content.decode())
    assert "Biên bản (.docx)" in minutes  # an inspection's minutes keep their word


def _verdicts() -> list[str]:
    """Explanations of annual levels, a leader's unit results and a kiosk flag that carry a
    share in per cent."""
    from civility.evaluations.explain import explain, unit_results_line
    from civility.feedback.models import FlagKind, RatingFlag

    over_half = {"short": 5, "items": 8, "percent": "62.5"}
    return [
        explain({"code": "criteria_over_half", "params": over_half}),
        explain({"code": "criteria_between", "params": {**over_half, "percent": "37.5"}}),
        explain({"code": "quota_excellent", "params": {"percent": 20, "cap": 1, "candidates": 3}}),
        unit_results_line(
            {"scope": "X", "subordinates": 4, "rated": 4, "not_completed": 1, "rate": "75.5"}
            | {"weight": 50, "own_tasks": "60"}
        ),
        RatingFlag(
            kind=FlagKind.TOP_SHARE,
            detail={"share": 95.0, "ratings": 12345, "peers_mean": 40.5, "peers": 3},
        ).description(),
    ]


def test_verdicts_write_per_cent_as_each_language_does():
    with translation.override("vi"):
        vi = " ".join(_verdicts())
    with translation.override("en"):
        en = " ".join(_verdicts())

    for number in ("62,5", "50", "20", "75,5", "95", "40,5"):
        assert f"{number}\u00a0%" in vi
    for shown in ("62.5%", "more than 50%", "the 20% allowed", "capped at 20%", "75.5%"):
        assert shown in en
    assert "for 50% of the task points" in en and "95% top ratings of 12,345" in en
    assert "%%" not in vi + en and "per cent" not in vi + en
    assert not re.search(r"\d%", vi) and not re.search(r"\d \d|\d\s%\s", en)
