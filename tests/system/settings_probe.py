"""Settings for the multi-process and fault tests: the project's, plus probe tasks, and
worker heartbeats every second so that a killed worker is noticed in seconds."""

from civility.settings import *  # noqa: F403

PROCRASTINATE_IMPORT_PATHS = ["tests.system.probe_tasks"]
PROCRASTINATE_WORKER_DEFAULTS = {"update_heartbeat_interval": 1.0, "stalled_worker_timeout": 3.0}
