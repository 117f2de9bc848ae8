"""How fast is the tutorial itself: cold `make setup` from a fresh clone, a warm `make test`
(with its phases and each notebook's share of it), and the docs build.

These are the commands a learner types, timed as they run; a failing step is recorded
(with its exit code), never hidden.
"""

import json
import os
import subprocess
import tempfile
import time

from ..paths import REPO_DIR

# Where `make test` (scripts/run_tests.py) writes where its time went.
TEST_TIMES = REPO_DIR / "test-artifacts" / "test-times.json"


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


def test_times(path=TEST_TIMES):
    """The phases, notebooks and slowest tests of the last `make test` (its test-times.json),
    or empty lists."""
    try:
        times = json.loads(path.read_text())
    except (OSError, ValueError):
        return [], [], []
    phases = [
        {"phase": p["phase"], "seconds": p["seconds"], "cpu_seconds": p.get("cpu_seconds")}
        for p in times.get("phases", [])
    ]
    return phases, times.get("notebooks", []), times.get("slowest_tests", [])


def clean_env():
    """The environment of a learner's shell: none of this process's lab or Django settings."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TASKLAB_", "DJANGO_", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"))
    }


def run(quick=False, echo=print):
    steps, phases, notebooks, tests = [], [], [], []

    def record(step):
        steps.append(step)
        if echo:
            echo(f"  {step['step']}: {step['seconds']:.1f} s (exit code {step['exit_code']})")

    if quick:
        record(timed("warm make setup", ["make", "--no-print-directory", "setup"])[0])
        return {"steps": steps, "phases": phases, "notebooks": notebooks, "slowest_tests": tests}

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
    TEST_TIMES.unlink(missing_ok=True)  # a failed run must not report an older run's times
    step, _ = timed("warm make test", ["make", "--no-print-directory", "test"], env=clean_env())
    record(step)
    phases, notebooks, tests = test_times()
    if (REPO_DIR / "mkdocs.yml").exists():
        with tempfile.TemporaryDirectory(prefix="tasklab-site-") as site:
            record(
                timed(
                    "docs build", [str(REPO_DIR / ".venv/bin/mkdocs"), "build", "--quiet", "--site-dir", site]
                )[0]
            )
    return {"steps": steps, "phases": phases, "notebooks": notebooks, "slowest_tests": tests}
