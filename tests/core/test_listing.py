"""Every list pages, sorts by whitelisted keys only, filters by subtree and by text without
diacritics, keeps its filters in its links, and answers an out-of-range page with the last
page (civility/core/listing.py)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from civility.awards.models import AwardTitle, GoodModel, Nomination
from civility.conduct.models import ViolationRecord
from civility.core.receipts import as_shown
from civility.evaluations.models import Evaluation, EvaluationPeriod
from civility.feedback.models import PublicReport, ReportCategory
from civility.inspections.models import (
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    Inspection,
    TemplateVersion,
)
from civility.orgs.models import Official, UnitKind
from civility.programmes.models import Programme, Task
from tests.factories import make_official, make_unit

TODAY = datetime.date(2026, 6, 15)


def _official(unit, name="Phạm Thị Hường"):
    return make_official(name, unit=unit)


def _inspection(unit, side, name="Bộ phận một cửa Hường"):
    template, _ = ChecklistTemplate.objects.get_or_create(
        unit=side.ward.parent, slug="test", defaults={"subject": "counter", "name": "Phiếu"}
    )
    version, _ = TemplateVersion.objects.get_or_create(template=template, number=1)
    return Inspection.objects.create(
        kind="planned",
        status="planned",
        template_version=version,
        inspecting_unit=side.ward,
        unit=make_unit(name, parent=unit),
        planned_on=TODAY,
    )


def _action(unit, side, text="Sửa biển niêm yết ở Hường"):
    finding = Finding.objects.create(inspection=_inspection(unit, side, "Quầy"), description="x")
    return CorrectiveAction.objects.create(
        finding=finding, unit=unit, description=text, deadline=TODAY + datetime.timedelta(days=9)
    )


def _report(unit, side, receipt="ABCD-EFGH", text="Vứt rác ở chợ Hường"):
    category, _ = ReportCategory.objects.get_or_create(code="rac", defaults={"name": "Rác"})
    now = timezone.now()
    return PublicReport.objects.create(
        receipt=receipt,
        category=category,
        description=text,
        unit=unit,
        channel="web",
        due_at=now + datetime.timedelta(days=15),
    )


def _record(unit, side):
    return ViolationRecord.objects.create(
        unit=unit,
        official=_official(unit),
        occurred_on=TODAY,
        source="supervisor",
        description="Đi muộn",
    )


def _evaluation(unit, side):
    period, _ = EvaluationPeriod.objects.get_or_create(
        unit=side.ward,
        month=TODAY.replace(day=1),
        defaults={
            "self_deadline": TODAY,
            "review_deadline": TODAY,
            "approval_deadline": TODAY,
        },
    )
    return Evaluation.objects.create(
        period=period,
        official=_official(unit),
        unit=unit,
        agency=side.ward,
        rule_set="hanoi-3814-2018",
    )


def _nomination(unit, side):
    title, _ = AwardTitle.objects.get_or_create(
        unit=side.ward.parent,
        key="ldtt",
        defaults={
            "valid_from": datetime.date(2020, 1, 1),
            "name": "Lao động tiên tiến",
            "recipient": "individual",
            "form": "emulation_title",
            "level": "grassroots",
            "rule_set": "decree-152-2025",
        },
    )
    official = _official(unit)
    return Nomination.objects.create(
        title=title,
        year=TODAY.year,
        official=official,
        unit=unit,
        proposing_unit=unit,
        justification="Tốt",
        verdict="eligible",
        rule_set="decree-152-2025",
    )


def _good_model(unit, side):
    return GoodModel.objects.create(
        category="green_office", unit=unit, name="Văn phòng xanh Hường", started_on=TODAY
    )


def _task(unit, side):
    programme, _ = Programme.objects.get_or_create(
        unit=side.ward.parent,
        number="06-CTr/TU",
        defaults={
            "kind": "programme",
            "title": "Chương trình",
            "starts_on": datetime.date(2026, 1, 1),
            "ends_on": datetime.date(2026, 12, 31),
        },
    )
    return Task.objects.create(
        programme=programme,
        title="Tuyên truyền ở Hường",
        assignee_unit=unit,
        deadline=TODAY,
        original_deadline=TODAY,
    )


def _unit(unit, side):
    return make_unit("Tổ dân phố Hường", parent=unit, kind=UnitKind.RESIDENTIAL_GROUP)


@dataclass
class ListCase:
    url_name: str
    make: Callable  # (unit, side) -> the row
    shown: Callable  # row -> text the page shows for it
    sort: str  # a whitelisted key
    text: bool = True  # has a free-text filter ("huong" finds "Hường")
    extra: str = ""  # query that makes every row show (e.g. all statuses)


CASES = {
    "officials": ListCase("orgs:official_list", lambda u, s: _official(u), str, "-code"),
    "units": ListCase("orgs:unit_list", _unit, lambda row: row.name, "-code"),
    "inspections": ListCase(
        "inspections:inspection_list", _inspection, lambda row: row.unit.name, "score"
    ),
    "corrective actions": ListCase(
        "inspections:action_list", _action, lambda row: row.description, "-unit", extra="show=all"
    ),
    "public reports": ListCase(
        "feedback:report_list", _report, lambda row: row.receipt, "due", extra="status=all"
    ),
    "violation records": ListCase(
        "conduct:record_list", _record, lambda row: row.official.full_name, "-occurred"
    ),
    "evaluations": ListCase(
        "evaluations:evaluation_list", _evaluation, lambda row: row.official.full_name, "-total"
    ),
    "nominations": ListCase(
        "awards:nomination_list", _nomination, lambda row: row.official.full_name, "nominee"
    ),
    "good models": ListCase("awards:model_list", _good_model, lambda row: row.name, "name"),
    "programme tasks": ListCase("programmes:task_list", _task, lambda row: row.title, "-progress"),
}


def _get(client, name: str, query: str = ""):
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200, (name, query, response.status_code)
    return response


def _rows(response) -> list:
    return list(response.context["listing"].page.object_list)


def _receipts(cast):
    """Two receipts for the two wards' reports (the receipt is unique)."""
    return {cast.a.ward.pk: "ABCD-EFGH", cast.b.ward.pk: "WXYZ-2345"}


def _make(case: ListCase, side, cast):
    if case.make is _report:
        return _report(side.department, side, receipt=_receipts(cast)[side.ward.pk])
    return case.make(side.department, side)


@pytest.mark.parametrize("name", list(CASES))
def test_a_list_filters_by_subtree_and_by_text_without_diacritics(client, cast, name):
    case = CASES[name]
    mine = _make(case, cast.a, cast)
    theirs = _make(case, cast.b, cast)
    client.force_login(cast.city_coordinator)
    extra = f"{case.extra}&" if case.extra else ""

    whole_city = _rows(_get(client, case.url_name, f"{extra}unit={cast.city.pk}"))
    ward_a = _get(client, case.url_name, f"{extra}unit={cast.a.ward.pk}")

    assert mine in whole_city and theirs in whole_city
    assert mine in _rows(ward_a) and theirs not in _rows(ward_a)
    assert case.shown(mine) in ward_a.content.decode()
    if case.text:
        found = _rows(_get(client, case.url_name, f"{extra}unit={cast.city.pk}&q=HUONG"))
        assert mine in found and theirs in found
        missing = _rows(_get(client, case.url_name, f"{extra}unit={cast.city.pk}&q=zzqx"))
        assert mine not in missing


@pytest.mark.parametrize("name", [*CASES, "audit log"])
def test_a_list_ignores_an_unknown_sort_and_gives_the_last_page_past_the_end(client, cast, name):
    case = CASES.get(name)
    if case is not None:
        _make(case, cast.a, cast)
    url_name = case.url_name if case else "core:audit_list"
    client.force_login(cast.city_coordinator)

    default = _get(client, url_name)
    unknown = _get(client, url_name, "sort=password&page=abc")
    injected = _get(client, url_name, "sort=-official__user__password")
    past_the_end = _get(client, url_name, "page=999")

    assert unknown.context["listing"].sort == default.context["listing"].sort
    assert injected.context["listing"].sort == default.context["listing"].sort
    last = past_the_end.context["listing"].page
    assert last.number == last.paginator.num_pages


@pytest.mark.parametrize("name", list(CASES))
def test_a_list_sorts_by_a_whitelisted_key_and_marks_the_header(client, cast, name):
    case = CASES[name]
    _make(case, cast.a, cast)
    client.force_login(cast.city_coordinator)
    extra = f"{case.extra}&" if case.extra else ""

    response = _get(client, case.url_name, f"{extra}sort={case.sort}")

    assert response.context["listing"].sort == case.sort
    state = "descending" if case.sort.startswith("-") else "ascending"
    assert f'aria-sort="{state}"' in response.content.decode()


@pytest.mark.parametrize("name", list(CASES))
def test_a_unit_outside_the_scope_gets_404(client, cast, name):
    client.force_login(cast.a.head)

    response = client.get(reverse(CASES[name].url_name), {"unit": cast.b.ward.pk})

    assert response.status_code == 404


def test_the_page_links_keep_the_filters_and_the_sort(client, cast):
    Official.objects.bulk_create(
        Official(full_name=f"Lê Thị Hường {n:03}", unit=cast.a.department, staff_category="worker")
        for n in range(120)
    )
    client.force_login(cast.a.head)

    response = _get(client, "orgs:official_list", "q=huong&staff_category=worker&sort=-name")
    body = response.content.decode()

    listing = response.context["listing"]
    assert listing.count == 120 and listing.page.paginator.num_pages == 3
    links = re.findall(r'href="\?([^"]*page=\d+)"', body)
    assert links and all("q=huong" in link and "staff_category=worker" in link for link in links)
    assert all("sort=-name" in link for link in links)
    second = _get(client, "orgs:official_list", links[0].replace("&amp;", "&"))
    assert [o.full_name for o in _rows(second)][0] == "Lê Thị Hường 069"
    headers = re.findall(r'<a href="\?([^"]*)" class="sort', body)
    assert headers and all("q=huong" in h and "page=" not in h for h in headers)


def test_a_sorted_list_pages_without_repeating_or_skipping_rows(client, cast):
    Official.objects.bulk_create(
        Official(full_name="Trần Văn Nam", unit=cast.a.department, staff_category="worker")
        for _ in range(75)
    )
    client.force_login(cast.a.head)

    first = _rows(_get(client, "orgs:official_list", "sort=name"))
    second = _rows(_get(client, "orgs:official_list", "sort=name&page=2"))

    assert len({o.pk for o in first + second}) == 76


@pytest.mark.parametrize("typed", ["abcd efgh", "ABCDEFGH", " abcd-efgh ", "AbCd - eFgH"])
def test_a_public_report_is_found_by_its_receipt_typed_any_way(client, cast, typed):
    report = _report(cast.a.ward, cast.a, receipt="ABCD-EFGH", text="Lấn chiếm vỉa hè")
    _report(cast.a.ward, cast.a, receipt="WXYZ-2345", text="Lấn chiếm vỉa hè")
    client.force_login(cast.a.head)

    found = _rows(_get(client, "feedback:report_list", f"status=all&q={typed}"))

    assert as_shown(typed) == "ABCD-EFGH"
    assert found == [report]


def test_a_long_list_counts_up_to_the_cap_and_says_so(client, cast, monkeypatch):
    from civility.core import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 100)
    Official.objects.bulk_create(
        Official(full_name=f"Cán bộ {n}", unit=cast.a.department) for n in range(5)
    )
    for official in Official.objects.all():
        for n in range(25):
            official.phone = f"09{n:08}"
            official.save()
    client.force_login(cast.admin)

    response = _get(client, "core:audit_list")

    listing = response.context["listing"]
    assert listing.is_capped and listing.count == 100
    assert listing.page.paginator.num_pages == 2
    assert "more than 100" in response.content.decode()
    assert _get(client, "core:audit_list", "page=50").context["listing"].page.number == 2


@pytest.mark.parametrize("name", list(CASES))
def test_a_list_reads_the_same_number_of_queries_for_more_rows(client, cast, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civility.feedback.models import new_receipt

    case = CASES[name]

    def make():
        if case.make is _report:
            return _report(cast.a.department, cast.a, receipt=new_receipt())
        return case.make(cast.a.department, cast.a)

    make()
    client.force_login(cast.city_coordinator)
    query = f"{case.extra}&unit={cast.city.pk}"
    _get(client, case.url_name, query)
    with CaptureQueriesContext(connection) as one:
        _get(client, case.url_name, query)
    for _ in range(3):
        make()
    with CaptureQueriesContext(connection) as four:
        response = _get(client, case.url_name, query)

    assert len(_rows(response)) >= 4
    assert len(four) == len(one), [q["sql"][:120] for q in four.captured_queries]
