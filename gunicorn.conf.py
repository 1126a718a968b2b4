"""Production WSGI server: sync workers, two per core, database connections kept open.

Two per core because a sync worker waits idle on every database round trip: on two cores
the kiosk endpoint sustained 912 ratings/s with 2 workers, 958/s with 3 and 1,110/s with 4
(bench/kiosk_ingest.py, bench/README.md), and the bare-view baseline grew alike.

Measured on two cores: ~1,400 simple POSTs/s with persistent connections (DB_CONN_MAX_AGE),
about six times what per-request connections give. Server-Sent Events are served by a
separate ASGI process (docs/deploy.md), never by these workers.
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# Which peers may set X-Forwarded-Proto: the same TRUSTED_PROXIES Django reads. gunicorn never
# takes the client's address from X-Forwarded-For (REMOTE_ADDR stays the proxy's); Django
# does, from these proxies only (civility/core/clients.py).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = "-"
# No client address, query string or body: anonymous reports and ratings must not be
# traceable through the logs.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Paths that carry a receipt code: whoever reads the log must not be able to follow a report.
RECEIPT_IN_PATH = re.compile(r"^(/feedback/[rc]/|/open311/v2/requests/)[^/]+")


class ReceiptlessLogger(Logger):
    """gunicorn's logger, with receipt codes cut out of the logged path."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = RECEIPT_IN_PATH.sub(r"\1-", atoms["U"] or "")
        return atoms


logger_class = ReceiptlessLogger
