"""Every list page and API collection of the citizens' voice reads the same number of
queries for 2 rows as for 6: a row never costs a query of its own (no N+1)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from civility.feedback.models import (
    AssistanceCall,
    DossierStat,
    FlagKind,
    FollowUpCase,
    PublicReport,
    RatingFlag,
    ReportChannel,
    new_receipt,
)
from tests.factories import make_official, make_unit
from tests.query_counts import each_row, reader, same_with_more


def _report(point, number: int) -> PublicReport:
    now = timezone.now()
    return PublicReport.objects.create(
        receipt=new_receipt(),
        category=point.littering,
        description=f"Rác thải số {number}",
        place=point.market,
        unit=point.market.unit,
        channel=ReportChannel.WEB,
        due_at=now + datetime.timedelta(days=10),
    )


def _counter(point, number: int):
    counter = make_unit(f"Quầy {number + 3}", parent=point.point, kind="counter")
    make_official(f"Cán bộ quầy {number}", unit=counter)
    return counter


def _case(point, number: int) -> FollowUpCase:
    now = timezone.now()
    return FollowUpCase.objects.create(
        receipt=new_receipt(),
        unit=point.point,
        counter=point.counter,
        rating_id=1000 + number,
        rating_client_id=uuid.uuid4(),
        rated_on=now.date(),
        channel="kiosk",
        contact_phone="0912345678",
        due_at=now + datetime.timedelta(days=5),
    )


def _dossier_stat(point, number: int) -> DossierStat:
    start = datetime.date(2026, 1, 1) + datetime.timedelta(days=31 * number)
    return DossierStat.objects.create(
        unit=point.point,
        period_start=start,
        period_end=start + datetime.timedelta(days=27),
        received=10,
        processed=8,
        early=2,
        on_time=5,
        late=1,
        online=4,
    )


def test_the_report_list_reads_the_same_queries_for_two_and_six(client, cast, point):
    client.force_login(cast.city_coordinator)
    same_with_more(reader(client, "/feedback/reports/"), each_row(lambda n: _report(point, n)))


def test_the_counter_list_reads_the_same_queries_for_two_and_six(client, cast, point):
    client.force_login(point.head)
    same_with_more(reader(client, "/feedback/counters/"), each_row(lambda n: _counter(point, n)))


def test_the_flag_list_reads_the_same_queries_for_two_and_six(client, point):
    client.force_login(point.head)
    same_with_more(
        reader(client, "/feedback/flags/?state=all"),
        each_row(
            lambda n: RatingFlag.objects.create(
                kind=FlagKind.BURST, unit=point.counter, detail={"count": 6, "seconds": 60}
            )
        ),
    )


def test_the_case_list_reads_the_same_queries_for_two_and_six(client, point):
    client.force_login(point.head)
    same_with_more(reader(client, "/feedback/cases/"), each_row(lambda n: _case(point, n)))


def test_the_desk_reads_the_same_queries_for_two_and_six_calls(client, point):
    client.force_login(point.head)
    counters = [point.counter, point.counter2, *(_counter(point, n) for n in range(4))]
    same_with_more(
        reader(client, "/feedback/desk/"),
        each_row(lambda n: AssistanceCall.objects.create(counter=counters[n], source="kiosk")),
    )


def test_the_dossier_page_reads_the_same_queries_for_two_and_six(client, point):
    client.force_login(point.head)
    same_with_more(
        reader(client, "/feedback/dossiers/"), each_row(lambda n: _dossier_stat(point, n))
    )


def test_the_dossier_collection_reads_the_same_queries_for_two_and_six(client, point):
    client.force_login(point.head)
    url = f"/api/v1/feedback/dossier-stats?unit={point.point.pk}&start=2026-01-01&end=2026-12-31"
    same_with_more(reader(client, url), each_row(lambda n: _dossier_stat(point, n)))
