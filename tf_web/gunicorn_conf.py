"""Gunicorn settings for the Procfile's web process."""

import multiprocessing
import os

bind = f"{os.environ.get('TF_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("TF_WEB_THREADS", "4"))
worker_class = "gthread"
# The app (and its connection pools) is built in each worker after the fork.
preload_app = False
accesslog = None  # tf_web.request_log writes one JSON line per request instead
graceful_timeout = 10
