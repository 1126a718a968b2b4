"""Production WSGI server: sync workers, one per core, database connections kept open.

Measured on two cores: ~1,400 simple POSTs/s with persistent connections (DB_CONN_MAX_AGE),
about six times what per-request connections give. Server-Sent Events are served by a
separate ASGI process (docs/deploy.md), never by these workers.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# The reverse proxy's address, so throttles see the real client network (X-Forwarded-For).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = "-"
# No client address, query string or body: anonymous reports and ratings must not be
# traceable through the logs.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
