"""Measure one system in a process of its own: `python -m tasklab.bench.scenario SPEC`.

Each system needs Django configured its own way (another settings module, another
database, other connection settings), so each is measured in a fresh process whose
environment says how; `tasklab.bench.queues` starts it and reads the last line it prints:
``RESULT {json}``. SPEC is JSON: {"system": name, "sizes": {...}, "measure": [...]}.
"""

import json
import os
import signal
import statistics
import sys
import time

from . import costs
from .landscape import poll_interval as landscape_poll
from .systems import SYSTEMS, Sizes


def enqueue_rate(client, count):
    client.clear()
    started = time.perf_counter()
    handles = client.enqueue(count)
    seconds = time.perf_counter() - started
    return handles, {"tasks": count, "seconds": seconds, "rate": count / seconds}


def drain(client, handles, workers, interval=None):
    """Start `workers` on a backlog of `handles` and time how fast they get through it."""
    from .clients import start_all

    running = start_all(client.workers(workers, interval))
    try:
        client.wait(handles, timeout=60 + len(handles) * 0.2)
    finally:
        for worker in running:
            worker.stop()
    times, once = client.times(handles)
    return {"workers": workers, "tasks": len(handles), "exactly_once": once, **steady_rate(times)}


def steady_rate(times):
    """Tasks per second from the start of the task one tenth of the way in to the last finish.

    The first tenth is left out: it pays for each worker's warm-up (imports, first
    connection) and for workers that became ready a moment apart.
    """
    starts = sorted(start for start, _ in times)
    skip = len(starts) // 10
    seconds = max(end for _, end in times) - starts[skip]
    counted = len(starts) - skip
    return {"seconds": seconds, "rate": counted / seconds, "per_task_ms": 1000 * seconds / counted}


def pickup_latency(client, samples, interval):
    """Enqueue into an idle worker, one task at a time, at phases spread evenly over its polling
    interval (so that the figures do not depend on luck), and time enqueue -> RUNNING."""
    from .clients import start_all

    client.clear()
    running = start_all(client.workers(1, interval))  # none for an in-process pool
    latencies = []
    try:
        for n in range(samples + 1):
            time.sleep((interval or 0.1) * (n + 0.5) / (samples + 1))
            sent = time.time()
            [handle] = client.enqueue(1)
            seconds = client.pickup(handle, sent)
            if n:  # the first one only warms the worker up
                latencies.append(seconds)
    finally:
        for worker in running:
            worker.stop()
    ordered = sorted(latencies)
    return {
        "interval": interval,
        "samples": samples,
        "median": statistics.median(ordered),
        "p95": ordered[max(0, -(-95 * len(ordered) // 100) - 1)],
        "all": latencies,
    }


def measure(system, sizes, what):
    from .clients import CLIENTS
    from .landscape import LandscapeQueue

    client = {**CLIENTS, "landscape": LandscapeQueue}[system.kind](system)
    result = {"system": system.name, "label": system.label, "kind": system.kind}
    if "drain" in what or "enqueue" in what:
        handles, result["enqueue"] = enqueue_rate(client, sizes.tasks)
        result["drain"] = []
        counts = client.worker_counts(sizes.workers) if hasattr(client, "worker_counts") else sizes.workers
        for workers in counts if "drain" in what else ():
            runs = []
            for _ in range(sizes.repeats):
                if result["drain"] or runs:
                    handles, _ = enqueue_rate(client, sizes.tasks)
                runs.append(drain(client, handles, workers))
            best = max(runs, key=lambda run: run["rate"])
            once = all(run["exactly_once"] for run in runs)
            result["drain"].append({**best, "exactly_once": once, "runs": len(runs)})
            progress(system, f"{workers} worker(s): {result['drain'][-1]['rate']:.0f} tasks/s")
    if "latency" in what:
        if system.kind == "landscape":
            intervals = (landscape_poll(system),)
        else:
            intervals = system.pickup_intervals(sizes)
        result["latency"] = [pickup_latency(client, sizes.latency_samples, i) for i in intervals]
        if intervals:
            progress(system, "pickup " + ", ".join(f"{r['median'] * 1000:.0f} ms" for r in result["latency"]))
    # The LISTEN/NOTIFY worker drains as the tuned one does: it only sleeps differently.
    if "growth" in what and system.kind == "database" and system.tuned and not system.listen:
        result["growth"] = []
        for count in sizes.growth:
            handles, _ = enqueue_rate(client, count)
            result["growth"].append(drain(client, handles, 1))
            progress(system, f"{count} tasks: {result['growth'][-1]['per_task_ms']:.1f} ms per task")
    if "breakdown" in what and _has_counters(system):
        result["breakdown"] = costs.breakdown(client, sizes.breakdown)
        progress(system, f"{result['breakdown']['worker_ms']:.1f} ms of worker CPU per task")
    if "idle" in what and system.tuned and system.server == "postgresql":
        intervals = (system.interval,) if system.listen else sizes.idle_intervals
        result["idle"] = [costs.idle(client, i, sizes.idle_seconds) for i in intervals]
        progress(system, "idle: " + ", ".join(f"{i['statements_per_s']:.1f}/s" for i in result["idle"]))
    client.clear()
    return result


def _has_counters(system):
    """Costs are counted by PostgreSQL (pg_stat_statements) and Redis for Celery, not SQLite or RQ."""
    return system.kind == "celery" or (system.kind == "database" and system.server == "postgresql")


def progress(system, message):
    print(f"{system.name}: {message}", flush=True)


def main(argv):
    # Stop like Ctrl+C on SIGTERM, so that the workers started here are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    spec = json.loads(argv[0])
    system = SYSTEMS[spec["system"]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskdemo.settings")
    import django

    django.setup()
    result = measure(
        system,
        Sizes(**{k: tuple(v) if isinstance(v, list) else v for k, v in spec["sizes"].items()}),
        spec["measure"],
    )
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
