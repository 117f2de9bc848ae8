"""One queue seen from the process that enqueues: enqueue, start workers, wait, read timings.

Each class speaks to one kind of system through its public API (`Task.enqueue()`,
Celery's `delay()`) and reads the times the system itself recorded where it records them
(the database backend's and RQ's `started_at`/`finished_at`); Celery records none, so its
task returns its own start and end times. All times are in seconds.
"""

import os
import time

from ..processes import ManagedProcess


class Timeout(Exception):
    """The tasks did not all finish in time."""


def _wait_until(done, timeout, what):
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise Timeout(f"{what} not finished after {timeout:.0f} s")
        time.sleep(0.05)


class DatabaseQueue:
    """django.tasks' database backend (django-tasks-db) and its `db_worker`."""

    def __init__(self, system):
        from django.core.management import call_command

        from .tasks import noop

        self.system = system
        self.task = noop
        call_command("migrate", verbosity=0)
        self._notify_only_if_listening()

    def _notify_only_if_listening(self):
        """The other systems run without the NOTIFY trigger, as a project without tasknotify does."""
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        from tasknotify import trigger

        connection = connections[DBTaskResult.objects.db]
        if connection.vendor == "postgresql":
            trigger.set_enabled(connection, self.system.listen)

    def clear(self):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()

    def enqueue(self, count):
        return [self.task.enqueue() for _ in range(count)]

    def workers(self, count, interval=None):
        from ..worker import Worker

        interval = self.system.interval if interval is None else interval
        return [
            Worker(
                interval=interval,
                worker_id=f"bench-{n + 1}",
                listen=self.system.listen,
                env=dict(self.system.worker_settings),
            )
            for n in range(count)
        ]

    def wait(self, handles, timeout):
        from django_tasks_db.models import DBTaskResult

        finished = DBTaskResult.objects.finished()
        _wait_until(lambda: finished.count() >= len(handles), timeout, f"{len(handles)} tasks")

    def times(self, handles):
        """(start and end of each task in epoch seconds, did every task run exactly once?)"""
        from django_tasks_db.models import DBTaskResult

        rows = list(DBTaskResult.objects.values_list("status", "worker_ids", "started_at", "finished_at"))
        once = len(rows) == len(handles) and all(
            status == "SUCCESSFUL" and len(worker_ids) == 1 for status, worker_ids, _, _ in rows
        )
        return [(start.timestamp(), end.timestamp()) for _, _, start, end in rows if start and end], once

    def pickup(self, handle, sent):
        self.wait_one(handle)
        return (handle.started_at - handle.enqueued_at).total_seconds()

    def wait_one(self, handle):
        def finished():
            handle.refresh()
            return handle.is_finished

        _wait_until(finished, 60, "one task")

    # -- costs (tasklab.bench.costs): PostgreSQL only, started with pg_stat_statements ---------
    def _sql(self, query):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall() if cursor.description else None

    def finished(self, handles):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.finished().count()

    def reset_counters(self):
        self._sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        self._sql("SELECT pg_stat_statements_reset()")

    def calls(self):
        """Statements run since the reset, by kind, but for this process's own questions."""
        rows = self._sql(
            "SELECT query, calls FROM pg_stat_statements WHERE dbid = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%COUNT(*)%'"
        )
        counted = {}
        for query, calls in rows:
            kind = statement_kind(query)
            counted[kind] = counted.get(kind, 0) + calls
        return dict(sorted(counted.items(), key=lambda item: -item[1]))

    def server_cpu(self):
        """CPU seconds of PostgreSQL: the postmaster, its living processes and the ended ones."""
        import psutil

        from .costs import tree_cpu

        [[data_dir]] = self._sql("SHOW data_directory")
        with open(os.path.join(data_dir, "postmaster.pid")) as pid_file:
            postmaster = int(pid_file.readline())
        ended = psutil.Process(postmaster).cpu_times()
        return tree_cpu(postmaster) + ended.children_user + ended.children_system


def statement_kind(query):
    """A short name for a statement: its verb, and what makes it the claim or the poll."""
    words = " ".join(query.split())
    verb = words.split(" ", 1)[0].upper()
    if "SKIP LOCKED" in words:
        return f"{verb} ... FOR UPDATE SKIP LOCKED"
    if verb == "UPDATE" and " SET " in words:
        columns = [
            part.split(" = ")[0].strip('" ')
            for part in words.split(" SET ", 1)[1].split(" WHERE ")[0].split(", ")
        ]
        return f"UPDATE ({', '.join(c.split('.')[-1].strip(chr(34)) for c in columns)})"
    return verb


class RQQueue:
    """django-tasks-rq: the same `Task.enqueue()`, stored in Redis, run by RQ's workers."""

    def __init__(self, system):
        import django_rq

        from .tasks import noop

        self.task = noop
        self.redis = django_rq.get_connection()
        self.redis_url = os.environ["TASKLAB_REDIS_URL"]

    def clear(self):
        self.redis.flushdb()

    def enqueue(self, count):
        return [self.task.enqueue().id for _ in range(count)]

    def workers(self, count, interval=None):
        from ..rq_worker import RQWorker

        # The bench's tasks module does not need the project's URLs and views.
        return [RQWorker(self.redis_url, name=f"bench-rq-{n + 1}", skip_checks=True) for n in range(count)]

    def _statuses(self, ids):
        from rq.job import Job

        pipe = self.redis.pipeline()
        for job_id in ids:
            pipe.hget(Job.key_for(job_id), "status")
        return [(s or b"").decode() for s in pipe.execute()]

    def wait(self, handles, timeout):
        left = list(handles)

        def finished():
            nonlocal left
            left = [i for i, s in zip(left, self._statuses(left)) if s not in ("finished", "failed")]
            return not left

        _wait_until(finished, timeout, f"{len(handles)} tasks")

    def times(self, handles):
        from rq.job import Job

        jobs = Job.fetch_many(list(handles), connection=self.redis)
        once = all(job is not None and job.get_status() == "finished" for job in jobs)
        return [
            (job.started_at.timestamp(), job.ended_at.timestamp())
            for job in jobs
            if job and job.started_at and job.ended_at
        ], once

    def pickup(self, handle, sent):
        self.wait([handle], 60)
        result = self.task.get_result(handle)
        return (result.started_at - result.enqueued_at).total_seconds()


class CeleryQueue:
    """Celery with Redis as broker and result backend; `delay()` is its `enqueue()`."""

    def __init__(self, system):
        from .celery_app import REDIS_URL, app, noop

        self.app = app
        self.task = noop
        self.redis_url = REDIS_URL
        self.redis = app.backend.client

    def clear(self):
        self.redis.flushdb()

    def enqueue(self, count):
        return [self.task.delay().id for _ in range(count)]

    def finished(self, handles):
        return sum(1 for r in self._results(list(handles)) if r and r["status"] in ("SUCCESS", "FAILURE"))

    def reset_counters(self):
        self.redis.config_resetstat()

    def calls(self):
        """Redis commands run since the reset, by name, but for this process's own questions."""
        stats = self.redis.info("commandstats")
        counted = {
            name.removeprefix("cmdstat_").upper(): value["calls"]
            for name, value in stats.items()
            if name not in ("cmdstat_mget", "cmdstat_info", "cmdstat_config")
        }
        return dict(sorted(counted.items(), key=lambda item: -item[1]))

    def server_cpu(self):
        cpu = self.redis.info("cpu")
        return cpu["used_cpu_user"] + cpu["used_cpu_sys"]

    def workers(self, count, interval=None):
        from .celery_worker import CeleryWorker

        return [CeleryWorker(self.redis_url, concurrency=count)]

    def _results(self, ids):
        backend = self.app.backend
        raw = self.redis.mget([backend.get_key_for_task(i) for i in ids])
        return [backend.decode_result(r) if r else None for r in raw]

    def wait(self, handles, timeout):
        left = list(handles)

        def finished():
            nonlocal left
            left = [
                i
                for i, r in zip(left, self._results(left))
                if r is None or r["status"] not in ("SUCCESS", "FAILURE")
            ]
            return not left

        _wait_until(finished, timeout, f"{len(handles)} tasks")

    def times(self, handles):
        results = self._results(list(handles))
        times = [tuple(r["result"]) for r in results if r and r["status"] == "SUCCESS"]
        return times, len(times) == len(handles)

    def pickup(self, handle, sent):
        self.wait([handle], 60)
        [result] = self._results([handle])
        return result["result"][0] - sent


CLIENTS = {"database": DatabaseQueue, "rq": RQQueue, "celery": CeleryQueue}


def start_all(workers: list[ManagedProcess]):
    """Start workers side by side, so that they begin to drain at about the same moment."""
    import threading

    errors = []

    def start(worker):
        try:
            worker.start()
        except Exception as error:  # reported below, after the others have started
            errors.append(error)

    threads = [threading.Thread(target=start, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        for worker in workers:
            worker.stop()
        raise errors[0]
    return workers
