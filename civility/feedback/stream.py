"""Real-time assistance alerts: PostgreSQL LISTEN/NOTIFY → Server-Sent Events.

Each process keeps ONE async psycopg connection that LISTENs on the channel (no ORM, no
connection per client) and fans each notification out to the streams open in that process.
Because PostgreSQL delivers a NOTIFY to every listening connection, a call raised through any
web process reaches the screens attached to any other process or machine, with no broker.

Who may listen to what travels in a signed stream token (made by the page that opens the
stream, with the user's scope already worked out), so a staff stream touches no table and
runs under ASGI without Django's ORM (docs/feedback.md). A kiosk's token also names its
device (one row per key: a new link makes a new row): opening the stream checks that the
device is not revoked (one indexed read), and revoking it ends its open streams at once (a
"kiosk_revoked" notification), so a kiosk's token dies with the kiosk:

- production: `uvicorn civility.feedback.asgi:application` behind the same reverse proxy,
  which routes /feedback/stream/ there and everything else to gunicorn;
- development (`make run`, Django's runserver) and the live-server tests: the WSGI view in
  views.py serves the same stream from a thread of the dev server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from django.core import signing
from django.db import connections

from civility.feedback.models import CounterDevice

logger = logging.getLogger(__name__)

CHANNEL = "feedback_assistance"
TOKEN_SALT = "feedback.stream"
TOKEN_MAX_AGE = 12 * 3600
HEARTBEAT_SECONDS = 15
RETRY_MS = 2000


REVOKED = "kiosk_revoked"

# A notification as it travels (calls.py, devices.py and trust.py send them): its "event",
# the counter's "path", and what that event carries.
Event = dict[str, Any]


@dataclass(frozen=True)
class Grant:
    """What a valid token lets its holder hear: the counters under `paths` ("" = every
    counter), and for a kiosk its device (whose revocation ends the stream)."""

    paths: list[str]
    device_id: int | None = None


def make_token(paths: list[str], *, device: CounterDevice | None = None) -> str:
    data: dict[str, Any] = {"p": paths}
    if device is not None:
        data["d"] = device.pk
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> Grant | None:
    """The grant of a valid token; None when it is forged, expired, or a kiosk's whose device
    was revoked since (a new link revokes the old device too). Reads the database for kiosk
    tokens only: call it from a thread (sync_to_async) under ASGI."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    paths = data.get("p")
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    device_id = data.get("d")
    if device_id is None:
        return Grant(paths)

    alive = CounterDevice.objects.active().filter(pk=device_id).exists()
    return Grant(paths, device_id) if alive else None


def conninfo() -> str:
    settings = connections["default"].settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=str(settings["PORT"]) if settings.get("PORT") else None,
        application_name="civility-stream",
    )


class Hub:
    """The process's single listener and its subscribers."""

    def __init__(self) -> None:
        self._subscribers: dict[int, tuple[Grant, Callable[[Event], object]]] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._thread: threading.Thread | None = None
        self._dsn: str | None = None
        self.listening = threading.Event()

    def subscribe(self, grant: Grant, push: Callable[[Event], object]) -> int:
        self.ensure_started()
        with self._lock:
            self._next += 1
            self._subscribers[self._next] = (grant, push)
            return self._next

    def unsubscribe(self, token: int) -> None:
        with self._lock:
            self._subscribers.pop(token, None)

    def ensure_started(self) -> None:
        dsn = conninfo()
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._dsn == dsn:
                return
            self._dsn = dsn
            self.listening.clear()
            # A thread with its own event loop: the same listener serves WSGI threads (dev
            # server) and ASGI tasks (uvicorn), whose loop it never blocks.
            self._thread = threading.Thread(
                target=asyncio.run, args=(self._listen(dsn),), name="feedback-listen", daemon=True
            )
            self._thread.start()

    async def _listen(self, dsn: str) -> None:
        while self._dsn == dsn:
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    async for note in conn.notifies():
                        if self._dsn != dsn:  # settings changed (tests): a new thread took over
                            break
                        self.dispatch(note.payload)
            except Exception:  # the database restarted or went away: reconnect
                logger.exception("Assistance listener lost its connection; reconnecting")
                self.listening.clear()
                await asyncio.sleep(1)

    def dispatch(self, payload: str) -> None:
        try:
            event = json.loads(payload)
            path = event["path"]
        except (ValueError, KeyError, TypeError):
            return
        with self._lock:
            if event.get("event") == REVOKED:
                targets = [
                    push
                    for grant, push in self._subscribers.values()
                    if grant.device_id is not None and grant.device_id == event.get("device")
                ]
            else:
                targets = [
                    push
                    for grant, push in self._subscribers.values()
                    if any(path.startswith(prefix) for prefix in grant.paths)
                ]
        for push in targets:
            try:
                push(event)
            except Exception:  # a closed stream must not stop the others
                logger.debug("Dropping an event for a closed stream", exc_info=True)


hub = Hub()


def format_event(event: Event) -> bytes:
    data = json.dumps(event, ensure_ascii=False)
    return f"id: {event.get('call', '')}\nevent: {event['event']}\ndata: {data}\n\n".encode()


def sync_events(grant: Grant, *, seconds: float) -> Iterator[bytes]:
    """The stream for a WSGI thread (development server, live-server tests)."""
    inbox: queue.Queue[Event] = queue.Queue()
    token = hub.subscribe(grant, inbox.put)
    try:
        hub.listening.wait(timeout=5)
        yield f"retry: {RETRY_MS}\n: listening\n\n".encode()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = inbox.get(timeout=min(HEARTBEAT_SECONDS, left))
            except queue.Empty:
                yield b": ping\n\n"
                continue
            if event.get("event") == REVOKED:
                return  # the browser reconnects, and its token is refused from now on
            yield format_event(event)
    finally:
        hub.unsubscribe(token)


async def async_events(grant: Grant, *, seconds: float) -> AsyncGenerator[bytes, None]:
    """The stream for an ASGI task (uvicorn in production)."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Event] = asyncio.Queue()
    token = hub.subscribe(grant, lambda event: loop.call_soon_threadsafe(inbox.put_nowait, event))
    try:
        await asyncio.to_thread(hub.listening.wait, 5)
        yield f"retry: {RETRY_MS}\n: listening\n\n".encode()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                event = await asyncio.wait_for(inbox.get(), timeout=min(HEARTBEAT_SECONDS, left))
            except TimeoutError:
                yield b": ping\n\n"
                continue
            if event.get("event") == REVOKED:
                return
            yield format_event(event)
    finally:
        hub.unsubscribe(token)
