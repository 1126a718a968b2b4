"""Workflows for ratings you can trust and for the assistance-call ladder: counter sessions,
the checks that attach ratings to sessions and flag suspicious ones (background jobs, never
in the ingest request), the review of flags, and the escalation of unanswered calls.

Flags never change or remove a rating: every rating stays in the figures (the rollups equal
the raw records); the figures show how many are flagged and how many a reviewer found not
genuine (docs/feedback.md)."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from civility.core.audit import acting_as
from civility.feedback import conf, stream
from civility.feedback.limits import DOSSIER_CODE
from civility.feedback.models import (
    RATED_UNIT_KINDS,
    STAFF_ROLES,
    AssistanceCall,
    CallEscalation,
    Channel,
    CounterSession,
    EscalationStep,
    FlagKind,
    FlagOutcome,
    RatingDay,
    RatingFlag,
    ServiceRating,
    SessionCounter,
    TrustCursor,
)
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, Role, scope_of

# The task (tasks.py) that climbs a call's ladder, deferred by its name: tasks.py calls this
# module, so this module does not import it back.
ESCALATE_CALL_TASK = "feedback.escalate_call"
# Each run of the rating checks re-reads this much before its cursor: a rating committed
# late carries the `received_at` of its transaction's start.
OVERLAP = datetime.timedelta(minutes=5)
CHECK_BATCH = 5000
FIELDS = ("id", "counter_id", "official_id", "rated_at", "rated_on")
# A rating as the checks read it: .values() of FIELDS (and, for new ones, a few more).
Row = dict[str, Any]


# --- Counter sessions -----------------------------------------------------------------------


def _check_counter(actor: User, counter: OrgUnit) -> None:
    if counter.kind not in RATED_UNIT_KINDS:
        raise ValidationError({"counter": _("Sessions belong to one-stop counters.")})
    if not scope_of(actor).covers(counter, roles=STAFF_ROLES):
        raise PermissionDenied


@transaction.atomic
def open_session(
    *, actor: User, counter: OrgUnit, dossier_code: str = "", now: datetime.datetime | None = None
) -> CounterSession:
    """The "Serve next citizen" button: close the counter's open session and open a new
    one. The first session makes the counter one that uses sessions (SessionCounter)."""
    _check_counter(actor, counter)
    dossier_code = dossier_code.strip().upper()
    if dossier_code and not DOSSIER_CODE.match(dossier_code):
        raise ValidationError({"dossier_code": _("This is not a valid dossier code.")})
    now = now or timezone.now()
    OrgUnit.objects.select_for_update().filter(pk=counter.pk).first()  # one "next" at a time
    official = official_of(actor)
    with acting_as(actor):
        for previous in CounterSession.objects.open().filter(counter=counter):
            previous.closed_at = max(now, previous.opened_at)
            previous.save(update_fields=["closed_at"])
        mode, _created = SessionCounter.objects.get_or_create(
            counter=counter, defaults={"since": now}
        )
        if mode.until is not None:  # sessions turned back on
            mode.since, mode.until = now, None
            mode.save(update_fields=["since", "until"])
        return CounterSession.objects.create(
            counter=counter,
            official=official,
            opened_by=actor,
            opened_at=now,
            dossier_code=dossier_code,
        )


@transaction.atomic
def close_session(
    *, actor: User, session: CounterSession, now: datetime.datetime | None = None
) -> CounterSession:
    """End of the shift (or a break): no citizen is being served."""
    _check_counter(actor, session.counter)
    if session.closed_at is None:
        session.closed_at = max(now or timezone.now(), session.opened_at)
        with acting_as(actor):
            session.save(update_fields=["closed_at"])
    return session


@transaction.atomic
def stop_sessions(*, actor: User, counter: OrgUnit, now: datetime.datetime | None = None) -> None:
    """The counter no longer serves in sessions: from now on a rating with no open session
    is not flagged. Opening a session turns them back on."""
    if not scope_of(actor).covers(counter, roles=MANAGER_ROLES):
        raise PermissionDenied
    now = now or timezone.now()
    mode = SessionCounter.objects.filter(counter=counter, until__isnull=True).first()
    if mode is None:
        return
    with acting_as(actor):
        for session in CounterSession.objects.open().filter(counter=counter):
            close_session(actor=actor, session=session, now=now)
        mode.until = now
        mode.save(update_fields=["until"])


# --- Rating checks (background job) ---------------------------------------------------------


def check_new_ratings(*, now: datetime.datetime | None = None) -> int:
    """Attach the kiosk ratings received since the last run to their counter sessions (and
    dossier-code ratings to the session that served that dossier) and flag kiosk bursts,
    ratings with no citizen served and extra ratings in a session. Idempotent:
    each run re-reads an overlap and flags a rating once per kind. Returns flags written."""
    now = now or timezone.now()
    cursor = TrustCursor.objects.filter(name="ratings").first()
    since = (cursor.position if cursor else now - datetime.timedelta(days=1)) - OVERLAP
    checked = ServiceRating.objects.filter(
        received_at__lte=now, channel__in=(Channel.KIOSK, Channel.DOSSIER)
    )
    after = Q(received_at__gte=since)
    written = 0
    while True:  # in batches, keyed by (received_at, id), so a busy minute always progresses
        ratings = list(
            checked.filter(after)
            .order_by("received_at", "id")
            .values(*FIELDS, "channel", "dossier_code", "received_at")[:CHECK_BATCH]
        )
        if ratings:
            with transaction.atomic():
                written += _attach_to_sessions(ratings)
                written += _flag_bursts([r for r in ratings if r["channel"] == Channel.KIOSK])
        if len(ratings) < CHECK_BATCH:
            break
        last = ratings[-1]
        after = Q(received_at__gt=last["received_at"]) | Q(
            received_at=last["received_at"], id__gt=last["id"]
        )
    TrustCursor.objects.update_or_create(name="ratings", defaults={"position": now})
    return written


def _flag(kind: str, rating: Row, detail: dict[str, Any]) -> int:
    """One flag per rating and kind (a re-run writes nothing). Returns 1 if new."""
    _flag_row, created = RatingFlag.objects.get_or_create(
        rating_id=rating["id"],
        kind=kind,
        defaults={
            "rated_on": rating["rated_on"],
            "unit_id": rating["counter_id"],
            "official_id": rating["official_id"],
            "detail": detail,
        },
    )
    return int(created)


def _attach_to_sessions(ratings: list[Row]) -> int:
    counters = {r["counter_id"] for r in ratings}
    modes = {m.counter_id: m for m in SessionCounter.objects.filter(counter_id__in=counters)}
    grace = datetime.timedelta(seconds=conf.session_grace_seconds())
    written = 0
    for rating in sorted(ratings, key=lambda r: (r["rated_at"], r["id"])):
        if rating["channel"] == Channel.DOSSIER:
            # Rated later with the dossier code: the session that served that dossier.
            session = (
                CounterSession.objects.select_for_update()
                .filter(counter_id=rating["counter_id"], dossier_code=rating["dossier_code"])
                .order_by("-opened_at")
                .first()
            )
            if session is not None:
                written += _join(session, rating)
            continue
        mode = modes.get(rating["counter_id"])
        if mode is None or rating["rated_at"] < mode.since:
            continue  # the counter did not use sessions then: nothing to attach or flag
        # The session open at the time, else one closed within the grace period.
        session = (
            CounterSession.objects.select_for_update()
            .filter(counter_id=rating["counter_id"])
            .at(rating["rated_at"], grace=grace)
            .order_by("-opened_at")
            .first()
        )
        if session is None:
            if mode.covers(rating["rated_at"]):
                written += _flag(FlagKind.NO_SESSION, rating, {})
            continue
        written += _join(session, rating)
    return written


def _join(session: CounterSession, rating: Row) -> int:
    """The session's first rating is its rating; any other is flagged (one per session)."""
    if session.rating_id is None:
        session.rating_id, session.rating_rated_on = rating["id"], rating["rated_on"]
        session.save(update_fields=["rating", "rating_rated_on"])
    elif session.rating_id != rating["id"]:
        return _flag(FlagKind.EXTRA_IN_SESSION, rating, {"session": session.pk})
    return 0


def _flag_bursts(ratings: list[Row]) -> int:
    """More than N kiosk ratings of one counter within M seconds: every rating of such a
    window is flagged. The kiosk is the counter's device (ratings keep no device id)."""
    limit, seconds = conf.burst_ratings(), conf.burst_seconds()
    window = datetime.timedelta(seconds=seconds)
    written = 0
    by_counter: dict[int, list[datetime.datetime]] = defaultdict(list)
    for rating in ratings:
        by_counter[rating["counter_id"]].append(rating["rated_at"])
    for counter_id, times in by_counter.items():
        neighbours = list(
            ServiceRating.objects.filter(
                counter_id=counter_id,
                channel=Channel.KIOSK,
                rated_at__gte=min(times) - window,
                rated_at__lte=max(times) + window,
                rated_on__gte=timezone.localdate(min(times) - window),
                rated_on__lte=timezone.localdate(max(times) + window),
            )
            .order_by("rated_at", "id")
            .values(*FIELDS)
        )
        in_burst: dict[int, int] = {}  # index → the largest burst it belongs to
        end = 0
        for start, first in enumerate(neighbours):
            end = max(end, start)
            while end + 1 < len(neighbours) and (
                neighbours[end + 1]["rated_at"] - first["rated_at"] <= window
            ):
                end += 1
            if (count := end - start + 1) > limit:
                for index in range(start, end + 1):
                    in_burst[index] = max(count, in_burst.get(index, 0))
        for index, count in sorted(in_burst.items()):
            written += _flag(
                FlagKind.BURST, neighbours[index], {"count": count, "seconds": seconds}
            )
    return written


def check_top_shares(*, today: datetime.date | None = None) -> int:
    """An official whose share of top ratings this month (to date) is far above the mean of
    the peers at the same service point (the counters' parent) is flagged once per month.
    Top = the best level of the scale (score 100). Read from the daily rollups."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    margin, minimum = conf.top_share_margin(), conf.top_share_min_ratings()
    rows = (
        RatingDay.objects.filter(day__gte=start, day__lte=today, official__isnull=False)
        .values("counter__parent_id", "official_id")
        .annotate(total=Sum("ratings"), top=Sum("ratings", filter=Q(score=100), default=0))
    )
    by_point: dict[int | None, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        if row["total"] >= minimum:
            by_point[row["counter__parent_id"]][row["official_id"]] = (row["total"], row["top"])
    written = 0
    for point_id, officials in by_point.items():
        if point_id is None or len(officials) < conf.top_share_min_peers() + 1:
            continue
        for official_id, (ratings, top) in officials.items():
            peers = [t / n for other, (n, t) in officials.items() if other != official_id]
            peers_mean = sum(peers) / len(peers)
            share = top / ratings
            if share - peers_mean < margin:
                continue
            detail = {
                "share": round(share * 100, 1),
                "ratings": ratings,
                "peers_mean": round(peers_mean * 100, 1),
                "peers": len(peers),
            }
            flag, created = RatingFlag.objects.get_or_create(
                rating=None,
                official_id=official_id,
                kind=FlagKind.TOP_SHARE,
                period_start=start,
                defaults={"unit_id": point_id, "period_end": today, "detail": detail},
            )
            if not created and not flag.is_reviewed():
                flag.period_end, flag.detail = today, detail
                flag.save(update_fields=["period_end", "detail"])
            written += created
    return written


@transaction.atomic
def review_flag(*, actor: User, flag: RatingFlag, outcome: str, note: str = "") -> RatingFlag:
    """A coordinator or unit head decides: genuine, or not genuine. Audited."""
    if not scope_of(actor).covers(flag.unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    if outcome not in FlagOutcome.values:
        raise ValidationError({"outcome": _("Choose genuine or not genuine.")})
    if outcome == FlagOutcome.INVALID and not note.strip():
        raise ValidationError({"note": _("Say why the rating is not genuine.")})
    flag.outcome, flag.review_note = outcome, note.strip()
    flag.reviewed_by, flag.reviewed_at = actor, timezone.now()
    with acting_as(actor):
        flag.save(update_fields=["outcome", "review_note", "reviewed_by", "reviewed_at"])
    return flag


def flag_counts(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Flagged ratings of a subtree and period, for the figures pages."""
    flags = RatingFlag.objects.under(unit).on_ratings().filter(rated_on__range=(start, end))
    return flags.aggregate(
        flagged=Count("rating_id", distinct=True),
        invalid=Count("rating_id", distinct=True, filter=Q(outcome=FlagOutcome.INVALID)),
    )


# --- The assistance-call ladder --------------------------------------------------------------


def _heads_from(
    unit: OrgUnit | None, *, roles: tuple[str, ...]
) -> tuple[OrgUnit | None, list[User]]:
    """The nearest unit from `unit` upwards whose users hold one of `roles` on it."""
    User = get_user_model()
    while unit is not None:
        users = list(
            User.objects.filter(
                is_active=True, role_assignments__unit=unit, role_assignments__role__in=roles
            ).distinct()
        )
        if users:
            return unit, users
        unit = unit.parent
    return None, []


def ladder(counter: OrgUnit) -> dict[str, tuple[OrgUnit | None, list[User]]]:
    """Who each rung alerts. There is no team-lead role: the team lead is the unit head of
    the counter or, failing one, of its service point; the unit head is the unit head of the
    level above the team lead's unit."""
    lead_unit, leads = _heads_from(counter, roles=(Role.UNIT_HEAD,))
    above = lead_unit.parent if lead_unit is not None else None
    head_unit, heads = _heads_from(above, roles=(Role.UNIT_HEAD,))
    return {
        EscalationStep.TEAM_LEAD: (lead_unit, leads),
        EscalationStep.UNIT_HEAD: (head_unit, heads),
    }


def _notify_escalation(call: AssistanceCall, escalation: CallEscalation, users: list[User]) -> None:
    payload = {
        "event": "escalated",
        "call": call.pk,
        "counter": call.counter_id,
        "path": call.counter.path,
        "name": call.counter.name,
        "step": escalation.step,
        "to": [user.pk for user in users],
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [stream.CHANNEL, json.dumps(payload)])


@transaction.atomic
def escalate_call(
    *, call: AssistanceCall, now: datetime.datetime | None = None
) -> list[CallEscalation]:
    """Climb the ladder as far as the call's age says: after FEEDBACK_ASSIST_TEAM_LEAD_S the
    team lead, after FEEDBACK_ASSIST_HEAD_S the unit head. An acknowledged call never
    escalates; each rung is climbed once and recorded on the call. Their desks ring (the
    event goes through the assistance stream, naming who it is for)."""
    now = now or timezone.now()
    call = (
        AssistanceCall.objects.select_for_update(of=("self",))
        .select_related("counter")
        .get(pk=call.pk)
    )
    if call.acknowledged_at is not None or call.resolved_at is not None:
        return []
    age = (now - call.raised_at).total_seconds()
    due = []
    if age >= conf.assist_team_lead_seconds():
        due.append(EscalationStep.TEAM_LEAD)
    if age >= conf.assist_head_seconds():
        due.append(EscalationStep.UNIT_HEAD)
    done = set(call.escalations.values_list("step", flat=True))
    rungs = ladder(call.counter) if set(due) - done else {}
    climbed = []
    for step in due:
        if step in done:
            continue
        unit, users = rungs[step]
        with acting_as(None):
            escalation = CallEscalation.objects.create(
                call=call, step=step, unit=unit, escalated_at=now
            )
            escalation.recipients.set(users)
        _notify_escalation(call, escalation, users)
        climbed.append(escalation)
    return climbed


def _defer_escalation(call_id: int, seconds: int) -> None:
    app.configure_task(
        ESCALATE_CALL_TASK, allow_unknown=False, schedule_in={"seconds": seconds}
    ).defer(call_id=call_id)


def schedule_escalation(call: AssistanceCall) -> None:
    """Check the call when each rung falls due (after commit, so the job sees the call)."""
    for seconds in (conf.assist_team_lead_seconds(), conf.assist_head_seconds()):
        transaction.on_commit(partial(_defer_escalation, call.pk, seconds))


def escalate_waiting_calls(*, now: datetime.datetime | None = None) -> int:
    """The safety net of the scheduled checks (a worker that was down, a lost job): every
    unacknowledged call old enough for a rung it has not climbed."""
    now = now or timezone.now()
    late = now - datetime.timedelta(seconds=conf.assist_team_lead_seconds())
    climbed = 0
    waiting = AssistanceCall.objects.open().filter(
        acknowledged_at__isnull=True,
        raised_at__lte=late,
        raised_at__gte=now - datetime.timedelta(days=1),
    )
    for call in waiting.exclude(escalations__step=EscalationStep.UNIT_HEAD):
        climbed += len(escalate_call(call=call, now=now))
    return climbed


def official_of(user: User) -> Official | None:
    official: Official | None = getattr(user, "official", None)
    return official if official is not None and official.left_on is None else None


def desk_counters(user: User | AnonymousUser) -> list[tuple[OrgUnit, CounterSession | None]]:
    """The counters a user serves at (their official post, or a role held on the counter
    itself), each with its open session: the "Serve next citizen" panels of the desk."""
    if not user.is_authenticated:
        return []
    counters = (
        OrgUnit.objects.filter(kind__in=RATED_UNIT_KINDS)
        .filter(
            Q(role_assignments__user=user, role_assignments__role__in=STAFF_ROLES)
            | Q(officials__user=user, officials__left_on__isnull=True)
        )
        .current()
        .distinct()
        .order_by("name")
    )
    shown = list(counters[:20])
    sessions = {
        s.counter_id: s
        for s in CounterSession.objects.open().filter(counter__in=shown).select_related("official")
    }
    return [(counter, sessions.get(counter.pk)) for counter in shown]


def recent_sessions(counter: OrgUnit, *, limit: int = 20) -> list[CounterSession]:
    """A counter's latest sessions, each with its rating and the calls raised during it
    (`session_calls`), in three queries."""
    sessions = list(
        CounterSession.objects.filter(counter=counter)
        .select_related("official", "rating")
        .order_by("-opened_at")[:limit]
    )
    for session in sessions:
        session.session_calls = []
    if sessions:
        calls = AssistanceCall.objects.filter(
            counter=counter, raised_at__gte=sessions[-1].opened_at
        ).order_by("raised_at")
        for call in calls:
            for session in sessions:
                if session.opened_at <= call.raised_at and (
                    session.closed_at is None or call.raised_at < session.closed_at
                ):
                    session.session_calls.append(call)
                    break
    return sessions
