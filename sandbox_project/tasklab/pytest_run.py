"""`run_pytest()`: run a test file in a fresh pytest process, as `pytest` in a terminal would.

The lesson on testing writes a test file and runs it: in a subprocess, so that pytest-django
sets Django up its own way, with a test database of its own, away from the notebook's.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .paths import SANDBOX_DIR, shown

OUTCOMES = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")


@dataclass
class PytestRun:
    """What one pytest run reported: its exit code, output, and counts by outcome."""

    returncode: int
    output: str

    @property
    def counts(self):
        """e.g. {"passed": 3, "failed": 1}, from pytest's final summary line."""
        lines = self.output.rstrip().splitlines()
        summary = lines[-1] if lines else ""
        return {outcome: int(n) for n, outcome in OUTCOMES.findall(summary)}

    def __str__(self):
        counts = ", ".join(f"{n} {outcome}" for outcome, n in self.counts.items())
        return f"pytest exit code {self.returncode}: {counts or 'no tests ran'}"


def run_pytest(path, *args, timeout=300):
    """Run pytest on `path` (a file or folder) with the sandbox's settings; returns a PytestRun."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No test file or folder at {shown(path)}: write it first.")
    # Plain text of a fixed width, whatever the terminal or Jupyter ask for: a lesson prints it.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taskdemo.settings", "COLUMNS": "120"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SANDBOX_DIR), env.get("PYTHONPATH")) if p)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "-p", "no:cacheprovider", "--color=no", *args],
        cwd=path.parent if path.is_file() else path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return PytestRun(completed.returncode, completed.stdout + completed.stderr)
