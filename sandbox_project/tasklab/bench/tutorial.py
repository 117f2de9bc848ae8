"""How fast is the tutorial itself: cold `make setup` from a fresh clone, a warm `make test`
(with each notebook's share of it), and the docs build.

These are the commands a learner types, timed as they run; a failing step is recorded
(with its exit code), never hidden.
"""

import os
import re
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ..paths import REPO_DIR

# pytest --durations=0 prints one line per test phase, e.g.
# "2.31s call     notebooks/06-the-worker.ipynb::Cell 5"
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s+(?:setup|call|teardown)\s+(\S+?\.ipynb)::", re.M)


def timed(name, command, *, cwd=REPO_DIR, env=None):
    """Run `command`; returns its step record and its output."""
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    step = {
        "step": name,
        "command": " ".join(command),
        "seconds": time.monotonic() - started,
        "exit_code": done.returncode,
    }
    return step, done.stdout + done.stderr


def notebook_times(pytest_output):
    """Seconds per notebook, summed over its cells, from `pytest --durations=0` output."""
    seconds = defaultdict(float)
    for value, notebook in DURATION.findall(pytest_output):
        seconds[Path(notebook).name] += float(value)
    return [{"notebook": name, "seconds": s} for name, s in sorted(seconds.items())]


def clean_env():
    """The environment of a learner's shell: none of this process's lab or Django settings."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TASKLAB_", "DJANGO_", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"))
    }


def run(quick=False, echo=print):
    steps, notebooks = [], []

    def record(step):
        steps.append(step)
        if echo:
            echo(f"  {step['step']}: {step['seconds']:.1f} s (exit code {step['exit_code']})")

    if quick:
        record(timed("warm make setup", ["make", "--no-print-directory", "setup"])[0])
        return {"steps": steps, "notebooks": notebooks}

    with tempfile.TemporaryDirectory(prefix="tasklab-clone-") as clone:
        subprocess.run(["git", "clone", "--quiet", str(REPO_DIR), clone], check=True)
        record(
            timed(
                "cold make setup (fresh clone)",
                ["make", "--no-print-directory", "setup"],
                cwd=clone,
                env=clean_env(),
            )[0]
        )
    step, output = timed(
        "warm make test",
        ["make", "--no-print-directory", "test"],
        env={**clean_env(), "PYTEST_ADDOPTS": "--durations=0"},
    )
    record(step)
    notebooks = notebook_times(output)
    if (REPO_DIR / "mkdocs.yml").exists():
        with tempfile.TemporaryDirectory(prefix="tasklab-site-") as site:
            record(
                timed(
                    "docs build", [str(REPO_DIR / ".venv/bin/mkdocs"), "build", "--quiet", "--site-dir", site]
                )[0]
            )
    return {"steps": steps, "notebooks": notebooks}
