"""`make test-latest`: what the newest releases of our dependencies would change.

The lessons show what the locked versions do. This builds a second environment,
`.venv-latest/`, from the same project with every dependency at its newest release (upper
bounds in pyproject.toml are ignored, uv.lock is untouched), runs the unit tests and every
notebook under nbval there, and prints which packages differ from the lock, which tests and
which lesson cells changed (with their first differing lines), and which did not. It never
edits a tracked file: nbval compares outputs without storing them.

Usage (the Makefile passes the interpreter):
    python scripts/drift_check.py --python PYTHON [--pin 'django-tasks-db==0.12.0' ...]

`--pin` replaces one dependency by an exact version, to see what moving to it would change
(for example an older release, to check that the report notices a real difference).
Exit status: 0 when nothing changed, 1 when something did, 2 when the check could not run.
"""

import argparse
import json
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LATEST = REPO / ".venv-latest"
REPORTS = REPO / "sandbox_project" / "var" / "drift"
UV = REPO / ".tools" / "bin" / "uv"
SHOWN_LINES = 6  # differing lines shown per changed test or cell


def with_pins(requirements, pins):
    """`requirements` without the packages that `pins` name, then the pins themselves."""
    pinned = {canonicalize_name(Requirement(p).name) for p in pins}
    kept = [line for line in requirements if canonicalize_name(Requirement(line).name) not in pinned]
    return kept + list(pins)


def newest_requirements(pyproject, pins):
    """Every dependency of the project and its groups, without version bounds (or pinned)."""
    project = tomllib.loads(pyproject.read_text())
    declared = list(project["project"]["dependencies"])
    for group in project.get("dependency-groups", {}).values():
        declared += [r for r in group if isinstance(r, str)]
    lines = []
    for text in declared:
        requirement = Requirement(text)
        extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        marker = f"; {requirement.marker}" if requirement.marker else ""
        lines.append(f"{requirement.name}{extras}{marker}")
    return with_pins(lines, pins)


def locked_requirements(pins):
    """Every package of uv.lock (all groups) at its locked version, except those `pins` replace."""
    exported = subprocess.run(
        [UV, "export", "--frozen", "--all-groups", "--no-hashes", "--no-annotate", "--no-header"]
        + ["--no-emit-project", "--format", "requirements-txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return with_pins([line for line in exported.stdout.splitlines() if line.strip()], pins)


def run(argv, **options):
    print("$", " ".join(str(a) for a in argv), flush=True)
    return subprocess.run(argv, cwd=REPO, **options)


def build_environment(python, requirements, environment, fresh=True):
    """A virtual environment with `requirements` and this project (editable, as in .venv).

    Shared by `make test-latest` (.venv-latest/, rebuilt from scratch each time) and
    `make test-django60` (.venv-django60/: with `fresh=False` an existing one is synced to
    exactly `requirements`, seconds instead of a rebuild). Either way each requirement ends
    at its newest allowed version. The requirements stay in `<environment>/requirements.txt`.
    """
    interpreter = environment / "bin" / "python"
    wanted = environment / "requirements.txt"

    def step(*argv):
        if run([UV, *argv]).returncode:
            sys.exit(f"Could not build {environment.name}/ (the command above failed): nothing was tested.")

    rebuild = fresh or not interpreter.exists()
    if rebuild:
        step("venv", "--quiet", "--clear", "--python", python, environment)
    wanted.write_text("\n".join(requirements) + "\n")
    if not rebuild:
        # Exactly what `requirements` lists: removes what an older lock had (and the project).
        step("pip", "sync", "--quiet", "--python", interpreter, wanted)
    step("pip", "install", "--quiet", "--python", interpreter, "--upgrade", "-r", wanted)
    step("pip", "install", "--quiet", "--python", interpreter, "--no-deps", "-e", REPO)


def installed(environment):
    """{package: version} of an environment, as `uv pip list` reports it."""
    listing = subprocess.run(
        [UV, "pip", "list", "--format", "json", "--python", environment / "bin" / "python"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return {canonicalize_name(p["name"]): p["version"] for p in json.loads(listing.stdout)}


def package_changes(locked, latest):
    """Lines 'name  locked -> latest' for every package whose version differs, or that one lacks."""
    names = sorted(set(locked) | set(latest))
    width = max((len(n) for n in names), default=0)
    return [
        f"  {name:<{width}}  {locked.get(name, '(none)')} -> {latest.get(name, '(none)')}"
        for name in names
        if locked.get(name) != latest.get(name) and name != "tasklab"
    ]


def run_tests(name, arguments):
    """Run pytest in the latest environment; returns the path of its JUnit report."""
    report = REPORTS / f"{name}.xml"
    report.unlink(missing_ok=True)
    run(
        [
            LATEST / "bin" / "python",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *arguments,
        ]
    )
    return report


def outcomes(report):
    """{test id: None if it passed, else the failure's text}, from a JUnit report."""
    if not report.exists():
        return {}
    results = {}
    for case in ElementTree.parse(report).iter("testcase"):
        if case.find("skipped") is not None:
            continue
        test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        results[test_id] = (
            None if problem is None else (problem.get("message", "") + "\n" + (problem.text or ""))
        )
    return results


def first_differences(text):
    """The first lines of a failure that show what differs (diff lines, else the error)."""
    diff = [line.strip() for line in text.splitlines() if re.match(r"\s+[-+] ", line)]
    if diff:
        return diff[:SHOWN_LINES]
    meaningful = [line.strip() for line in text.splitlines() if line.strip()]
    return meaningful[-SHOWN_LINES:]


def section(title, results):
    changed = {test: text for test, text in results.items() if text is not None}
    lines = [f"{title}: {len(results)} run, {len(changed)} changed, {len(results) - len(changed)} unchanged"]
    for test, text in sorted(changed.items()):
        lines.append(f"  CHANGED {test}")
        lines += [f"      {line}" for line in first_differences(text)]
    return lines, bool(changed)


def notebook_summary(results):
    """Which notebooks had no changed cell (by file), for the report's last line."""
    by_notebook = {}
    for test, text in results.items():
        notebook = test.split("::")[0]
        by_notebook.setdefault(notebook, []).append(text is None)
    return sorted(Path(n).name for n, cells in by_notebook.items() if all(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the interpreter for the new environment")
    parser.add_argument(
        "--pin", action="append", default=[], help="an exact version to use, e.g. django==6.0.1"
    )
    parser.add_argument("--jobs", default="2", help="pytest-xdist processes")
    options = parser.parse_args()

    REPORTS.mkdir(parents=True, exist_ok=True)
    build_environment(options.python, newest_requirements(REPO / "pyproject.toml", options.pin), LATEST)
    changes = package_changes(installed(REPO / ".venv"), installed(LATEST))

    parallel = ["-n", options.jobs, "--dist", "loadfile"]
    unit = outcomes(run_tests("unit", ["tests", "--ignore=tests/docs", *parallel]))
    lessons = outcomes(
        run_tests(
            "notebooks",
            ["@tests/nbval.args", *parallel, "notebooks"],
        )
    )

    report = ["", "== Drift check: uv.lock against the newest releases =="]
    report += ["Packages that differ from the lock:", *(changes or ["  none"])]
    if options.pin:
        report.append(f"Pinned on purpose: {', '.join(options.pin)}")
    unit_lines, unit_changed = section("Unit tests", unit)
    lesson_lines, lessons_changed = section("Notebook cells", lessons)
    report += unit_lines + lesson_lines
    report.append("Notebooks with no changed cell: " + (", ".join(notebook_summary(lessons)) or "none"))
    if not unit or not lessons:
        report.append("Some tests did not run at all: see the pytest output above.")
    print("\n".join(report))
    (REPORTS / "report.txt").write_text("\n".join(report) + "\n")
    print(f"(also written to {(REPORTS / 'report.txt').relative_to(REPO)})")
    if not unit or not lessons:
        return 2
    return 1 if unit_changed or lessons_changed else 0


if __name__ == "__main__":
    sys.exit(main())
