"""Where a task's time goes, and what an idle worker costs: the figures behind lesson 16's knobs.

Throughput says how fast; this says why. For one worker draining a backlog it counts, per
task, the CPU the worker's processes and the server's spent (psutil; Redis's own INFO) and
the round trips the worker made: statements from PostgreSQL's `pg_stat_statements`, commands
from Redis's `INFO commandstats`. For an idle worker it counts the statements it sends
against an empty queue each second, at each `--interval`.

The counters need PostgreSQL started with `shared_preload_libraries=pg_stat_statements`
(`SERVER_SETTINGS`), which `tasklab.bench.queues` does when these measures are asked for.
"""

import time

import psutil

SERVER_SETTINGS = {"shared_preload_libraries": "pg_stat_statements"}


def tree_cpu(pid):
    """CPU seconds (user + system) of a process and all its living descendants."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def breakdown(client, tasks):
    """One worker drains `tasks` no-op tasks: CPU and round trips per task, worker and server."""
    from .clients import start_all

    client.clear()
    handles = client.enqueue(tasks)
    client.reset_counters()
    [worker] = start_all(client.workers(1))
    try:
        done_before, worker_before, server_before = (
            client.finished(handles),
            tree_cpu(worker.pid),
            client.server_cpu(),
        )
        client.wait(handles, timeout=60 + tasks * 0.2)
        worker_cpu = tree_cpu(worker.pid) - worker_before
        server_cpu = client.server_cpu() - server_before
        calls = client.calls()
    finally:
        worker.stop()
    counted = tasks - done_before
    per_task = {name: n / tasks for name, n in calls.items() if n >= tasks / 2}
    return {
        "tasks": counted,
        "worker_ms": 1000 * worker_cpu / counted,
        "server_ms": 1000 * server_cpu / counted,
        "round_trips": per_task,
    }


def idle(client, interval, seconds):
    """A worker on an empty queue at `--interval`: statements it sends per second, its CPU."""
    from .clients import start_all

    client.clear()
    [worker] = start_all(client.workers(1, interval))
    try:
        time.sleep(1)  # past its start-up queries
        client.reset_counters()
        cpu_before, started = tree_cpu(worker.pid), time.monotonic()
        time.sleep(seconds)
        calls = client.calls()
        elapsed = time.monotonic() - started
        cpu = tree_cpu(worker.pid) - cpu_before
    finally:
        worker.stop()
    return {
        "interval": interval,
        "seconds": elapsed,
        "statements_per_s": sum(calls.values()) / elapsed,
        "kinds": sorted(calls),
        "cpu_percent": 100 * cpu / elapsed,
    }


def breakdown_table(results, table):
    """Per task: CPU of the worker and of the server, and the round trips by kind."""
    rows = []
    for r in results.values():
        b = r.get("breakdown")
        if not b:
            continue
        trips = sum(b["round_trips"].values())
        rows.append([r["label"], f"{b['worker_ms']:.1f} ms", f"{b['server_ms']:.1f} ms", f"{trips:.1f}"])
    if not rows:
        return ""
    details = [
        f"  {r['label']}: "
        + ", ".join(f"{n:.1f} x {name}" for name, n in r["breakdown"]["round_trips"].items())
        for r in results.values()
        if r.get("breakdown")
    ]
    return (
        table(
            "Where a task's time goes: one worker draining no-op tasks (per task)",
            ["system", "worker CPU", "server CPU", "round trips"],
            rows,
        )
        + "\n"
        + "\n".join(details)
    )


def idle_table(results, table):
    """An idle worker's statements per second and CPU, at each interval."""
    rows = [
        [
            f"{r['label']}, --interval {i['interval']:g}",
            f"{i['statements_per_s']:.1f}/s",
            f"{i['cpu_percent']:.1f} %",
        ]
        for r in results.values()
        for i in r.get("idle", [])
    ]
    return (
        table(
            "An idle worker: statements it sends to an empty queue, and its CPU",
            ["worker", "statements", "CPU"],
            rows,
        )
        if rows
        else ""
    )
