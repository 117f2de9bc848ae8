"""`make test`'s runner (scripts/run_tests.py): its summary is read from real pytest runs."""

import importlib.util
import json
import subprocess
import sys

import pytest

from tasklab.bench import tutorial
from tasklab.paths import REPO_DIR

spec = importlib.util.spec_from_file_location("run_tests", REPO_DIR / "scripts" / "run_tests.py")
run_tests = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_tests)


def pytest_with_junit(tmp_path, *args):
    junit = tmp_path / "report.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    return done, junit


def test_each_notebooks_time_is_its_cells_summed_from_a_real_nbval_run(tmp_path):
    import nbformat

    (tmp_path / "notebooks" / "solutions").mkdir(parents=True)
    cells = [
        nbformat.v4.new_code_cell("import time\ntime.sleep(0.3)"),
        nbformat.v4.new_code_cell("time.sleep(0.2)"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "notebooks" / "01-tiny.ipynb")
    nbformat.write(
        nbformat.v4.new_notebook(cells=cells[:1]), tmp_path / "notebooks" / "solutions" / "02-tiny.ipynb"
    )

    done, junit = pytest_with_junit(tmp_path, "--nbval-lax", "--nbval-current-env", "notebooks")
    assert done.returncode == 0, done.stdout
    phase = run_tests.Phase("notebooks", "", [], junit=junit, seconds=1.0)
    times = run_tests.summary([phase], wall=1.0, cpu=1.5)

    seconds = {n["notebook"]: n["seconds"] for n in times["notebooks"]}
    assert set(seconds) == {"01-tiny.ipynb", "solutions/02-tiny.ipynb"}
    # Lower bounds only: a cell cannot take less than its sleep, and a busy machine adds to it.
    assert seconds["01-tiny.ipynb"] >= 0.5
    assert seconds["solutions/02-tiny.ipynb"] >= 0.3


def test_a_failed_test_is_counted_and_its_failure_shown(tmp_path):
    (tmp_path / "test_one.py").write_text(
        "def test_ok():\n    pass\n\ndef test_wrong():\n    assert 1 == 2\n"
    )
    done, junit = pytest_with_junit(tmp_path, "test_one.py")
    log = tmp_path / "unit.log"
    log.write_text(done.stdout)

    phase = run_tests.Phase("unit", "", [], process=done, junit=junit, log=log)
    phase.counts = run_tests.junit_counts(junit)
    assert phase.counts == {"passed": 1, "failed": 1, "errors": 0, "skipped": 0}
    shown = "\n".join(run_tests.failures(phase))
    assert "test_wrong" in shown and "assert 1 == 2" in shown
    times = run_tests.summary([phase], wall=1.0, cpu=1.5)
    assert times["phases"][0]["verdict"] == "FAILED" and times["phases"][0]["tests"]["passed"] == 1
    assert times["cpu_seconds"] == 1.5 and times["cores"] >= 1
    assert [t["test"] for t in times["slowest_tests"]][:2] in (
        ["test_one::test_ok", "test_one::test_wrong"],
        ["test_one::test_wrong", "test_one::test_ok"],
    )


@pytest.mark.parametrize(
    "argv, said",
    [
        (["--only", "unit,lessons"], "unknown phase(s) lessons; choose from unit, django60, notebooks, docs"),
        (
            ["--jobs", "unit=0"],
            "--jobs takes phase=number with a phase among unit, django60, notebooks, docs",
        ),
        (["--jobs", "units=3"], "not 'units=3'"),
    ],
)
def test_bad_options_say_what_to_type(argv, said):
    done = subprocess.run(
        [sys.executable, REPO_DIR / "scripts" / "run_tests.py", "--python", sys.executable, *argv],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert said in done.stderr


def test_the_benchmark_reads_make_tests_own_summary(tmp_path):
    (tmp_path / "test-times.json").write_text(
        json.dumps(
            {
                "wall_seconds": 120.0,
                "phases": [{"phase": "unit", "seconds": 100.0, "cpu_seconds": 150.0, "verdict": "passed"}],
                "notebooks": [{"notebook": "06-the-worker.ipynb", "seconds": 9.5}],
                "slowest_tests": [{"test": "tests.test_views::test_register", "seconds": 3.0}],
            }
        )
    )
    phases, notebooks, tests = tutorial.test_times(tmp_path / "test-times.json")
    assert phases == [{"phase": "unit", "seconds": 100.0, "cpu_seconds": 150.0}]
    assert notebooks == [{"notebook": "06-the-worker.ipynb", "seconds": 9.5}]
    assert tests == [{"test": "tests.test_views::test_register", "seconds": 3.0}]
    assert tutorial.test_times(tmp_path / "missing.json") == ([], [], [])
