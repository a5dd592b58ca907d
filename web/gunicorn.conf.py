"""gunicorn settings for Lede (see the Procfile). Workers only read the index."""
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
timeout = 30
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
preload_app = False  # each worker opens its own Whoosh searcher after the fork
