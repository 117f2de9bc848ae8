"""A minimal Celery app, only for the benchmarks: Celery on Redis as a reference peer.

Broker and result backend are the Redis server named by ``TASKLAB_REDIS_URL``. The task
returns when it started and ended (`time.time()`), which is how the benchmark measures
Celery's pickup latency and drain time: Celery keeps no start time of its own.
"""

import os
import time

from celery import Celery

REDIS_URL = os.environ.get("TASKLAB_REDIS_URL", "redis://127.0.0.1:6379/0")

app = Celery("tasklab_bench", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    broker_connection_retry_on_startup=True,
    result_expires=3600,
    worker_hijack_root_logger=False,
)


@app.task
def noop():
    started = time.time()
    return [started, time.time()]
