"""Start and stop real server processes for the system tests (gunicorn, uvicorn, workers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def database_url(settings_dict=None) -> str:
    s = settings_dict or connection.settings_dict
    auth = quote(s.get("USER") or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = quote(s.get("HOST") or "127.0.0.1", safe="")  # the embedded server: a socket folder
    return f"postgres://{auth}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(db_url: str, **extra) -> dict:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DATABASE_URL": db_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "x",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


@contextmanager
def running(*commands: tuple[list[str], dict, int | None], logs: Path):
    """Start each (argv, env, port): wait for its port, stop them all at the end."""
    logs.mkdir(parents=True, exist_ok=True)
    processes = []
    try:
        for number, (argv, env, port) in enumerate(commands):
            log = open(logs / f"{number}-{Path(argv[0]).name}.log", "wb")  # noqa: SIM115
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append(process)
            if port:
                wait_for_port(port, process)
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def gunicorn(db_url: str, port: int, **extra):
    return (
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "civility.wsgi",
        ],
        server_env(db_url, **extra),
        port,
    )


def uvicorn_stream(db_url: str, port: int, **extra):
    return (
        [
            str(VENV_BIN / "uvicorn"),
            "civility.feedback.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        server_env(db_url, **extra),
        port,
    )


def worker(db_url: str, *queues: str, **extra):
    argv = [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "2"]
    if queues:
        argv += ["--queues", ",".join(queues)]
    return (argv, server_env(db_url, **extra), None)
