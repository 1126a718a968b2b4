"""Dashboard, drill-down and scope, downloads, weights and periodic reports over HTTP."""

import datetime
import io

import pytest
import time_machine
from docx import Document
from openpyxl import load_workbook

from civility.insights import actions
from civility.insights.models import JobStatus, ReportJob, WeightSet
from civility.insights.periods import Period
from tests.insights.conftest import (
    counter,
    inspect,
    officials,
    rate,
    violation,
    without_minimum_samples,
)

MARCH = Period.parse("2026-03")
TODAY = datetime.date(2026, 4, 10)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def data(cast):
    a_counter, b_counter = counter(cast.a.ward), counter(cast.b.ward)
    staff_a = officials(cast.a.department, 9, prefix="Trần Thị")
    officials(cast.b.department, 19, prefix="Lê Văn")
    inspect(a_counter, "80", datetime.date(2026, 3, 5), city=cast.city)
    inspect(b_counter, "60", datetime.date(2026, 3, 2), city=cast.city)
    rate(a_counter, datetime.date(2026, 3, 3), satisfied=8, dissatisfied=2)
    rate(b_counter, datetime.date(2026, 3, 4), satisfied=3, dissatisfied=1)
    violation(staff_a[0], datetime.date(2026, 3, 10))
    without_minimum_samples(cast.city)
    actions.refresh(periods=[Period.parse("2026-02"), MARCH], today=TODAY)
    return a_counter, b_counter


def login(client, user):
    client.force_login(user)
    return client


def test_city_overview_shows_the_index_its_components_and_the_ranked_wards(client, cast, data):
    login(client, cast.city_coordinator)
    response = client.get(f"/insights/?unit={cast.city.pk}&period=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="components"' in html and "Citizens&#x27; satisfaction" in html
    assert "Mean score of the inspections submitted in the period" in html  # the method
    assert "/inspections/" in html  # where it comes from
    ranking = html[html.index('id="ranking-table"') :]
    # B has no confirmed violation, A one for 10 officials: B ranks first.
    assert ranking.index("Phường Long Biên") < ranking.index("Phường Tây Hồ")
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "chart-trend-data" in html and "cdn" not in html.lower()


def test_a_component_with_no_data_says_so_instead_of_zero(client, cast, data):
    login(client, cast.city_coordinator)
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-03").content.decode()
    row = html[html.index('data-component="tasks"') :]
    row = row[: row.index("</tr>")]
    assert "is-missing" in html[html.index('data-component="tasks"') - 40 :][:80]
    assert "no data" in row


def test_the_unit_page_drills_down_to_counters_and_officials(client, cast, data):
    login(client, cast.a.head)
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-03").content.decode()
    assert 'id="counters"' in html and "Quầy số 1" in html
    html = client.get(f"/insights/?unit={cast.a.department.pk}&period=2026-03").content.decode()
    assert "Trần Thị" in html and "Lê Văn" not in html


def test_a_commune_head_cannot_see_a_sibling_communes_page_or_officials(client, cast, data):
    login(client, cast.a.head)
    assert client.get(f"/insights/?unit={cast.b.ward.pk}").status_code == 404
    assert client.get(f"/insights/?unit={cast.b.department.pk}").status_code == 404
    assert client.get(f"/insights/export/?unit={cast.b.ward.pk}&table=ranking").status_code == 404
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-03").content.decode()
    assert "Lê Văn" not in html
    # The sibling ward is named only where the ward is ranked among its siblings.
    before, _tag, rest = html.partition('<section id="siblings">')
    _siblings, _end, after = rest.partition("</section>")
    assert "Phường Long Biên" not in before + after


def test_a_bad_period_is_named_not_a_server_error(client, cast, data):
    login(client, cast.city_coordinator)
    response = client.get(f"/insights/?unit={cast.city.pk}&period=2026-13")
    assert response.status_code == 200
    assert "Write the period as 2026, 2026-H1, 2026-Q1 or 2026-03" in response.content.decode()
    bad = client.get(f"/insights/export/?unit={cast.city.pk}&period=13&table=ranking")
    assert bad.status_code == 400


def test_the_ranking_downloads_as_xlsx_with_the_right_numbers(client, cast, data):
    login(client, cast.city_coordinator)
    response = client.get(
        f"/insights/export/?unit={cast.city.pk}&period=2026-03&table=ranking&format=xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Rank", "Unit", "Index")
    by_unit = {row[1]: row for row in rows[2:]}
    a, b = by_unit["Phường Tây Hồ"], by_unit["Phường Long Biên"]
    assert (a[0], b[0]) == (2, 1)
    # (20*80 + 20*80 + 15*0 + 5*0)/60, (20*60 + 20*75 + 15*100 + 5*0)/60: no good model
    assert (a[2], b[2]) == (53.33, 70.0)
    satisfaction = rows[1].index("Citizens' satisfaction")
    assert a[satisfaction] == 80.0 and b[satisfaction] == 75.0


def test_the_components_download_as_csv(client, cast, data):
    login(client, cast.city_coordinator)
    response = client.get(
        f"/insights/export/?unit={cast.a.ward.pk}&period=2026-03&table=components&format=csv"
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Citizens' satisfaction,80.00,%,80.00" in text


def test_a_city_coordinator_sets_weights_and_a_ward_head_may_not(client, cast, data):
    login(client, cast.a.head)
    assert client.get(f"/insights/weights/?unit={cast.a.ward.pk}").status_code == 403
    client.logout()
    login(client, cast.city_coordinator)
    form = {f"w_{key}": 0 for key in actions.sources.DEFAULT_WEIGHTS}
    form.update(
        {"w_satisfaction": 1, "small_sample_rule": "shrink", "unit": cast.city.pk, "year": 2026}
    )
    form.update({f"min_{key}": 0 for key in actions.sources.DEFAULT_WEIGHTS})
    form.update({f"scale_{key}": v for key, v in actions.sources.DEFAULT_SCALES.items()})
    response = client.post("/insights/weights/", form)
    assert response.status_code == 302
    assert WeightSet.objects.get(unit=cast.city, year=2026).weights["satisfaction"] == 1
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-03").content.decode()
    assert 'id="index-score">80.00<' in html
    form["w_satisfaction"] = 0
    response = client.post("/insights/weights/", form)
    assert "At least one component needs a weight above 0." in response.content.decode()


def test_a_six_month_report_is_generated_in_the_background_with_the_right_numbers(
    client, cast, data, django_capture_on_commit_callbacks
):
    actions.refresh(periods=[Period.parse("2026-H1")], today=TODAY)
    login(client, cast.city_coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/insights/reports/",
            {"unit": cast.city.pk, "kind": "half", "year": 2026, "half": "1"},
        )
    assert len(callbacks) == 1  # the job is deferred once the request commits
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/insights/reports/{job.pk}/"
    assert job.status == JobStatus.QUEUED
    progress = client.get(f"/insights/reports/{job.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in progress.content.decode()

    actions.build_report(job=job)  # what the worker runs
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    docx = client.get(f"/insights/reports/{job.pk}/docx/")
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs
    )
    assert "REPORT" in text
    assert "Inspections planned: 2; submitted: 2." in text
    assert "Ratings: 14; satisfied: 78.6%." in text
    assert "Violation records: 1; confirmed: 1" in text
    xlsx = client.get(f"/insights/reports/{job.pk}/xlsx/")
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    ranking = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert ranking[2][:3] == (1, "Phường Long Biên", 70.0)
    violations = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert ("Phường Tây Hồ", 1, 1, 10, 10.0) in violations


def test_a_report_of_another_commune_is_out_of_reach(client, cast, data):
    job = ReportJob.objects.create(
        unit=cast.b.ward, period_kind="half", period_start=datetime.date(2026, 1, 1)
    )
    login(client, cast.a.head)
    assert client.get(f"/insights/reports/{job.pk}/").status_code == 404
    assert client.get(f"/insights/reports/{job.pk}/docx/").status_code == 404
    assert client.post("/insights/reports/", {"unit": cast.b.ward.pk}).status_code == 404


def test_index_weights_are_audited(cast, data):
    from civility.core.models import AuditEvent

    actions.save_weights(
        actor=cast.city_coordinator,
        province=cast.city,
        year=2026,
        weights={"satisfaction": 2},
    )
    assert AuditEvent.objects.filter(actor=cast.city_coordinator).exists()


def test_the_city_overview_reads_a_fixed_number_of_queries_whatever_the_wards(
    client, cast, data, django_assert_max_num_queries
):
    from tests.factories import make_unit

    for n in range(20):
        make_unit(f"Phường {n}", parent=cast.city, kind="ward")
    actions.refresh(periods=[MARCH], today=TODAY)
    login(client, cast.city_coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(f"/insights/?unit={cast.city.pk}&period=2026-03")
    assert response.status_code == 200


def test_chart_js_is_served_from_node_modules_not_a_cdn():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/chartjs/chart.umd.min.js")


def test_downloads_cannot_carry_formulas():
    from civility.core.provenance import Provenance
    from civility.insights.exports import Table, csv_text, xlsx_bytes

    table = Table(title="Ranking", headers=["Unit", "Index"], rows=[['=HYPERLINK("x")', 50]])

    provenance = Provenance.start(title="Ranking", filters=[], by=None)
    assert "'=HYPERLINK" in csv_text(table, provenance)
    cell = load_workbook(io.BytesIO(xlsx_bytes([table], provenance)))["Ranking"]["A3"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def test_the_ranking_table_is_drawn_anew_when_the_index_is_recomputed(client, cast):
    from civility.insights.sources import DEFAULT_MIN_SAMPLES, DEFAULT_WEIGHTS
    from tests.insights.conftest import counter, rate

    march, today = Period.parse("2026-03"), datetime.date(2026, 4, 10)
    WeightSet.objects.create(  # ranked on satisfaction alone
        unit=cast.city,
        year=2026,
        weights={**dict.fromkeys(DEFAULT_WEIGHTS, 0), "satisfaction": 10},
        min_samples=dict.fromkeys(DEFAULT_MIN_SAMPLES, 0),
    )
    rate(counter(cast.a.ward), datetime.date(2026, 3, 3), satisfied=9, dissatisfied=1)
    rate(counter(cast.b.ward), datetime.date(2026, 3, 3), satisfied=5, dissatisfied=5)
    actions.refresh(periods=[march], today=today)
    client.force_login(cast.city_coordinator)
    url = f"/insights/?unit={cast.city.pk}&period=2026-03"

    def order() -> list[int]:
        html = client.get(url).content.decode()
        table = html[html.index('id="ranking-table"') :]
        table = table[: table.index("</table>")]
        wards = (cast.a.ward.pk, cast.b.ward.pk)
        return sorted(wards, key=lambda pk: table.index(f'data-unit="{pk}"'))

    assert order() == [cast.a.ward.pk, cast.b.ward.pk]
    assert order() == [cast.a.ward.pk, cast.b.ward.pk]  # the second time from the cache

    rate(counter(cast.b.ward, "Quầy số 2"), datetime.date(2026, 3, 4), satisfied=45)
    actions.refresh(periods=[march], today=today)
    assert order() == [cast.b.ward.pk, cast.a.ward.pk]

    cast.b.ward.name = "Phường Bồ Đề"
    cast.b.ward.save()
    assert "Phường Bồ Đề" in client.get(url).content.decode().split('id="ranking-table"')[1]


def test_a_ward_head_sees_the_wards_rank_among_its_siblings_with_the_band_only(client, cast, data):
    login(client, cast.a.head)
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-03").content.decode()
    assert 'id="siblings-table"' in html
    siblings = html.split('id="siblings-table"')[1].split("</table>")[0]
    assert cast.a.ward.display_name in siblings and cast.b.ward.display_name in siblings
    assert 'aria-current="true"' in siblings and "–" in siblings  # the band
    # Nothing of a sibling's components or a link into its page.
    assert f"?unit={cast.b.ward.pk}" not in siblings and "small-sample" not in siblings
    assert client.get(f"/insights/?unit={cast.b.ward.pk}").status_code == 404


def test_units_under_it_without_an_index_are_said_so_without_an_empty_chart(client, cast, data):
    login(client, cast.a.head)
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-03").content.decode()
    assert 'id="ranking-empty"' in html
    assert 'data-source="chart-ranking-data"' not in html


def test_a_ward_head_asking_for_the_city_is_shown_the_ward_among_its_siblings(client, cast, data):
    login(client, cast.a.head)
    response = client.get(f"/insights/?unit={cast.city.pk}&period=2026-03")
    assert response.status_code == 302
    assert response.url == f"/insights/?unit={cast.a.ward.pk}&period=2026-03#siblings"
