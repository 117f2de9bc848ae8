"""Count what a soak did from the database and the workers' logs, and judge it.

Every count is read back from where it happened (task rows, `SideEffect` rows, the emails in
the workers' logs), never from what the soak meant to do, so a lost or doubled task shows.
"""

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta

EMAIL_SENT = re.compile(r"Welcome email sent to (\S+)")
APPLY_EFFECT = "accounts.effects.apply_effect"
RETRIED = "accounts.tasks.ServiceUnavailable"
LOST = "tasklab.recovery.WorkerLost"


@dataclass
class ChaosReport:
    seed: int
    seconds: float  # of chaos, before the drain
    drain_seconds: float
    database: str
    workers: int
    clients: int
    sigkills: int
    sigkills_mid_task: int
    sigterms: int
    sigterms_mid_task: int
    sweeps: int
    recovered: int
    enqueued_directly: int
    registrations: int
    retries_enqueued: int  # by the tasks themselves, after a failed attempt
    results: int  # task results in all: enqueued + retries + recovered copies
    successful: int
    failed_retried: int  # attempts that failed and enqueued their next attempt
    failed_for_good: int  # keys whose every attempt failed, as planned
    failed_worker_lost: int  # attempts whose worker was killed, failed by the recovery sweep
    failed_unexpected: dict  # exception class -> count: none should be here
    left: int  # still READY or RUNNING after the drain
    keys: int
    applied_more_than_once: int
    never_applied: int  # keys that should have been applied and were not: lost
    applied_though_failing: int
    emails_sent_more_than_once: int  # welcome emails are not idempotent: counted, not judged
    emails_never_sent: int
    registration_errors: list
    status_requests: int
    status_errors: list
    worst_pickup: float  # seconds from enqueue (or run_after) to start, while workers were killed
    worst_recovery: float  # seconds from a killed task's start to its copy's start
    crashed: list  # the soak's own threads that died
    drained: bool
    events: list = field(default_factory=list, repr=False)

    # -- judging ---------------------------------------------------------------------------
    def problems(self):
        """What was lost or duplicated, one plain sentence each: empty when all went well."""
        checks = [
            (self.left, "tasks still READY or RUNNING after the drain (lost)"),
            (self.applied_more_than_once, "idempotent side effects applied more than once (duplicated)"),
            (self.never_applied, "side effects never applied although their task should succeed (lost)"),
            (self.applied_though_failing, "side effects applied by tasks planned to fail for good"),
            (self.emails_never_sent, "registrations whose welcome email was never sent (lost)"),
            (len(self.registration_errors), "registrations that failed"),
            (len(self.status_errors), "status-page errors"),
            (
                sum(self.failed_unexpected.values()),
                f"tasks FAILED with an unexpected error {self.failed_unexpected}",
            ),
            (len(self.crashed), f"of the soak's own threads crashed: {self.crashed}"),
            (not self.drained, "the queue did not drain (timed out)"),
        ]
        return [f"{int(count)} {what}" for count, what in checks if count]

    def verdict(self):
        """The lines that hold on every run: what a lesson compares."""
        return "\n".join(
            [
                f"still READY/RUNNING: {self.left}",
                f"applied more than once: {self.applied_more_than_once}",
                f"status-page errors: {len(self.status_errors)}",
                f"workers killed mid-task: {self.sigkills_mid_task > 0} | "
                f"stopped mid-task: {self.sigterms_mid_task > 0} | "
                f"tasks recovered: {self.recovered > 0}",
                "OK: nothing lost, nothing duplicated." if not self.problems() else "FAILED",
            ]
        )

    def __str__(self):
        first_errors = "".join(f"\n    {e}" for e in (self.status_errors + self.registration_errors)[:5])
        unexpected = ", ".join(f"{n} {name}" for name, n in self.failed_unexpected.items()) or "none"
        lines = [
            f"Chaos soak, seed {self.seed}: {self.seconds:.0f} s of chaos, then {self.drain_seconds:.1f} s "
            f"to drain; {self.database}, {self.workers} workers, {self.clients} status-page clients",
            f"  faults: SIGKILL x {self.sigkills} ({self.sigkills_mid_task} mid-task), SIGTERM x "
            f"{self.sigterms} ({self.sigterms_mid_task} mid-task), recovery sweeps: {self.sweeps}",
            f"  tasks enqueued: {self.enqueued_directly + self.registrations} ({self.enqueued_directly} "
            f"directly, {self.registrations} by registrations through the server); then retries "
            f"enqueued by the tasks: {self.retries_enqueued}, copies enqueued by recovery: {self.recovered}",
            f"  finished: {self.successful} SUCCESSFUL; FAILED: {self.failed_retried} attempts that were "
            f"retried, {self.failed_worker_lost} lost with their worker; unexpected errors: {unexpected}",
            f"  failed for good (every attempt failed, as planned): {self.failed_for_good}",
            f"  recovered (killed mid-task, re-enqueued by the sweep): {self.recovered}",
            f"  still READY/RUNNING: {self.left}",
            f"  side effects (idempotent): {self.keys} keys, applied more than once: "
            f"{self.applied_more_than_once}, never applied: {self.never_applied}",
            f"  welcome emails (not idempotent): {self.registrations} registrations, sent more than "
            f"once: {self.emails_sent_more_than_once}, never sent: {self.emails_never_sent}",
            f"  status page: {self.status_requests} requests, status-page errors: {len(self.status_errors)}"
            + first_errors,
            f"  worst pickup delay while workers were being killed: {self.worst_pickup:.2f} s",
            f"  worst delay from a killed task's start to its copy's start: {self.worst_recovery:.2f} s",
        ]
        problems = self.problems()
        lines.append(
            "Nothing lost, nothing duplicated." if not problems else "PROBLEMS: " + "; ".join(problems)
        )
        return "\n".join(lines)

    # -- storing -----------------------------------------------------------------------------
    def save(self, path):
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path):
        return cls(**json.loads(path.read_text()))

    def timeline(self, title=None):
        from .timeline import plot_chaos

        return plot_chaos(self, title)


def count(*, seed, traffic, events, recoveries, logs, chaos_window, drain_seconds, drained, **facts):
    """Build the report from the database (Django set up on the soak's database) and the logs."""
    from django_tasks_db.models import DBTaskResult

    from accounts.models import SideEffect

    rows = list(
        DBTaskResult.objects.values(
            "id",
            "task_path",
            "status",
            "args_kwargs",
            "enqueued_at",
            "started_at",
            "run_after",
            "exception_class_path",
        )
    )
    copies = {str(r.new.id) for r in recoveries if r.new}
    statuses = Counter(row["status"] for row in rows)
    failed = Counter(row["exception_class_path"] for row in rows if row["status"] == "FAILED")
    effects = Counter(SideEffect.objects.values_list("key", flat=True))
    planned = traffic.plan
    emails = Counter(address for text in logs for address in EMAIL_SENT.findall(text))
    last_attempts_failed = [
        row["args_kwargs"]["kwargs"]["key"]
        for row in rows
        if row["task_path"] == APPLY_EFFECT
        and row["exception_class_path"] == RETRIED
        and row["args_kwargs"]["kwargs"].get("attempt", 1) >= row["args_kwargs"]["kwargs"]["max_attempts"]
    ]
    unexpected = {name: n for name, n in failed.items() if name not in (RETRIED, LOST)}
    return ChaosReport(
        seed=seed,
        drain_seconds=round(drain_seconds, 1),
        sigkills=events.count("SIGKILL"),
        sigkills_mid_task=events.count("SIGKILL", mid_task=True),
        sigterms=events.count("SIGTERM"),
        sigterms_mid_task=events.count("SIGTERM", mid_task=True),
        sweeps=events.count("sweep"),
        recovered=len(recoveries),
        enqueued_directly=len(traffic.direct),
        registrations=len(traffic.registered),
        retries_enqueued=sum(
            1
            for row in rows
            if row["task_path"] == APPLY_EFFECT
            and row["args_kwargs"]["kwargs"].get("attempt", 1) > 1
            and str(row["id"]) not in copies
        ),
        results=len(rows),
        successful=statuses["SUCCESSFUL"],
        failed_retried=failed[RETRIED] - len(last_attempts_failed),
        failed_for_good=len(set(last_attempts_failed) - set(effects)),
        failed_worker_lost=failed[LOST],
        failed_unexpected=unexpected,
        left=statuses["READY"] + statuses["RUNNING"],
        keys=len(planned),
        applied_more_than_once=sum(1 for n in effects.values() if n > 1),
        never_applied=sum(1 for key, ok in planned.items() if ok and not effects[key]),
        applied_though_failing=sum(1 for key, ok in planned.items() if not ok and effects[key]),
        emails_sent_more_than_once=sum(1 for email in traffic.registered if emails[email] > 1),
        emails_never_sent=sum(1 for email in traffic.registered if not emails[email]),
        registration_errors=traffic.registration_errors,
        status_requests=traffic.requests,
        status_errors=traffic.status_errors,
        worst_pickup=_worst_pickup(rows, *chaos_window),
        worst_recovery=_worst_recovery(recoveries),
        crashed=events.crashed,
        drained=drained,
        events=events.items,
        **facts,
    )


def _worst_pickup(rows, begin, end):
    """Seconds from when a task could first run (enqueued, or its run_after) to its start."""
    delays = []
    for row in rows:
        if row["started_at"] is None or not begin <= row["enqueued_at"] <= end:
            continue
        could_run = row["enqueued_at"]
        if row["run_after"].year < 9999:  # the backend's "no run_after" is the largest date
            could_run = max(could_run, row["run_after"])
        delays.append(row["started_at"] - could_run)
    return round(max(delays, default=timedelta(0)).total_seconds(), 3)


def _worst_recovery(recoveries):
    from django_tasks_db.models import DBTaskResult

    worst = timedelta(0)
    for recovery in recoveries:
        copy = DBTaskResult.objects.get(id=recovery.new.id)
        if copy.started_at:
            worst = max(worst, copy.started_at - recovery.old.started_at)
    return round(worst.total_seconds(), 3)
