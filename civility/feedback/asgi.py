"""The ASGI application for the assistance event stream (production).

    uvicorn civility.feedback.asgi:application --host 127.0.0.1 --port 8001 --workers 2

The reverse proxy sends /feedback/stream/ here (with buffering off) and everything else to
gunicorn. It answers only that path and touches no table: the stream token in the query
string says which counters the caller may hear (see civility/feedback/stream.py); only a
kiosk's token is checked against its device row when the stream opens.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import django
from asgiref.sync import sync_to_async

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")
django.setup()

from civility.feedback import conf, stream  # noqa: E402

# ASGI's scope and messages are plain dicts (asgiref.typing's TypedDicts require keys the
# spec makes optional, such as a response start's "trailers").
Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

STREAM_PATH = "/feedback/stream/"
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),
]


async def _plain(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                stream.hub.ensure_started()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    if scope["path"] != STREAM_PATH or scope["method"] != "GET":
        await _plain(send, 404, "Not found")
        return
    token = parse_qs(scope.get("query_string", b"").decode()).get("t", [""])[0]
    # A kiosk's token is checked against its device row: in the one thread that runs
    # synchronous code, so the process holds one database connection for it at most.
    grant = await sync_to_async(stream.read_token, thread_sensitive=True)(token)
    if grant is None:
        await _plain(send, 403, "Invalid or expired stream token")
        return
    events = stream.async_events(grant, seconds=conf.stream_seconds())
    # Answer only once this stream is subscribed and the listener is listening: the
    # browser's `open` event (also fired on every reconnect) makes the desk re-read the call
    # list, so a call raised while it was reconnecting is shown; had the headers gone out
    # first, a call raised between that re-read and the subscription would be missed.
    first = await anext(events)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})

    async def pump() -> None:
        await send({"type": "http.response.body", "body": first, "more_body": True})
        async for chunk in events:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    # Whichever ends first (the stream's lifetime, or the browser leaving) ends the other,
    # so a closed tab frees its subscription at once.
    tasks = [asyncio.ensure_future(pump()), asyncio.ensure_future(watch())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await events.aclose()
