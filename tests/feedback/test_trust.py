"""Ratings you can trust: counter sessions, and suspicious patterns flagged (never dropped)
by the background checks, reviewed by staff in scope."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from civility.core.models import AuditEvent
from civility.feedback import figures, trust
from civility.feedback.actions import RatingInput, record_ratings, rollup_days
from civility.feedback.models import (
    CounterSession,
    FlagKind,
    FlagOutcome,
    RatingDay,
    RatingFlag,
    ServiceRating,
    SessionCounter,
)
from civility.feedback.tasks import check_ratings
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user


def _rate(counter, *times, level=1, channel="kiosk", official=None) -> list[int]:
    items = [RatingInput(client_id=uuid.uuid4(), level=level, rated_at=at) for at in times]
    record_ratings(counter=counter, ratings=items, channel=channel, official_id=official)
    ids = [item.client_id for item in items]
    return list(
        ServiceRating.objects.filter(client_id__in=ids)
        .order_by("rated_at")
        .values_list("id", flat=True)
    )


def _kinds(rating_id) -> set[str]:
    return set(RatingFlag.objects.filter(rating_id=rating_id).values_list("kind", flat=True))


@pytest.fixture
def t0():
    return timezone.now() - datetime.timedelta(hours=3)


# --- counter sessions ------------------------------------------------------------------------


def test_serve_next_citizen_closes_the_previous_session(client, point, t0):
    first = trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    second = trust.open_session(
        actor=point.clerk,
        counter=point.counter,
        dossier_code="h26.58-250701-0001",
        now=t0 + datetime.timedelta(minutes=7),
    )
    first.refresh_from_db()
    assert first.closed_at == second.opened_at
    assert second.closed_at is None and second.dossier_code == "H26.58-250701-0001"
    assert second.official == point.clerk_official
    assert SessionCounter.objects.get(counter=point.counter).since == t0


def test_the_desk_page_opens_a_session_for_the_clerks_counter(client, point):
    client.force_login(point.clerk)
    page = client.get("/feedback/desk/").content.decode()
    assert "Serve next citizen" in page and f'data-counter="{point.counter.pk}"' in page

    response = client.post(
        f"/feedback/counters/{point.counter.pk}/sessions/", {"dossier_code": "H26-0001"}
    )
    assert response.status_code == 302
    session = CounterSession.objects.get()
    assert session.counter == point.counter and session.opened_by == point.clerk
    assert AuditEvent.objects.filter(object_pk=str(session.pk)).exists()


def test_a_bad_dossier_code_is_refused_naming_the_field(point):
    with pytest.raises(Exception) as error:
        trust.open_session(actor=point.clerk, counter=point.counter, dossier_code="?")
    assert "dossier_code" in error.value.message_dict


def test_staff_of_another_commune_cannot_open_a_session(client, point, cast):
    client.force_login(cast.b.head)
    response = client.post(f"/feedback/counters/{point.counter.pk}/sessions/")
    assert response.status_code == 404
    assert not CounterSession.objects.exists()


def test_a_rating_is_attached_to_the_session_open_at_its_time_and_a_second_is_flagged(point, t0):
    session = trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    first, second = _rate(
        point.counter, t0 + datetime.timedelta(minutes=2), t0 + datetime.timedelta(minutes=5)
    )

    trust.check_new_ratings()

    session.refresh_from_db()
    assert session.rating_id == first
    assert _kinds(first) == set()
    assert _kinds(second) == {FlagKind.EXTRA_IN_SESSION}
    assert ServiceRating.objects.filter(pk=second).exists()  # stored, only flagged


def test_the_session_also_joins_its_assistance_calls(point, t0):
    from civility.feedback.models import AssistanceCall

    session = trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    call = AssistanceCall.objects.create(
        counter=point.counter, source="kiosk", raised_at=t0 + datetime.timedelta(minutes=1)
    )
    AssistanceCall.objects.create(
        counter=point.counter, source="kiosk", raised_at=t0 - datetime.timedelta(minutes=1)
    )
    assert list(session.calls()) == [call]


def test_a_rating_with_no_session_open_is_flagged_when_the_counter_uses_sessions(point, t0):
    session = trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    trust.close_session(actor=point.clerk, session=session, now=t0 + datetime.timedelta(minutes=5))
    grace, late = _rate(
        point.counter,
        t0 + datetime.timedelta(minutes=5, seconds=30),  # within the grace period
        t0 + datetime.timedelta(minutes=30),
    )

    check_ratings(int(timezone.now().timestamp()))  # the periodic job

    assert _kinds(grace) == set()
    assert _kinds(late) == {FlagKind.NO_SESSION}


def test_a_counter_that_never_used_sessions_is_never_flagged_for_no_citizen_served(point, t0):
    trust.open_session(actor=point.head, counter=point.counter2, now=t0)  # the other counter
    (rating,) = _rate(point.counter, t0 + datetime.timedelta(minutes=30))
    trust.check_new_ratings()
    assert _kinds(rating) == set()


def test_ratings_before_the_first_session_or_after_sessions_stop_are_not_flagged(point, t0):
    (before,) = _rate(point.counter, t0 - datetime.timedelta(minutes=30))
    trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    trust.stop_sessions(
        actor=point.head, counter=point.counter, now=t0 + datetime.timedelta(hours=1)
    )
    (after,) = _rate(point.counter, t0 + datetime.timedelta(hours=2))

    trust.check_new_ratings()

    assert _kinds(before) == set() and _kinds(after) == set()


def test_the_checks_are_idempotent(point, t0):
    trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    _rate(point.counter, t0 + datetime.timedelta(minutes=1), t0 + datetime.timedelta(minutes=2))
    trust.check_new_ratings()
    trust.check_new_ratings()
    assert RatingFlag.objects.count() == 1


# --- bursts --------------------------------------------------------------------------------------


def test_a_burst_from_one_kiosk_is_flagged(point, t0, settings):
    settings.FEEDBACK_BURST_RATINGS = 5
    settings.FEEDBACK_BURST_SECONDS = 60
    burst = _rate(point.counter, *(t0 + datetime.timedelta(seconds=8 * i) for i in range(6)))
    (later,) = _rate(point.counter, t0 + datetime.timedelta(minutes=20))

    trust.check_new_ratings()

    assert all(_kinds(rating) == {FlagKind.BURST} for rating in burst)
    assert _kinds(later) == set()
    assert RatingFlag.objects.filter(rating_id=burst[0]).get().detail == {
        "count": 6,
        "seconds": 60,
    }


def test_a_busy_counter_at_a_normal_pace_is_not_flagged(point, t0, settings):
    settings.FEEDBACK_BURST_RATINGS = 5
    settings.FEEDBACK_BURST_SECONDS = 60
    _rate(point.counter, *(t0 + datetime.timedelta(seconds=61 * i) for i in range(30)))
    # Five within a minute is the limit, not above it.
    _rate(point.counter2, *(t0 + datetime.timedelta(seconds=10 * i) for i in range(5)))
    trust.check_new_ratings()
    assert not RatingFlag.objects.exists()


def test_phone_ratings_are_not_counted_as_kiosk_bursts(point, t0, settings):
    settings.FEEDBACK_BURST_RATINGS = 2
    _rate(point.counter, *(t0 + datetime.timedelta(seconds=i) for i in range(5)), channel="qr")
    trust.check_new_ratings()
    assert not RatingFlag.objects.exists()


# --- an official's share of top ratings ---------------------------------------------------------


def _month_of_ratings(point, settings, *, star_top: int, star_total: int = 20):
    settings.FEEDBACK_TOP_SHARE_MIN_RATINGS = 10
    settings.FEEDBACK_TOP_SHARE_MIN_PEERS = 2
    settings.FEEDBACK_TOP_SHARE_MARGIN = 0.25
    today = timezone.localdate()
    at = timezone.now() - datetime.timedelta(minutes=5)
    star = point.clerk_official
    peers = [make_official(f"Peer {i}", unit=point.counter2) for i in range(3)]
    _rate(point.counter, *[at] * star_top, level=1, official=star.pk)
    _rate(point.counter, *[at] * (star_total - star_top), level=2, official=star.pk)
    for peer in peers:  # 40 per cent top ratings each
        _rate(point.counter2, *[at] * 8, level=1, official=peer.pk)
        _rate(point.counter2, *[at] * 12, level=3, official=peer.pk)
    _rate(point.counter2, *[at] * 3, level=1, official=make_official("New", unit=point.counter2).pk)
    rollup_days(days=[today])
    return star, today


def test_an_officials_share_of_top_ratings_far_above_peers_is_flagged(point, settings):
    star, today = _month_of_ratings(point, settings, star_top=19)

    assert trust.check_top_shares(today=today) == 1
    assert trust.check_top_shares(today=today) == 0  # once per official and month

    flag = RatingFlag.objects.get()
    assert flag.kind == FlagKind.TOP_SHARE and flag.official == star
    assert flag.unit == point.point and flag.rating_id is None
    assert flag.detail == {"share": 95.0, "ratings": 20, "peers_mean": 40.0, "peers": 3}
    assert "95% top ratings of 20" in flag.description()


def test_a_share_within_the_margin_or_a_small_sample_is_not_flagged(point, settings):
    _star, today = _month_of_ratings(point, settings, star_top=12)  # 60 per cent: +20 points
    assert trust.check_top_shares(today=today) == 0

    settings.FEEDBACK_TOP_SHARE_MIN_RATINGS = 21  # nobody has enough ratings
    RatingFlag.objects.all().delete()
    assert trust.check_top_shares(today=today) == 0


# --- review, pages, figures ---------------------------------------------------------------------


def _flagged(point, t0):
    trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    _first, second = _rate(
        point.counter, t0 + datetime.timedelta(minutes=1), t0 + datetime.timedelta(minutes=2)
    )
    trust.check_new_ratings()
    return RatingFlag.objects.get(rating_id=second)


def test_the_head_reviews_a_flag_and_the_review_is_audited(client, point, t0):
    flag = _flagged(point, t0)
    client.force_login(point.head)
    page = client.get("/feedback/flags/").content.decode()
    assert f'data-flag="{flag.pk}"' in page

    response = client.post(f"/feedback/flags/{flag.pk}/review/", {"outcome": "invalid"})
    flag.refresh_from_db()
    assert response.status_code == 302 and flag.reviewed_at is None  # a reason is needed

    client.post(
        f"/feedback/flags/{flag.pk}/review/", {"outcome": "invalid", "note": "Clerk pressed it"}
    )
    flag.refresh_from_db()
    assert flag.outcome == FlagOutcome.INVALID and flag.reviewed_by == point.head
    event = AuditEvent.objects.filter(object_pk=str(flag.pk), content_type__model="ratingflag")
    assert event.exists()


def test_a_clerk_sees_flags_of_the_counter_but_cannot_review(client, point, t0):
    flag = _flagged(point, t0)
    client.force_login(point.clerk)
    assert f'data-flag="{flag.pk}"' in client.get("/feedback/flags/").content.decode()
    client.post(f"/feedback/flags/{flag.pk}/review/", {"outcome": "genuine"})
    flag.refresh_from_db()
    assert flag.reviewed_at is None


def test_staff_of_another_commune_get_404_on_flags(client, point, cast, t0):
    flag = _flagged(point, t0)
    client.force_login(cast.b.head)
    assert f'data-flag="{flag.pk}"' not in client.get("/feedback/flags/").content.decode()
    response = client.post(f"/feedback/flags/{flag.pk}/review/", {"outcome": "genuine"})
    assert response.status_code == 404


def test_the_flag_list_filters_by_kind_and_review(client, point, t0):
    flag = _flagged(point, t0)
    client.force_login(point.head)
    marker = f'data-flag="{flag.pk}"'
    assert marker in client.get("/feedback/flags/?kind=extra").content.decode()
    assert marker not in client.get("/feedback/flags/?kind=burst").content.decode()
    assert marker not in client.get("/feedback/flags/?state=genuine").content.decode()
    assert marker in client.get("/feedback/flags/?state=all").content.decode()


def test_flagged_ratings_stay_in_the_figures_and_rollups_equal_raw_counts(client, point, t0):
    flag = _flagged(point, t0)
    trust.review_flag(actor=point.head, flag=flag, outcome="invalid", note="not genuine")
    day = timezone.localdate(t0)
    rollup_days(days=[day])

    assert sum(RatingDay.objects.values_list("ratings", flat=True)) == ServiceRating.objects.count()
    data = figures.rating_figures(start=day, end=day, unit=point.point)
    assert data.ratings == 2
    assert trust.flag_counts(unit=point.point, start=day, end=day) == {
        "flagged": 1,
        "invalid": 1,
    }

    client.force_login(point.head)
    page = client.get(
        f"/feedback/?unit={point.point.pk}&start={day:%Y-%m-%d}&end={day:%Y-%m-%d}"
    ).content.decode()
    assert "1 flagged rating in this period" in page


def test_the_desk_offers_sessions_at_the_counters_a_user_serves(point):
    user = make_user("deputy", roles={Role.OFFICIAL: point.counter2})
    assert [counter for counter, _session in trust.desk_counters(user)] == [point.counter2]


def test_the_counter_page_lists_sessions_with_their_rating_and_calls(
    client, point, t0, django_assert_max_num_queries
):
    from civility.feedback.models import AssistanceCall

    for minute in range(0, 50, 10):
        trust.open_session(
            actor=point.clerk, counter=point.counter, now=t0 + datetime.timedelta(minutes=minute)
        )
        AssistanceCall.objects.create(
            counter=point.counter,
            source="kiosk",
            raised_at=t0 + datetime.timedelta(minutes=minute + 1),
            acknowledged_at=t0 + datetime.timedelta(minutes=minute + 1, seconds=42),
        )
        _rate(point.counter, t0 + datetime.timedelta(minutes=minute + 5), level=2)
    trust.check_new_ratings()
    client.force_login(point.head)

    with django_assert_max_num_queries(40):
        page = client.get(f"/feedback/counters/{point.counter.pk}/").content.decode()
    assert "serves citizens in sessions since" in page
    assert page.count("2/five") == 5 and page.count("(42 s)") == 5


def test_a_manager_stops_sessions_from_the_counter_page(client, point, t0):
    trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    client.force_login(point.clerk)
    assert client.post(f"/feedback/counters/{point.counter.pk}/sessions/stop/").status_code == 403
    client.force_login(point.head)
    response = client.post(f"/feedback/counters/{point.counter.pk}/sessions/stop/")
    assert response.status_code == 302
    mode = SessionCounter.objects.get(counter=point.counter)
    assert mode.until is not None
    assert not CounterSession.objects.open().exists()


def test_the_checks_read_a_busy_stretch_in_batches(point, t0, monkeypatch):
    monkeypatch.setattr(trust, "CHECK_BATCH", 3)
    trust.open_session(actor=point.clerk, counter=point.counter, now=t0)
    ratings = _rate(point.counter, *(t0 + datetime.timedelta(minutes=m) for m in range(1, 8)))
    trust.check_new_ratings()
    extra = RatingFlag.objects.filter(kind=FlagKind.EXTRA_IN_SESSION)
    assert sorted(extra.values_list("rating_id", flat=True)) == ratings[1:]


def test_the_flag_list_reads_a_fixed_number_of_queries(
    client, point, t0, settings, django_assert_max_num_queries
):
    settings.FEEDBACK_BURST_RATINGS = 2
    _rate(point.counter, *(t0 + datetime.timedelta(seconds=i) for i in range(12)))
    trust.check_new_ratings()
    flags = list(RatingFlag.objects.all())
    for flag in flags[:4]:
        trust.review_flag(actor=point.head, flag=flag, outcome="genuine")
    client.force_login(point.head)
    with django_assert_max_num_queries(12):
        page = client.get("/feedback/flags/?state=all").content.decode()
    assert page.count("data-flag=") == 12


def test_a_dossier_code_rating_joins_the_session_that_served_the_dossier(point, t0):
    served = trust.open_session(
        actor=point.clerk, counter=point.counter, dossier_code="H26-0042", now=t0
    )
    trust.open_session(
        actor=point.clerk, counter=point.counter, now=t0 + datetime.timedelta(minutes=9)
    )
    item = RatingInput(client_id=uuid.uuid4(), level=2, dossier_code="H26-0042")
    record_ratings(counter=point.counter, ratings=[item], channel="dossier")
    (later,) = _rate(point.counter, t0 + datetime.timedelta(minutes=8))  # same session

    trust.check_new_ratings()

    # The kiosk rating came first (in time): the dossier's rating is a second one.
    served.refresh_from_db()
    dossier_rating = ServiceRating.objects.get(client_id=item.client_id)
    assert served.rating_id == later
    assert _kinds(dossier_rating.pk) == {FlagKind.EXTRA_IN_SESSION}
    assert RatingFlag.objects.get().detail == {"session": served.pk}


def test_a_dossier_code_rating_alone_becomes_its_sessions_rating(point, t0):
    served = trust.open_session(
        actor=point.clerk, counter=point.counter, dossier_code="H26-0042", now=t0
    )
    item = RatingInput(client_id=uuid.uuid4(), level=2, dossier_code="H26-0042")
    record_ratings(counter=point.counter, ratings=[item], channel="dossier")
    trust.check_new_ratings()
    served.refresh_from_db()
    assert served.rating_id == ServiceRating.objects.get(client_id=item.client_id).pk
    assert not RatingFlag.objects.exists()  # a phone rating is never "no citizen served"
