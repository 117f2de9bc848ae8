"""The matrix rows: each check runs something on the configured backend and returns a `Cell`.

They run inside `runner.py`, where Django is set up for one candidate. A cell's `value` is
what the matrix shows; its `detail` says why, from the run (an exception's type and message,
what the marks show). Both stay the same from run to run: no timings here (the benchmark
measures those). The checks share the workers of a `Lab`, in the order of `CHECKS`, so a
backend costs a few worker starts, not one per check.
"""

import datetime
import importlib
import pkgutil
import re
import signal
import time

from django.tasks import TaskResultStatus

from . import tasks
from .cells import Cell
from .host import Host
from .workers import make_workers

YES, NO, PARTLY = "yes", "no", "partly"
FINISHED = {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}


def _error(exc):
    """`raises InvalidTask: message`, one line, as a cell shows it."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"raises {type(exc).__name__}" + (f": {message}" if message else "")


class Lab:
    """One candidate's workers and waits, shared by the checks."""

    def __init__(self, candidate, env, quick):
        self.candidate = candidate
        self.env = env
        self.quick = quick
        self.workers = []

    def ensure_workers(self, count):
        """Have `count` live workers (none for an in-process backend)."""
        self.workers = [w for w in self.workers if w.running]
        missing = count - len(self.workers)
        if missing > 0:
            started = make_workers(self.candidate, missing, {})
            for worker in started:
                worker.start()
            self.workers += started
        return self.workers

    def pause(self):
        """Stop the workers, and this process's own share of the work where the backend runs
        queued tasks in every process (its `pause` hook)."""
        self.stop_workers()
        if "pause" in self.candidate.hooks:
            self.candidate.hooks["pause"](tasks.mark.get_backend())

    def resume(self):
        if "resume" in self.candidate.hooks:
            self.candidate.hooks["resume"](tasks.mark.get_backend())

    def stop_workers(self):
        for worker in self.workers:
            worker.stop(timeout=5)
        self.workers = []

    def wait(self, predicate, timeout):
        """Poll `predicate` until it is true or `timeout` seconds passed; return its last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)

    def wait_marks(self, name, count, timeout):
        self.wait(lambda: len(tasks.read_marks(name)) >= count, timeout)
        return tasks.read_marks(name)

    def status(self, task, result_id):
        try:
            return task.get_result(result_id).status
        except Exception:
            return None


CHECKS = {}


def check(name, title):
    def register(function):
        function.title = title
        CHECKS[name] = function
        return function

    return register


def _lineage(task_class):
    """`django.tasks` when the Task class derives from Django's own, else the backport's."""
    import django.tasks

    if issubclass(task_class, django.tasks.Task):
        return "django.tasks"
    return "django_tasks backport"


@check("api", "django.tasks or backport")
def api(lab):
    """Which Task class `@task` built, which exceptions and signals the backend uses."""
    import django.tasks.signals

    fired = []

    def receiver(**kwargs):
        fired.append("django.tasks.signals")

    django.tasks.signals.task_enqueued.connect(receiver)
    try:
        tasks.add.get_result("00000000000000000000000000000000")
        missing = "nothing"
    except Exception as exc:
        missing = f"{type(exc).__module__}.{type(exc).__name__}"
    try:
        tasks.mark.enqueue("api")
    finally:
        django.tasks.signals.task_enqueued.disconnect(receiver)
    lab.ensure_workers(1)
    lab.wait_marks("api", 1, 10)
    started = sorted(set(lab.wait_marks("task_started", 1, 2)))
    task_class = type(tasks.add)
    return Cell(
        "api",
        _lineage(task_class),
        f"@task builds {task_class.__module__}.{task_class.__name__}; get_result of an unknown id "
        f"raises {missing}; task_enqueued sent on {', '.join(fired) or 'no django.tasks signal'}; "
        f"task_started on {', '.join(started) or 'neither signal'}",
    )


@check("priorities", "priorities")
def priorities(lab):
    """Three low-priority tasks enqueued before three high ones, then one worker starts."""
    lab.pause()
    try:
        low = tasks.mark.using(priority=-10)
        high = tasks.mark.using(priority=10)
        for _ in range(3):
            low.enqueue("priorities", "low")
        for _ in range(3):
            high.enqueue("priorities", "high")
    except Exception as exc:
        lab.resume()
        return Cell("priorities", NO, _error(exc))
    lab.resume()
    lab.ensure_workers(1)
    order = lab.wait_marks("priorities", 6, 15)
    if len(order) < 6:
        return Cell("priorities", NO, f"accepted; only {len(order)} of 6 tasks ran within 15 s")
    if order[:3] == ["high"] * 3:
        return Cell("priorities", YES, "3 low enqueued before 3 high: the high ones ran first")
    return Cell("priorities", NO, f"accepted but ignored: ran in the order {' '.join(order)}")


@check("run_after", "run_after")
def run_after(lab):
    lab.ensure_workers(1)
    delay = 1.0 if lab.quick else 2.0
    try:
        deferred = tasks.stamp.using(
            run_after=datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=delay)
        )
        enqueued_at = time.time()
        deferred.enqueue("run_after")
    except Exception as exc:
        return Cell("run_after", NO, _error(exc))
    marks = lab.wait_marks("run_after", 1, delay + 8)
    if not marks:
        return Cell("run_after", NO, f"accepted; not run within {delay + 8:g} s")
    waited = float(marks[0]) - enqueued_at
    if waited >= delay - 0.3:
        return Cell("run_after", YES, f"a task deferred by {delay:g} s did not start before then")
    return Cell("run_after", NO, f"accepted but ignored: a task deferred by {delay:g} s started at once")


@check("queues", "queues")
def queues(lab):
    lab.ensure_workers(1)
    try:
        tasks.on_emails_queue.using(queue_name="nowhere")
        undeclared = "an undeclared queue is accepted"
    except Exception as exc:
        undeclared = f"an undeclared queue {_error(exc)}"
    try:
        tasks.on_emails_queue.enqueue("queues")
    except Exception as exc:
        return Cell("queues", NO, _error(exc))
    wait = 5 if lab.quick else 10
    if lab.wait_marks("queues", 1, wait):
        return Cell("queues", YES, f"a task on queue `emails` ran; {undeclared}")
    return Cell("queues", NO, f"a task on queue `emails` did not run within {wait} s; {undeclared}")


@check("get_result", "get_result")
def get_result(lab):
    lab.ensure_workers(1)
    try:
        result = tasks.add.enqueue(2, 3)
    except Exception as exc:
        return Cell("get_result", NO, _error(exc))
    try:
        tasks.add.get_result(result.id)
    except NotImplementedError as exc:  # a backend without get_result says so at once
        return Cell("get_result", NO, _error(exc))
    except Exception:
        pass  # some backends know a result only once a worker has it
    try:
        lab.wait(lambda: lab.status(tasks.add, result.id) in FINISHED, 10)
        fetched = tasks.add.get_result(result.id)
    except Exception as exc:
        return Cell("get_result", NO, _error(exc))
    if fetched.status == TaskResultStatus.SUCCESSFUL and fetched.return_value == 5:
        return Cell("get_result", YES, f"add(2, 3) read back by id: {fetched.status.name}, 5")
    return Cell("get_result", NO, f"add(2, 3) read back as {fetched.status.name} after 10 s")


@check("async", "async tasks")
def async_tasks(lab):
    lab.ensure_workers(1)
    try:
        from .async_tasks import async_mark  # a backend that refuses it fails this import

        async_mark.enqueue("async")
    except Exception as exc:
        return Cell("async", NO, _error(exc))
    if lab.wait_marks("async", 1, 10):
        return Cell("async", YES, "an `async def` task ran")
    return Cell("async", NO, "an `async def` task was accepted but did not run within 10 s")


def _offered(candidate, pattern):
    """Modules of the candidate's packages whose names match `pattern`: what it offers beyond
    django.tasks, found in the installed package rather than typed."""
    found = []
    for app in _top_packages(candidate):
        module = importlib.import_module(app)
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), f"{app}."):
            if re.search(pattern, info.name.rsplit(".", 1)[-1]) and "migrations" not in info.name:
                found.append(info.name)
    return sorted(found)


def _top_packages(candidate):
    return sorted({candidate.backend.split(".")[0], *(app.split(".")[0] for app in candidate.apps)})


def _no_hook(lab, name, pattern, what):
    found = _offered(lab.candidate, pattern)
    if found:
        return Cell(name, "own API", f"not through django.tasks; the package has {', '.join(found[:3])}")
    return Cell(name, NO, f"django.tasks has no {what}, and the package has no module for it")


@check("context", "takes_context")
def context(lab):
    lab.ensure_workers(1)
    try:
        result = tasks.attempt.enqueue("context")
    except Exception as exc:
        return Cell("context", NO, _error(exc))
    wait = 5 if lab.quick else 10
    lab.wait(lambda: tasks.read_marks("context") or lab.status(tasks.attempt, result.id) in FINISHED, wait)
    attempts = tasks.read_marks("context")
    if attempts:
        return Cell("context", YES, f"a takes_context task ran and read attempt {attempts[0]}")
    if lab.status(tasks.attempt, result.id) == TaskResultStatus.FAILED:
        error = tasks.attempt.get_result(result.id).errors[-1].traceback.strip().splitlines()[-1]
        return Cell("context", NO, f"a takes_context task failed: {error}")
    return Cell("context", NO, f"a takes_context task did not run within {wait} s")


@check("retries", "retries")
def retries(lab):
    lab.ensure_workers(1)
    hook = lab.candidate.hooks.get("retries")
    task = hook(tasks.fail_first) if hook else tasks.fail_first
    try:
        task.enqueue("retries")
    except Exception as exc:
        return Cell("retries", NO, _error(exc))
    wait = 2 if lab.quick else 10
    attempts = lab.wait_marks("retries", 2, wait)
    if len(attempts) >= 2:
        return Cell("retries", YES, f"a task that failed once ran again (attempt {attempts[-1]})")
    if hook:
        return Cell(
            "retries", NO, f"its retry option was set, yet the task ran {len(attempts)} time(s) in {wait} s"
        )
    cell = _no_hook(lab, "retries", r"retr", "retry option")
    if cell.value == NO:
        return Cell("retries", NO, f"a task that failed ran {len(attempts)} time(s) in {wait} s, not retried")
    return cell


@check("periodic", "periodic tasks")
def periodic(lab):
    hook = lab.candidate.hooks.get("periodic")
    if not hook:
        return _no_hook(lab, "periodic", r"cron|recurr|periodic|schedul", "schedule")
    lab.ensure_workers(1)
    hook(lab, tasks.mark, "periodic")
    runs = lab.wait_marks("periodic", 2, 20)
    if len(runs) >= 2:
        return Cell("periodic", YES, "a task scheduled every second ran twice, enqueued by the backend")
    return Cell("periodic", NO, f"a task scheduled every second ran {len(runs)} time(s) in 20 s")


@check("unique", "unique tasks")
def unique(lab):
    hook = lab.candidate.hooks.get("unique")
    if not hook:
        return _no_hook(lab, "unique", r"^(unique\w*|dedup\w*|concurrency|semaphore)$", "unique option")
    lab.pause()
    task = hook(lab, tasks.mark)
    for _ in range(3):
        try:
            task.enqueue("unique", "x")
        except Exception:
            pass
    lab.resume()
    lab.ensure_workers(1)
    lab.wait_marks("unique", 1, 20)
    runs = lab.wait_marks("unique", 3, 2)  # a moment for copies that were not dropped
    if len(runs) == 1:
        return Cell("unique", YES, "the same task enqueued 3 times ran once")
    return Cell("unique", NO, f"the same task enqueued 3 times with its unique option ran {len(runs)} times")


@check("dashboard", "dashboard or admin")
def dashboard(lab):
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    packages = set(_top_packages(lab.candidate))
    models = [m for m in admin.site._registry if m.__module__.split(".")[0] in packages]
    if not models:
        return Cell("dashboard", NO, "no model of the package is registered in the admin")
    user = get_user_model().objects.filter(username="landscape").first()
    if user is None:
        user = get_user_model().objects.create_superuser("landscape", "l@example.com", "x")
    client = Client()
    client.force_login(user)
    pages = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in models]
    answers = sorted({client.get(page).status_code for page in pages})
    value = "admin" if answers == [200] else NO
    return Cell("dashboard", value, f"{len(models)} admin page(s), HTTP {', '.join(map(str, answers))}")


@check("exactly_once", "exactly once, 2 workers")
def exactly_once(lab):
    count = 40 if lab.quick else 200
    lab.stop_workers()
    for number in range(count):
        tasks.mark.enqueue("once", str(number))
    lab.ensure_workers(2)
    runs = lab.wait_marks("once", count, 60)
    time.sleep(0.5)
    runs = tasks.read_marks("once")
    twice = len(runs) - len(set(runs))
    lab.stop_workers()
    if len(set(runs)) < count:
        return Cell("exactly_once", NO, f"only {len(set(runs))} of {count} tasks ran within 60 s")
    if twice:
        return Cell("exactly_once", NO, f"{twice} of {count} tasks ran twice")
    where = "in the enqueuing process, no workers" if lab.candidate.in_process else "2 workers"
    return Cell("exactly_once", YES, f"{count} tasks, {len(runs)} runs ({where})")


@check("sigkill", "SIGKILLed worker's task")
def sigkill(lab):
    """Kill the process running a 60 s task, then watch what becomes of the task for a while."""
    lab.stop_workers()
    if lab.candidate.in_process:
        # Only the host may pick the task up: a backend whose every process runs queued
        # tasks (django-tasks-local-db) would otherwise run it here.
        lab.pause()
        killed = Host(lab.candidate, "sigkill", 60).start()
        result_id = killed.result_id
    else:
        (killed,) = lab.ensure_workers(1)
        result_id = tasks.sleep_then_mark.enqueue("sigkill", 60).id
    lab.wait_marks("sigkill", 1, 15)
    killed.signal(signal.SIGKILL)
    killed.wait(10)
    left = lab.status(tasks.sleep_then_mark, result_id)
    lab.ensure_workers(1)
    lab.resume()
    bound = 15 if lab.quick else 30

    def moved():
        """Run again, or finished (a READY on the way back to the queue is not the end)."""
        status = lab.status(tasks.sleep_then_mark, result_id)
        return len(tasks.read_marks("sigkill")) >= 2 or status in FINISHED

    lab.wait(moved, bound)
    marks = tasks.read_marks("sigkill")
    after = lab.status(tasks.sleep_then_mark, result_id)
    for other in lab.workers:
        other.signal(signal.SIGKILL)  # a rerun sleeps 60 s: do not wait for it
        other.wait(10)
    lab.workers = []
    shown = left.name if left else "unknown"
    if marks.count("started") >= 2:
        return Cell("sigkill", "re-run", f"{shown} after the kill; run again within {bound} s")
    if after is not None and after != left:
        return Cell("sigkill", after.name, f"{shown} after the kill; {after.name} within {bound} s")
    if left is None:
        return Cell(
            "sigkill", "lost", f"get_result cannot find it after the kill; not run again within {bound} s"
        )
    return Cell(
        "sigkill", f"stuck {shown}", f"still {shown} {bound} s after the kill, with a new worker running"
    )


def run_all(candidate, env, *, quick, names=None):
    """Run the checks `names` (default: all, in order) and return their cells."""
    lab = Lab(candidate, env, quick)
    cells = []
    try:
        for name, function in CHECKS.items():
            if names and name not in names:
                continue
            started = time.monotonic()
            try:
                cells.append(function(lab))
            except Exception as exc:
                cells.append(Cell(name, "error", _error(exc)))
            cells[-1].title = function.title
            print(f"{name} ({time.monotonic() - started:.1f} s): {cells[-1].value}", flush=True)
    finally:
        lab.stop_workers()
    return cells
