"""HTTP load for bench/load.py: asyncio clients on loopback that record what was answered.

Two shapes of load, each run in its own process so that the two loads do not share a GIL:

- closed: N clients, each sending its next request as soon as the previous one is answered
  (full speed, what a wall of busy staff does);
- paced: requests started on a fixed schedule, `rate` per second, whatever the server answers
  (an open model: a slow server shows as latency, not as fewer requests, so the figures do not
  hide the queueing wrk's closed loop hides). Latency counts from the scheduled start.

Every request carries a tag (a kiosk rating's client id, or a page's path). At the end of the
run the requests still in flight are cut off, as wrk does; unlike wrk, the result says which:
`answered` holds the tags whose responses came back, with status and latency, and `cut_off`
the tags that were sent but not answered. Sync gunicorn workers close the connection after each
response, so every request opens its own connection (`Connection: close`).
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"
MAX_OPEN = 256  # paced: connections open at once; beyond it a request waits (and is late)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    tag: str = ""


@dataclass
class Result:
    """What one load generator saw: (tag, status, seconds) per answer, tags cut off."""

    answered: list[tuple[str, int, float]] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)  # connection errors by kind
    seconds: float = 0.0
    late_starts: int = 0  # paced: requests started more than 10 ms after their schedule
    not_started: int = 0  # paced: still waiting for a connection slot when the run ended
    cpu_seconds: float = 0.0  # what the generator itself used of the shared cores


async def _send(port: int, request: Request) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        head = f"{request.method} {request.path} HTTP/1.1\r\nHost: {HOST}\r\n"
        for name, value in request.headers.items():
            head += f"{name}: {value}\r\n"
        if request.body:
            head += f"Content-Length: {len(request.body)}\r\n"
        writer.write((head + "Connection: close\r\n\r\n").encode() + request.body)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # until the server closes: the whole response has arrived
        return int(status_line.split()[1])
    finally:
        writer.close()


class _Run:
    def __init__(self, port: int, make: Callable[[int], Request]):
        self.port, self.make, self.result = port, make, Result()
        self.in_flight: dict[int, str] = {}

    async def one(self, n: int, started: float) -> None:
        request = self.make(n)
        self.in_flight[n] = request.tag
        try:
            status = await _send(self.port, request)
        except OSError as error:
            kind = type(error).__name__
            self.result.errors[kind] = self.result.errors.get(kind, 0) + 1
            del self.in_flight[n]  # refused or reset: never answered, reported as an error
            self.result.cut_off.append(request.tag)
            return
        del self.in_flight[n]
        self.result.answered.append((request.tag, status, time.perf_counter() - started))

    def finish(self, started: float) -> Result:
        self.result.cut_off.extend(self.in_flight.values())
        self.result.seconds = time.perf_counter() - started
        return self.result


async def closed(port: int, make: Callable[[int], Request], clients: int, seconds: float):
    run = _Run(port, make)
    numbers = iter(range(10**9))
    started = time.perf_counter()

    async def client():
        while True:
            await run.one(next(numbers), time.perf_counter())

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return run.finish(started)


async def paced(port: int, make: Callable[[int], Request], rate: float, seconds: float):
    run = _Run(port, make)
    slots = asyncio.Semaphore(MAX_OPEN)
    tasks: set[asyncio.Task] = set()
    started = time.perf_counter()

    async def at(n: int, scheduled: float):
        async with slots:
            if time.perf_counter() - scheduled > 0.010:
                run.result.late_starts += 1
            await run.one(n, scheduled)

    for n in range(int(rate * seconds)):
        scheduled = started + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(at(n, scheduled))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.sleep(max(0.0, started + seconds - time.perf_counter()))
    for task in list(tasks):
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    result = run.finish(started)
    result.not_started = int(rate * seconds) - len(result.answered) - len(result.cut_off)
    return result


def _child(queue, shape, port, make, amount, seconds):
    runner = closed if shape == "closed" else paced
    result = asyncio.run(runner(port, make, amount, seconds))
    result.cpu_seconds = time.process_time()
    queue.put(result)


def start(shape: str, port: int, make: Callable[[int], Request], amount: float, seconds: float):
    """Start a load in a child process; returns a function that waits for its Result.

    shape "closed": `amount` clients at full speed; "paced": `amount` requests per second.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, shape, port, make, amount, seconds))
    process.start()

    def wait() -> Result:
        result = queue.get(timeout=seconds + 60)
        process.join(timeout=10)
        return result

    return wait


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of unsorted values, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
