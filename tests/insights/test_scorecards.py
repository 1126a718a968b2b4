"""Public scorecards: a commune's figures with their bands for anyone without an account,
"not enough data" for a small sample, the same figures in the CSV and JSON, a province's
choice of what is public, and nothing that identifies a citizen."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from civility.core.i18n import format_number, format_percent
from civility.orgs.actions import set_policy
from civility.orgs.history import replace_successions
from civility.orgs.models import ShareBasis, UnitKind
from tests.factories import make_unit
from tests.insights.conftest import NOW, TODAY


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _figure(html: str, key: str) -> str:
    pattern = rf'<li class="scorecard-figure[^"]*" id="figure-{key}">(.*?)</li>'
    match = re.search(pattern, html, re.S)
    return match[1] if match else ""


def _data(html: str, key: str) -> tuple[str, str] | None:
    """(machine value, text shown) of a figure of the page."""
    match = re.search(rf'<data value="([^"]*)" data-measure="{key}">([^<]*)</data>', html)
    return (match[1], match[2]) if match else None


def _csv(response) -> tuple[list[dict], dict]:
    text = response.content.decode("utf-8-sig")
    data, _blank, block = text.partition("\r\n\r\n")
    rows = list(csv.reader(io.StringIO(data)))
    header, body = rows[0], rows[1:]
    provenance = {row[0]: row[1] for row in csv.reader(io.StringIO(block)) if len(row) == 2}
    return [dict(zip(header, row, strict=False)) for row in body], provenance


def test_an_anonymous_visitor_reads_a_communes_scorecard_with_its_bands(client, wards):
    response = client.get(f"/scorecards/{wards.a.ward.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Phường Tây Hồ" in html and "Quarter 4/2026" in html
    assert _data(html, "satisfaction") == ("75.0", "75%")
    assert _data(html, "reports") == ("75.0", "75%")
    assert _data(html, "assistance") == ("80.0", "80%")
    assert _data(html, "inspections") == ("80.0", "80")
    # Wilson bands, as the index stores them (satisfaction: 30 of 40).
    assert re.search(r'data-band="satisfaction">\d\d(\.\d)?–\d\d(\.\d)?%<', html)
    assert re.search(r'data-band="reports">\d\d(\.\d)?–\d\d(\.\d)?%<', html)
    assert 'data-band="index"' in html
    assert _data(html, "rank")[1] in ("1 of 2", "2 of 2")
    assert 'id="siblings"' in html and "Phường Long Biên" in html
    assert f'href="/scorecards/{wards.b.ward.pk}/?period=2026-Q4"' in html


def test_a_small_sample_is_not_enough_data_and_its_rate_is_not_shown(client, wards):
    html = client.get(f"/scorecards/{wards.b.ward.pk}/").content.decode()

    satisfaction = _figure(html, "satisfaction")
    assert "Not enough data" in satisfaction
    assert "Not enough data: 5 ratings, 30 needed." in satisfaction
    assert _data(html, "satisfaction") is None
    assert "No data for this period." in _figure(html, "reports")


def test_the_csv_and_the_json_hold_the_figures_the_page_shows(client, wards):
    url = f"/scorecards/{wards.a.ward.pk}/"
    html = client.get(url).content.decode()
    rows, provenance = _csv(client.get(url + "scorecard.csv"))
    body = client.get(url + "scorecard.json").json()

    current = {row["Key"]: row for row in rows if row["Period"] == "2026-Q4"}
    assert set(current) == {"satisfaction", "reports", "assistance", "inspections", "index", "rank"}
    for key, row in current.items():
        value, shown = _data(html, key)
        assert row["Value"] == value, key
        if key == "rank":
            assert shown == f"{row['Value']} of {row['Sample size']}"
            continue
        as_shown = format_percent if row["Unit of measure"] == "%" else format_number
        assert shown == as_shown(Decimal(row["Value"]))
        low, high = row["95 per cent band: low"], row["95 per cent band: high"]
        if low:
            band = f"{format_number(Decimal(low))}–{as_shown(Decimal(high))}"
            assert f'data-band="{key}">{band}<' in html
    # Earlier periods of the trend are in the download too.
    assert {row["Period"] for row in rows} == {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}
    # The JSON holds the same rows, and so the same fingerprint.
    as_text = [["" if v is None else str(v) for v in figure.values()] for figure in body["figures"]]
    assert as_text == [list(row.values()) for row in rows]
    assert body["provenance"]["fingerprint"] == provenance["Fingerprint (SHA-256)"]
    assert len(body["provenance"]["fingerprint"]) == 64
    assert body["unit"]["id"] == wards.a.ward.pk and body["period"]["key"] == "2026-Q4"


def test_a_province_setting_hides_a_figure_from_the_page_the_csv_and_the_json(client, wards):
    url = f"/scorecards/{wards.a.ward.pk}/"
    client.get(url)  # the figures are cached: the setting must still apply at once
    set_policy(
        actor=wards.city_coordinator,
        unit=wards.city,
        key="scorecards.public_assistance",
        value=False,
        valid_from=TODAY,
    )
    set_policy(
        actor=wards.city_coordinator,
        unit=wards.city,
        key="scorecards.public_ranking",
        value=False,
        valid_from=TODAY,
    )

    html = client.get(url).content.decode()
    rows, _provenance = _csv(client.get(url + "scorecard.csv"))
    body = client.get(url + "scorecard.json").json()

    assert 'id="figure-assistance"' not in html and 'id="figure-rank"' not in html
    assert 'id="siblings"' not in html and "Phường Long Biên" not in html
    assert _data(html, "satisfaction") is not None
    for keys in ({row["Key"] for row in rows}, {f["key"] for f in body["figures"]}):
        assert keys == {"satisfaction", "reports", "inspections"}


def test_a_communes_own_coordinator_cannot_withdraw_its_figures(client, wards):
    set_policy(
        actor=wards.a.coordinator,
        unit=wards.a.ward,
        key="scorecards.public_satisfaction",
        value=False,
        valid_from=TODAY,
    )

    html = client.get(f"/scorecards/{wards.a.ward.pk}/").content.decode()

    assert _data(html, "satisfaction") == ("75.0", "75%")


def test_the_public_settings_are_listed_as_to_be_confirmed(client, wards):
    client.force_login(wards.city_coordinator)
    html = client.get(f"/units/{wards.city.pk}/settings/").content.decode()

    assert "Public scorecards: citizens&#x27; satisfaction" in html


def test_no_citizens_words_or_names_are_published(client, wards):
    url = f"/scorecards/{wards.a.ward.pk}/"
    for suffix in ("", "scorecard.csv", "scorecard.json"):
        text = client.get(url + suffix).content.decode()
        assert "Rác ở chợ" not in text and "Bí Mật" not in text


@pytest.mark.parametrize(
    "path", ["999999/", "abc/", "999999/scorecard.csv", "999999/scorecard.json"]
)
def test_an_unknown_unit_is_a_404_page(client, cast, path):
    assert client.get(f"/scorecards/{path}").status_code == 404


def test_a_unit_without_a_scorecard_kind_is_a_404(client, cast):
    assert client.get(f"/scorecards/{cast.a.department.pk}/").status_code == 404
    assert client.get(f"/scorecards/{cast.city.pk}/").status_code == 404


def test_a_bad_period_is_said_on_the_page_and_refused_by_the_downloads(client, wards):
    url = f"/scorecards/{wards.a.ward.pk}/"
    page = client.get(url, {"period": "2026-Q9"})

    assert page.status_code == 200 and "Write the period as" in page.content.decode()
    assert client.get(url + "scorecard.csv", {"period": "2026-Q9"}).status_code == 400


def test_a_former_unit_shows_its_last_period_with_a_note(client, cast):
    merged = make_unit(
        "Phường Quảng An",
        parent=cast.city,
        kind=UnitKind.WARD,
        valid_to=datetime.date(2025, 6, 30),
    )
    replace_successions(merged, [(cast.a.ward, Decimal(1), ShareBasis.ESTIMATE)], source="test")

    html = client.get(f"/scorecards/{merged.pk}/").content.decode()

    assert 'id="former-note"' in html and "30/06/2025" in html
    assert "Quarter 2/2025" in html
    assert f'href="/scorecards/{cast.a.ward.pk}/"' in html
    listed = client.get("/scorecards/", {"q": "quang an"}).content.decode()
    assert f'href="/scorecards/{merged.pk}/"' in listed and "until 30/06/2025" in listed


def test_a_service_point_and_its_counters_have_scorecards_linked_to_each_other(client, cast):
    center = make_unit("Trung tâm PVHCC", parent=cast.city, kind=UnitKind.SERVICE_CENTER)
    point = make_unit(
        "Điểm phục vụ Tây Hồ", parent=center, kind=UnitKind.SERVICE_POINT, serves=cast.a.ward
    )
    desk = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER)

    ward = client.get(f"/scorecards/{cast.a.ward.pk}/").content.decode()
    point_page = client.get(f"/scorecards/{point.pk}/").content.decode()
    counter_page = client.get(f"/feedback/counter/{desk.pk}/").content.decode()

    assert f'href="/scorecards/{point.pk}/"' in ward
    assert f'href="/scorecards/{desk.pk}/"' in point_page
    assert 'id="figure-reports"' not in point_page  # reports are filed with communes
    assert f'href="/scorecards/{desk.pk}/"' in counter_page
    assert client.get(f"/scorecards/{desk.pk}/").status_code == 200


def test_the_list_finds_a_commune_typed_without_diacritics(client, cast):
    html = client.get("/scorecards/", {"q": "tay ho"}).content.decode()

    assert f'href="/scorecards/{cast.a.ward.pk}/"' in html
    assert f'href="/scorecards/{cast.b.ward.pk}/"' not in html
    assert f'href="/scorecards/{cast.a.department.pk}/"' not in html


def test_the_front_door_and_the_public_menu_lead_to_the_scorecards(client, cast):
    html = client.get("/").content.decode()

    assert 'id="door-scorecards" href="/scorecards/"' in html


def test_the_page_costs_a_bounded_number_of_queries_and_less_when_cached(
    client, wards, django_assert_max_num_queries
):
    url = f"/scorecards/{wards.a.ward.pk}/"
    with django_assert_max_num_queries(16):
        client.get(url)
    with django_assert_max_num_queries(4):  # the unit, its province, the settings
        client.get(url)


def test_in_vietnamese_numbers_and_dates_follow_the_reader(client, wards, settings):
    settings.LANGUAGE_CODE = "vi"
    html = client.get(f"/scorecards/{wards.a.ward.pk}/").content.decode()

    with translation.override("vi"):
        expected = format_percent(Decimal("75.0"))
    assert _data(html, "satisfaction") == ("75.0", expected)
    assert "01/10/2026" in html and "31/12/2026" in html
    assert "bạn" not in html.lower()


def test_the_staff_dashboard_of_a_commune_links_to_its_public_scorecard(client, wards):
    client.force_login(wards.a.head)
    html = client.get("/insights/", {"unit": wards.a.ward.pk, "period": "2026-Q4"}).content
    department = client.get("/insights/", {"unit": wards.a.department.pk}).content

    assert f'href="/scorecards/{wards.a.ward.pk}/?period=2026-Q4"' in html.decode()
    assert b'id="public-scorecard"' not in department
