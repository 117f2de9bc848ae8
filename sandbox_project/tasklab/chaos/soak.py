"""Run one soak: PostgreSQL, the dev server, 4 workers, the load, the faults; drain; count.

Django must not be set up yet: the soak starts its own PostgreSQL first and points the
sandbox's settings (and every process it starts) at it.
"""

import os
import random
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .events import Events
from .faults import SLOTS, Slot, strike, sweep
from .load import Traffic, enqueue_effects, poll_status, register_users

CLIENTS = 20
KILL_EVERY = (3.0, 6.0)  # seconds between two SIGKILLs of the same worker slot
TERM_EVERY = (4.0, 8.0)  # seconds between two SIGTERMs
SWEEP_EVERY = 2.0  # seconds between two recovery sweeps
STUCK_AFTER = 2.0  # a task RUNNING longer than this (the slowest takes 0.5 s) may be stuck
DRAIN_TIMEOUT = 120.0  # seconds the queue may take to drain once the load stops
PROGRESS_EVERY = 30.0  # seconds between two progress lines on the terminal


def run(duration, seed, folder, *, say=print):
    """Soak for `duration` seconds with random choices from `seed`; returns a ChaosReport.

    folder: emptied, then holds the logs and the workers' cards. Every process started here
    is a toolkit process: it stops when this one ends, however it ends.
    """
    from ..postgres import Postgres

    shutil.rmtree(folder, ignore_errors=True)
    os.environ["TASKLAB_LOG_DIR"] = str(folder / "logs")
    os.environ["DJANGO_SETTINGS_MODULE"] = "taskdemo.settings"
    with Postgres() as pg:
        os.environ["TASKLAB_DATABASE_URL"] = pg.url
        os.environ.pop("TASKLAB_QUEUE_DATABASE_URL", None)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        say(f"PostgreSQL on 127.0.0.1:{pg.port} ready; logs in {folder}")
        return _soak(duration, seed, folder, say)


def _soak(duration, seed, folder, say):
    from django.db import connection
    from django.utils import timezone

    from ..server import Server
    from .report import count

    events = Events()
    traffic = Traffic()
    recoveries = []
    # runserver gives each request a thread and never closes its connection (Django's
    # basehttp.run() uses a plain ThreadingMixIn): with the sandbox's CONN_MAX_AGE=60, idle
    # connections pile up until PostgreSQL refuses more ("too many clients already", a 500).
    server = Server(env={"TASKLAB_CONN_MAX_AGE": "0"})
    slots = [Slot(name, events) for name in SLOTS]
    with ThreadPoolExecutor(5) as starting:
        list(starting.map(lambda process: process.start(), [server, *slots]))
    load_stop, faults_stop, end = threading.Event(), threading.Event(), threading.Event()
    rng = {role: random.Random(f"{seed}-{role}") for role in ("effects", "users", "kill", "term")}
    faults = []
    try:
        say(
            f"Soaking for {duration:g} s with seed {seed}: {server.url}, workers {[s.worker.worker_id for s in slots]}"
        )
        begin = timezone.now()
        events.begin()
        threads = [
            events.thread("enqueue", enqueue_effects, rng["effects"], load_stop, traffic),
            events.thread("register", register_users, server.url, rng["users"], load_stop, traffic),
        ]
        faults = [
            events.thread("SIGKILL", strike, slots[0], signal.SIGKILL, KILL_EVERY, rng["kill"], faults_stop),
            events.thread("SIGTERM", strike, slots[1], signal.SIGTERM, TERM_EVERY, rng["term"], faults_stop),
        ]
        observers = [events.thread("sweep", sweep, SWEEP_EVERY, STUCK_AFTER, end, events, recoveries)]
        most = int(2 * (duration + DRAIN_TIMEOUT) / 0.3)  # a bound on each client's requests
        observers += [
            events.thread(
                f"client-{n}",
                poll_status,
                server.url,
                random.Random(f"{seed}-client-{n}"),
                end,
                traffic,
                most,
            )
            for n in range(CLIENTS)
        ]
        _wait(duration, events, traffic, say)
        load_stop.set()
        faults_stop.set()
        for thread in threads + faults:
            thread.join()
        chaos_end = timezone.now()
        say(f"Load and faults stopped at {events.now():.0f} s; draining the queue...")
        drain_started = time.monotonic()
        drained = _drain()
        drain_seconds = time.monotonic() - drain_started
        end.set()
        for thread in observers:
            thread.join()
    finally:
        load_stop.set(), faults_stop.set(), end.set()
        for thread in faults:  # one may be restarting a worker: let it finish, then stop them all
            thread.join()
        with ThreadPoolExecutor(len(slots) + 1) as stopping:  # side by side: Ctrl+C ends promptly
            list(stopping.map(lambda process: process.stop(), [*slots, server]))
    return count(
        seed=seed,
        traffic=traffic,
        events=events,
        recoveries=recoveries,
        logs=[worker.log() for slot in slots for worker in slot.retired],
        chaos_window=(begin, chaos_end),
        drain_seconds=drain_seconds,
        drained=drained,
        seconds=round((chaos_end - begin).total_seconds(), 1),
        database=f"PostgreSQL {connection.pg_version // 10000}",
        workers=len(slots),
        clients=CLIENTS,
    )


def _wait(duration, events, traffic, say):
    """Let the soak run for `duration` seconds, with a line of progress now and then."""
    deadline = time.monotonic() + duration
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, PROGRESS_EVERY))
        say(
            f"  {events.now():4.0f} s: {len(traffic.direct) + len(traffic.registered)} tasks enqueued, "
            f"{events.count('SIGKILL')} SIGKILLs, {events.count('SIGTERM')} SIGTERMs, "
            f"{sum(e.get('recovered', 0) for e in events.items)} recovered, "
            f"{traffic.requests} status requests ({len(traffic.status_errors)} errors)"
        )


def _drain():
    """Wait until no task is READY or RUNNING (the sweep goes on recovering); False on timeout."""
    from django_tasks_db.models import DBTaskResult

    unfinished = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while unfinished.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
