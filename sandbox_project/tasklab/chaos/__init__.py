"""A chaos soak: many faults at once, under load, and a count of what was lost or duplicated.

For a fixed time, on the toolkit's own PostgreSQL: tasks are enqueued directly and by
registrations through the dev server; 4 real `db_worker` processes run them, one killed with
SIGKILL and one stopped with SIGTERM mid-task at random intervals (and restarted); 20
visitors poll the status page; the recovery sweep (`tasklab.recovery`) runs every 2 s. Then
the load stops, the queue drains, and the report counts, from the database and the logs,
what finished, failed, was recovered, was left, or was applied twice.

    make chaos DURATION=60 SEED=7          # python -m tasklab.chaos --duration 60 --seed 7
    report = tasklab.chaos.soak(20, seed=7)  # from a notebook or a test: the same, as a child

Modules: `soak` runs it, `load` is the traffic, `faults` the kills and the sweep, `report`
counts and judges, `timeline` draws the kills and recoveries.
"""

import sys

from ..errors import TasklabError
from ..paths import log_dir
from ..programs import ProgramProcess
from .report import ChaosReport

__all__ = ["ChaosReport", "soak"]


class Soak(ProgramProcess):
    """`python -m tasklab.chaos` as a child of this kernel or test: it never outlives it."""

    what = "The chaos soak"

    def __init__(self, duration, seed, folder):
        self.report_path = folder / "report.json"
        command = [sys.executable, "-m", "tasklab.chaos", f"--duration={duration}", f"--seed={seed}"]
        command += [f"--dir={folder / 'run'}", f"--json={self.report_path}"]
        super().__init__(command, folder / "soak.log")

    def is_ready(self):
        return True  # nothing to wait for: `soak()` waits for it to finish


def soak(duration=20, *, seed=1, folder=None):
    """Run a soak of `duration` seconds in a child process and return its ChaosReport.

    folder: where its logs and report go (default: `chaos/` beside this lab's logs).
    """
    folder = folder or log_dir().parent / "chaos"
    folder.mkdir(parents=True, exist_ok=True)
    process = Soak(duration, seed, folder)
    process.report_path.unlink(missing_ok=True)
    with process:
        code = process.wait(timeout=duration + 600)
    if not process.report_path.exists():
        raise TasklabError(
            f"The chaos soak exited with code {code} before writing its report. "
            f"The end of its log ({process.log_path}):\n{process.log_tail()}"
        )
    return ChaosReport.load(process.report_path)
