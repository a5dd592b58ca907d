"""gunicorn settings for Lede (the Procfile passes this file with --config).

Every setting can be changed through the environment; the README lists them.
Workers only read the index, and the engine resolves the live generation on each
request, so `python -m index rebuild` is picked up without a restart.
"""
import multiprocessing
import os

from web.engine import KEY as ENGINE_KEY
from web.workers import REQUEST_LINE_LIMIT


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from None
    if number < 1:
        raise SystemExit(f"{name} must be at least 1, got {number}")
    return number


# Searching is CPU-bound Python, so one process per core uses the machine;
# more processes than cores only adds memory (each holds its own searcher).
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count())
# Threads per worker. 1 = gunicorn's sync worker. More (the gthread worker) lets a
# worker keep answering while another request waits on the network or disk.
threads = env_int("LEDE_THREADS", 1)
# gunicorn's sync and gthread workers, answering oversized requests in Lede's JSON error shape (web/workers.py)
worker_class = "web.workers.LedeThreadWorker" if threads > 1 else "web.workers.LedeSyncWorker"

timeout = env_int("LEDE_TIMEOUT", 30)  # seconds a worker may spend on one request before it is restarted
graceful_timeout = env_int("LEDE_GRACEFUL_TIMEOUT", 10)  # seconds to finish requests on shutdown
keepalive = env_int("LEDE_KEEPALIVE", 5)  # seconds an idle keep-alive connection stays open (gthread)
# A query may be 10,000 characters (a pasted passage); percent-encoded UTF-8 needs up to 12 bytes each.
# gunicorn bounds a request line at 8190 bytes at most (0 would read a line of any length into memory);
# web/workers.py raises that bound to REQUEST_LINE_LIMIT, and the app answers a longer q with a 400.
limit_request_line = REQUEST_LINE_LIMIT  # bytes
limit_request_field_size = 32768  # bytes per header (gunicorn's default, 8190, refuses some real cookies)
limit_request_fields = 100  # headers per request

accesslog = "-"  # stdout
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
loglevel = os.environ.get("LEDE_LOG_LEVEL", "info")

# The heartbeat each worker touches between requests lives in a file in this directory; on a
# disk-backed /tmp that fchmod can stall a worker (gunicorn's FAQ), so use memory when there is some.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None

preload_app = False  # each worker opens its own Whoosh searcher after the fork


def post_worker_init(worker):
    """Never serve with Flask's debug mode, whatever FLASK_DEBUG or LEDE_DEBUG say; warm the engine.

    Warming runs after the fork, in the worker (a searcher must not be shared across processes),
    so its first request does not wait for the searcher and did-you-mean vocabulary to load.
    """
    app = getattr(worker, "wsgi", None)
    if app is not None and hasattr(app, "debug"):
        app.debug = False
    engine = getattr(app, "extensions", {}).get(ENGINE_KEY)
    if engine is not None:
        try:
            engine.warm()
        except Exception as exc:  # no index yet, or a broken one: requests report it; the worker must start
            worker.log.warning("index not warmed: %s", getattr(exc, "message", exc))
