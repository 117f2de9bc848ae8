"""The faults of a soak: workers killed (SIGKILL) or stopped (SIGTERM) mid-task and restarted,
and the recovery sweep that a deployment runs beside its workers.
"""

import signal
import time

from ..recovery import find_stuck, recover
from ..worker import Worker

# How long a fault waits for its worker to be in the middle of a task before striking anyway.
BUSY_WAIT = 5.0
# A worker stopped with one SIGTERM finishes its task first: tasks here take under a second.
STOP_TIMEOUT = 30.0


# The soak's worker slots, in the order the report and the timeline show them.
SLOTS = ("killed", "stopped", "steady-a", "steady-b")


class Slot:
    """One of the soak's worker processes, restarted after each fault under a new worker id.

    A new id each time, as a deployment gives each process its own (host and pid): recovery
    asks whether the worker named on a RUNNING task is still alive, and a new process under
    the old name would answer for the dead one, leaving its task RUNNING for ever.
    """

    def __init__(self, name, events):
        self.name = name
        self.events = events
        self.started = 0
        self.worker = None
        self.retired = []  # every worker this slot has run, for their logs

    def start(self):
        self.started += 1
        worker = Worker(queues="*", worker_id=f"{self.name}-{self.started}", interval=0.1)
        worker.start()
        self.worker = worker
        self.retired.append(worker)
        self.events.add("start", slot=self.name, worker=worker.worker_id)
        return self

    def stop(self):
        if self.worker is not None and self.worker.running:
            self.worker.stop()
            self.events.add("stop", slot=self.name, worker=self.worker.worker_id)


def is_busy(worker_id):
    """True while a task claimed by this worker is RUNNING in the database."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.running().filter(worker_ids__contains=[worker_id]).exists()


def wait_until_busy(worker_id, stop, timeout=BUSY_WAIT):
    """True once the worker runs a task, False after `timeout`; None if `stop` is set first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stop.is_set():
            return None
        if is_busy(worker_id):
            return True
        time.sleep(0.01)
    return False


def strike(slot, signum, every, rng, stop):
    """Every `every` seconds (a random range), signal the slot's worker mid-task, then restart it."""
    name = signal.Signals(signum).name
    while not stop.wait(rng.uniform(*every)):
        worker = slot.worker
        busy = wait_until_busy(worker.worker_id, stop)
        if busy is None:  # the soak is ending: no fault half-done
            return
        worker.signal(signum)
        code = worker.wait(timeout=STOP_TIMEOUT)
        slot.events.add(name, slot=slot.name, worker=worker.worker_id, mid_task=busy, exit_code=code)
        slot.start()


def sweep(every, older_than, stop, events, recoveries):
    """What a deployment runs every few minutes (cron, a periodic task): find and re-enqueue
    the tasks whose worker is gone. Runs until `stop` is set, plus one last sweep."""
    while True:
        stopping = stop.wait(every)
        done = recover(find_stuck(older_than=older_than), action="requeue")
        recoveries.extend(done)
        events.add("sweep", recovered=len(done), ids=[str(r.old.id) for r in done])
        if stopping:
            return
