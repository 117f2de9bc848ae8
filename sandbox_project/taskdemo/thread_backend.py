"""A task backend that runs tasks on a pool of threads inside this process, with results in memory.

Written to learn the contract of `django.tasks.backends.base.BaseTaskBackend` (lesson 24), not
for production: nothing survives the process, another process cannot see its results, and it
has no deferred tasks or priorities. Use it with

    TASKS = {"default": {"BACKEND": "taskdemo.thread_backend.ThreadPoolBackend",
                         "OPTIONS": {"MAX_WORKERS": 4}}}

Django makes one backend object per thread (and new ones whenever `TASKS` changes), so the
pool and the results cannot live on the object: they live in `_pools`, one per alias and pool
size, shared by every backend object of this process.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from copy import copy
from dataclasses import dataclass, field
from traceback import format_exception

from django.core import checks
from django.db import close_old_connections
from django.tasks import TaskContext, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.json import normalize_json

DEFAULT_MAX_WORKERS = 4
KNOWN_OPTIONS = {"MAX_WORKERS"}


@dataclass
class _Pool:
    """The threads and the results of one alias: what every backend object of it shares."""

    executor: ThreadPoolExecutor
    results: dict = field(default_factory=dict)  # id -> TaskResult, updated by the threads
    lock: threading.Lock = field(default_factory=threading.Lock)


_pools = {}
_pools_lock = threading.Lock()


class ThreadPoolBackend(BaseTaskBackend):
    supports_async_task = True  # Task.call() runs a coroutine function with async_to_sync
    supports_get_result = True  # from any thread of this process (not from another process)
    # supports_defer and supports_priority stay False: a pool runs tasks in the order they came.

    def __init__(self, alias, params):
        super().__init__(alias, params)
        # Nothing here may fail on a bad option: check() reports it (`manage.py check`).
        self.max_workers = self.options.get("MAX_WORKERS", DEFAULT_MAX_WORKERS)

    def _pool(self):
        key = (self.alias, self.max_workers)
        with _pools_lock:
            if key not in _pools:
                _pools[key] = _Pool(
                    ThreadPoolExecutor(self.max_workers, thread_name_prefix=f"tasks-{self.alias}")
                )
            return _pools[key]

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=str(uuid.uuid4()),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        pool = self._pool()
        with pool.lock:
            pool.results[result.id] = result
        task_enqueued.send(type(self), task_result=result)
        snapshot = self._snapshot(pool, result.id)  # READY: taken before a thread can start it
        pool.executor.submit(self._run, pool, result)
        return snapshot

    def _run(self, pool, result):
        """Run one task in a pool thread, recording each step on the shared result."""
        close_old_connections()  # as a request or db_worker does: no stale database connection
        with pool.lock:
            object.__setattr__(result, "status", TaskResultStatus.RUNNING)
            object.__setattr__(result, "started_at", timezone.now())
            object.__setattr__(result, "last_attempted_at", result.started_at)
            result.worker_ids.append(threading.current_thread().name)
        task_started.send(type(self), task_result=result)
        try:
            task = result.task
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            value = normalize_json(value)
        except BaseException as error:  # a task's failure is its result's, never the pool's
            with pool.lock:
                result.errors.append(
                    TaskError(
                        exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
                        traceback="".join(format_exception(error)),
                    )
                )
                object.__setattr__(result, "finished_at", timezone.now())
                object.__setattr__(result, "status", TaskResultStatus.FAILED)
            task_finished.send(type(self), task_result=result)
        else:
            with pool.lock:
                object.__setattr__(result, "_return_value", value)
                object.__setattr__(result, "finished_at", timezone.now())
                object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
            task_finished.send(type(self), task_result=result)
        finally:
            close_old_connections()

    def _snapshot(self, pool, result_id):
        """A copy, so that what the caller holds changes only when they call refresh()."""
        with pool.lock:
            try:
                shared = pool.results[result_id]
            except KeyError:
                raise TaskResultDoesNotExist(result_id) from None
            snapshot = copy(shared)
            object.__setattr__(snapshot, "errors", list(shared.errors))
            object.__setattr__(snapshot, "worker_ids", list(shared.worker_ids))
            return snapshot

    def get_result(self, result_id):
        return self._snapshot(self._pool(), result_id)

    def check(self, **kwargs):
        messages = []
        if not (isinstance(self.max_workers, int) and self.max_workers > 0):
            messages.append(
                checks.Error(
                    f"OPTIONS['MAX_WORKERS'] of task backend {self.alias!r} is {self.max_workers!r}.",
                    hint="Give the number of threads that run tasks, a whole number from 1 up.",
                    id="thread_backend.E001",
                )
            )
        for unknown in sorted(set(self.options) - KNOWN_OPTIONS):
            messages.append(
                checks.Warning(
                    f"Task backend {self.alias!r} ignores the option {unknown!r}.",
                    hint=f"ThreadPoolBackend knows only {sorted(KNOWN_OPTIONS)}.",
                    id="thread_backend.W001",
                )
            )
        return messages
