"""`make test`: the test phases, then where their time went.

The phases run one after the other, each with two pytest processes: side by side, on a
2-core machine, the load made lessons that time something (lesson 1's signup, lesson 9's
deferred start) flaky. `--side-by-side` starts them all at once. Each phase writes its
output to test-artifacts/<phase>.log and its per-test times to test-artifacts/<phase>.xml
(JUnit XML); a failing phase's failures are
printed in full. The summary (per phase, the slowest notebooks and tests) is printed at the
end and saved to test-artifacts/test-times.json, which `make bench ONLY=tutorial` reads.

Usage (the Makefile passes the interpreter and the processes per phase):
    python scripts/run_tests.py --python PYTHON [--only unit,notebooks] [--jobs unit=4,notebooks=5]
Exit status: 0 when every phase passed, else 1.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
BIN = REPO / ".venv" / "bin"
# nbval's options, one per line, shared with the Makefile and scripts/drift_check.py.
NBVAL = ["@tests/nbval.args"]
# Processes per phase. They mostly wait, so together they exceed two cores by design;
# measured with `make bench ONLY=tutorial` (see CONTRIBUTING.md, "A fast make test").
JOBS = {"unit": 2, "django60": 2, "notebooks": 2, "docs": 1}
SLOWEST = 8


@dataclass
class Phase:
    name: str
    what: str
    command: list
    process: subprocess.Popen = None
    started: float = 0.0
    seconds: float = 0.0
    log: Path = None
    junit: Path = None
    counts: dict = field(default_factory=dict)
    cpu_at_start: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def passed(self):
        return self.process is not None and self.process.returncode == 0


def phases(python, jobs):
    """The phases, in the order they run."""
    pytest = [str(BIN / "pytest")]

    def n(name):
        return ["-n", str(jobs[name]), "--dist", "loadfile"]

    return [
        Phase(
            "notebooks",
            "every notebook, executed and compared (nbval)",
            [*pytest, *NBVAL, *n("notebooks"), "notebooks"],
        ),
        Phase(
            "unit",
            "unit tests: views, tasks, the lab toolkit",
            [*pytest, "tests", "--ignore=tests/docs", *n("unit")],
        ),
        Phase(
            "docs", "the site, built --strict and checked in Chromium", [*pytest, "tests/docs", *n("docs")]
        ),
        Phase(
            "django60",
            "the sandbox's unit tests on Django 6.0.x",
            [
                str(BIN / "python"),
                "scripts/django60_check.py",
                "--python",
                python,
                "--jobs",
                str(jobs["django60"]),
            ],
        ),
    ]


def start(phase):
    phase.log = ARTIFACTS / f"{phase.name}.log"
    phase.junit = ARTIFACTS / f"{phase.name}.xml"
    phase.junit.unlink(missing_ok=True)
    env = {**os.environ, "PYTEST_ADDOPTS": f"{os.environ.get('PYTEST_ADDOPTS', '')} --junitxml={phase.junit}"}
    phase.started = time.monotonic()
    phase.cpu_at_start = machine_cpu_seconds()
    with phase.log.open("w") as log:
        phase.process = subprocess.Popen(
            phase.command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    print(f"  started  {phase.name:<10} {phase.what}  (log: {phase.log.relative_to(REPO)})", flush=True)


def machine_cpu_seconds():
    """CPU seconds the whole machine has been busy: a run cannot end sooner than this / cores."""
    times = psutil.cpu_times()
    return sum(getattr(times, part, 0.0) for part in ("user", "nice", "system", "irq", "softirq", "steal"))


def finish(phase):
    phase.seconds = time.monotonic() - phase.started
    phase.cpu_seconds = machine_cpu_seconds() - phase.cpu_at_start
    phase.counts = junit_counts(phase.junit)
    verdict = "passed" if phase.passed else f"FAILED (exit code {phase.process.returncode})"
    counted = ", ".join(f"{n} {what}" for what, n in phase.counts.items() if n) or "no test report"
    print(f"  finished {phase.name:<10} {verdict} in {phase.seconds:.0f} s: {counted}", flush=True)


def junit_cases(path):
    """(classname, name, seconds, outcome) for each test case in a JUnit XML file.

    pytest's classname is the test's file and class, dotted: a notebook's cells have
    "notebooks.06-the-worker.ipynb", a unit test "tests.test_views".
    """
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return []
    cases = []
    for case in root.iter("testcase"):
        outcome = "passed"
        for child, name in (("failure", "failed"), ("error", "errors"), ("skipped", "skipped")):
            if case.find(child) is not None:
                outcome = name
        cases.append((case.get("classname", ""), case.get("name", ""), float(case.get("time", 0)), outcome))
    return cases


def junit_counts(path):
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for *_, outcome in junit_cases(path):
        counts[outcome] += 1
    return counts


def failures(phase):
    """What a failed phase said from pytest's FAILURES section on (or its last lines)."""
    lines = phase.log.read_text(errors="replace").splitlines()
    for marker in ("= FAILURES =", "= ERRORS =", "short test summary info"):
        found = [i for i, line in enumerate(lines) if marker in line]
        if found:
            return lines[found[0] :]
    return lines[-60:]


def notebook_name(classname):
    """ "notebooks.solutions.01-first-task.ipynb" -> "solutions/01-first-task.ipynb" """
    folder, _, name = classname.removesuffix(".ipynb").rpartition(".")
    folder = folder.removeprefix("notebooks").lstrip(".")
    return f"{folder}/{name}.ipynb" if folder else f"{name}.ipynb"


def summary(all_phases, wall, cpu):
    """Where the time went: per phase, then the slowest notebooks (cells summed) and tests."""
    notebooks, tests = defaultdict(float), []
    for phase in all_phases:
        for classname, name, seconds, _ in junit_cases(phase.junit):
            if phase.name == "notebooks":
                notebooks[notebook_name(classname)] += seconds
            else:
                tests.append((f"{classname}::{name}", seconds))
    return {
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "cores": psutil.cpu_count(),
        "phases": [
            {
                "phase": p.name,
                "seconds": p.seconds,
                "cpu_seconds": p.cpu_seconds,
                "verdict": "passed" if p.passed else "FAILED",
                "tests": p.counts,
            }
            for p in all_phases
        ],
        "notebooks": [
            {"notebook": name, "seconds": s} for name, s in sorted(notebooks.items(), key=lambda kv: -kv[1])
        ],
        "slowest_tests": [
            {"test": name, "seconds": s} for name, s in sorted(tests, key=lambda t: -t[1])[:SLOWEST]
        ],
    }


def print_summary(times):
    cores = times["cores"]
    print(f"\nWhere the time went ({times['wall_seconds']:.0f} s in all):")
    for p in times["phases"]:
        print(
            f"  {p['phase']:<10} {p['seconds']:5.0f} s  {p['verdict']:<7} machine CPU busy {p['cpu_seconds']:4.0f} s"
        )
    print(
        f"The machine's {cores} cores were busy {times['cpu_seconds']:.0f} CPU seconds in all: "
        f"however the work is scheduled, it cannot take less than {times['cpu_seconds'] / cores:.0f} s here."
    )
    print(f"Slowest notebooks (seconds, their cells summed), of {len(times['notebooks'])}:")
    for n in times["notebooks"][:SLOWEST]:
        print(f"  {n['seconds']:5.0f}  {n['notebook']}")
    print("Slowest tests (seconds):")
    for t in times["slowest_tests"]:
        print(f"  {t['seconds']:5.0f}  {t['test']}")


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a Python 3.12+ for .venv-django60/")
    parser.add_argument("--only", help="comma-separated phases to run (default: all)")
    parser.add_argument("--jobs", default="", help="processes per phase, e.g. unit=4,notebooks=5")
    parser.add_argument("--side-by-side", action="store_true", help="start every phase at once")
    options = parser.parse_args(argv)
    jobs = dict(JOBS)
    for item in filter(None, options.jobs.split(",")):
        name, _, value = item.partition("=")
        if name not in JOBS or not value.isdigit() or int(value) < 1:
            parser.error(f"--jobs takes phase=number with a phase among {', '.join(JOBS)}, not {item!r}")
        jobs[name] = int(value)
    chosen = phases(options.python, jobs)
    if options.only:
        names = options.only.split(",")
        unknown = set(names) - {p.name for p in chosen}
        if unknown:
            parser.error(f"unknown phase(s) {', '.join(sorted(unknown))}; choose from {', '.join(JOBS)}")
        chosen = [p for p in chosen if p.name in names]
    return chosen, options.side_by_side


def main(argv):
    chosen, side_by_side = parse(argv)
    ARTIFACTS.mkdir(exist_ok=True)
    began, cpu_began = time.monotonic(), machine_cpu_seconds()
    print(f"Running {len(chosen)} test phases{' side by side' if side_by_side else ''}:", flush=True)
    waiting, running = list(chosen), []
    try:
        while waiting or running:
            while waiting and (side_by_side or not running):
                running.append(waiting.pop(0))
                start(running[-1])
            for phase in list(running):
                if phase.process.poll() is not None:
                    finish(phase)
                    running.remove(phase)
            time.sleep(0.2)
    except KeyboardInterrupt:
        for phase in running:
            phase.process.terminate()
        for phase in running:
            phase.process.wait()
        print("Interrupted: the phases still running were stopped.", file=sys.stderr)
        return 130
    for phase in chosen:
        if not phase.passed:
            print(f"\n===== {phase.name}: {phase.what} FAILED; from {phase.log.relative_to(REPO)} =====")
            print("\n".join(failures(phase)))
    times = summary(chosen, time.monotonic() - began, machine_cpu_seconds() - cpu_began)
    (ARTIFACTS / "test-times.json").write_text(json.dumps(times, indent=1) + "\n")
    print_summary(times)
    failed = [p.name for p in chosen if not p.passed]
    if failed:
        print(f"\nFAILED: {', '.join(failed)} (full output in test-artifacts/)")
        return 1
    print("\nEvery phase passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
