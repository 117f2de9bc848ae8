"""`watch()`: follow task results until they finish, live in Jupyter, and keep what happened.

The transitions come from each result's own timestamps (`enqueued_at`, `started_at`,
`finished_at`), so a task that ran between two polls still shows its RUNNING step.
"""

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from .errors import TasksNotFinished

SHOWN_ROWS = 12  # a live table longer than this shows its running tasks first, then a count


@dataclass(frozen=True)
class Transition:
    status: str
    at: datetime


def transitions(result):
    """READY -> RUNNING -> SUCCESSFUL/FAILED, each with the time it happened."""
    steps = [Transition("READY", result.enqueued_at)]
    if result.started_at:
        steps.append(Transition("RUNNING", result.started_at))
    if result.is_finished:
        steps.append(Transition(result.status.name, result.finished_at))
    return steps


def path_of(result):
    return " -> ".join(step.status for step in transitions(result))


class Watch:
    """The task results followed by `watch()`, and what happened to them."""

    def __init__(self, results):
        self.results = list(results)
        self.started = time.monotonic()

    @property
    def finished(self):
        return all(result.is_finished for result in self.results)

    def refresh(self):
        """Reload the unfinished results; True when something changed."""
        changed = False
        for result in self.results:
            if not result.is_finished:
                before = (result.status, result.started_at)
                result.refresh()
                changed |= before != (result.status, result.started_at)
        return changed

    def transitions(self):
        return {result.id: transitions(result) for result in self.results}

    def counts(self):
        return Counter(result.status.name for result in self.results)

    def summary(self):
        """A stable text of what happened, fit for printing in a lesson."""
        if len(self.results) == 1:
            return path_of(self.results[0])
        paths = Counter(f"{r.task.name}: {path_of(r)}" for r in self.results)
        return "\n".join(f"{n} x {path}" for path, n in sorted(paths.items()))

    def rows(self):
        """One dict per task: who ran it, and how long it waited and ran (seconds)."""
        return [_row(result) for result in self.results]

    def timeline(self, title=None, label=None):
        """A matplotlib figure; label(result) -> text, to name each task's bar."""
        from .timeline import plot_timeline

        return plot_timeline(self.results, title=title, label=label)

    def _repr_html_(self):
        """The live table: every task when there are few, else the running ones first, cut
        to `SHOWN_ROWS` rows and a line that counts the rest (the site shows stored tables)."""
        rows = self.rows()
        if len(rows) > SHOWN_ROWS:
            rows = sorted(rows, key=lambda r: r["status"] != "RUNNING")[:SHOWN_ROWS]
        head = "<tr><th>task</th><th>status</th><th>worker</th><th>waited</th><th>ran</th></tr>"
        body = "".join(
            f"<tr><td>{r['task']}</td><td>{r['status']}</td><td>{r['worker'] or ''}</td>"
            f"<td>{_seconds(r['waited'])}</td><td>{_seconds(r['ran'])}</td></tr>"
            for r in rows
        )
        hidden = len(self.results) - len(rows)
        if hidden:
            body += f"<tr><td colspan=5>... and {hidden} more (the counts above include them)</td></tr>"
        elapsed = time.monotonic() - self.started
        return f"<p>{dict(self.counts())} after {elapsed:.1f} s</p><table>{head}{body}</table>"


def _row(result):
    def between(start, end):
        return (end - start).total_seconds() if start and end else None

    return {
        "id": result.id,
        "task": result.task.name,
        "queue": result.task.queue_name,
        "status": result.status.name,
        "worker": result.worker_ids[-1] if result.worker_ids else None,
        "waited": between(result.enqueued_at, result.started_at),
        "ran": between(result.started_at, result.finished_at),
    }


def _seconds(value):
    return "" if value is None else f"{value:.2f} s"


def _in_jupyter():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def watch(results, *, timeout=30.0, poll=0.05, live=None):
    """Follow one result or many until all are finished; returns a `Watch`.

    live: show a table that updates in place (default: when running in Jupyter).
    Raises TasksNotFinished after `timeout` seconds, saying which tasks are stuck and why.
    """
    if not isinstance(results, (list, tuple)):
        results = [results]
    w = Watch(results)
    display = None
    if live if live is not None else _in_jupyter():
        from IPython.display import HTML
        from IPython.display import display as show

        display = show(HTML(w._repr_html_()), display_id=True)

    deadline = time.monotonic() + timeout
    while not w.finished:
        if time.monotonic() > deadline:
            raise TasksNotFinished(_explain_timeout(w, timeout), w)
        time.sleep(poll)
        if w.refresh() and display:
            display.update(HTML(w._repr_html_()))
    if display:
        display.update(HTML(w._repr_html_()))
    return w


def _explain_timeout(w, timeout):
    ready = [r for r in w.results if r.status.name == "READY"]
    running = [r for r in w.results if r.status.name == "RUNNING"]
    lines = [f"{len(ready) + len(running)} of {len(w.results)} tasks not finished after {timeout:g} s."]
    if ready:
        queues = sorted({r.task.queue_name for r in ready})
        lines.append(
            f"{len(ready)} still READY on queue(s) {', '.join(queues)}: no worker has picked them up. "
            f"Is a worker running that serves them? e.g. tasklab.Worker(queues={queues!r})"
        )
    if running:
        lines.append(
            f"{len(running)} still RUNNING: the task may just be slow (pass a larger timeout=), "
            "or its worker was killed while running it, and nothing will ever finish it."
        )
    return "\n".join(lines)
