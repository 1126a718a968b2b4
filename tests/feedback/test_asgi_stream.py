"""The production stream: the ASGI app (uvicorn) serves /feedback/stream/ from the LISTEN
connection, with no ORM; a call raised elsewhere reaches it."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import pytest

from civility.feedback import stream
from civility.feedback.actions import raise_assistance_call


async def _get(app, path: str, query: bytes, *, until_event: bool, timeout: float = 5.0):
    sent: list[dict] = []
    done = asyncio.Event()

    async def receive():
        if not getattr(receive, "started", False):
            receive.started = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        body = message.get("body", b"")
        if message["type"] == "http.response.start" and message["status"] != 200:
            return
        if not until_event or b"event: raised" in body:
            done.set()

    scope = {"type": "http", "method": "GET", "path": path, "query_string": query, "headers": []}
    task = asyncio.ensure_future(app(scope, receive, send))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(done.wait()), timeout)
    done.set()
    await asyncio.wait_for(task, timeout)
    return sent


def _run(coroutine):
    """asyncio.run in its own thread: Playwright's sync API may hold a running loop in this
    one when the browser tests ran first."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(coroutine)))
    thread.start()
    thread.join(30)
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_the_asgi_stream_delivers_a_raised_call(point):
    from civility.feedback.asgi import application

    token = stream.make_token([point.point.path]).encode()

    def raise_later():
        stream.hub.listening.wait(5)
        time.sleep(0.3)
        raise_assistance_call(counter=point.counter, source="kiosk")

    thread = threading.Thread(target=raise_later, daemon=True)
    thread.start()
    sent = _run(_get(application, "/feedback/stream/", b"t=" + token, until_event=True))
    thread.join(5)

    assert sent[0]["status"] == 200
    assert (b"content-type", b"text/event-stream; charset=utf-8") in sent[0]["headers"]
    body = b"".join(message.get("body", b"") for message in sent[1:])
    assert b"event: raised" in body and f'"counter": {point.counter.pk}'.encode() in body


def test_the_asgi_app_refuses_a_bad_token_and_other_paths():
    from civility.feedback.asgi import application

    sent = _run(_get(application, "/feedback/stream/", b"t=bad", until_event=False))
    assert sent[0]["status"] == 403
    sent = _run(_get(application, "/admin/", b"", until_event=False))
    assert sent[0]["status"] == 404
