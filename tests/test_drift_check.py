"""`make test-latest`'s report: the parts that decide what it says, on small inputs."""

import importlib.util
import textwrap

from tasklab.paths import REPO_DIR

spec = importlib.util.spec_from_file_location("drift_check", REPO_DIR / "scripts" / "drift_check.py")
drift_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drift_check)


def test_the_newest_requirements_drop_every_bound_and_keep_extras_and_pins(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        textwrap.dedent("""
        [project]
        name = "x"
        dependencies = ["django>=6.1,<6.2", "django-tasks-db>=0.13,<0.14"]
        [dependency-groups]
        scale = ["psycopg[binary]>=3.2", "celery[redis]>=5.5; python_version >= '3.12'"]
    """)
    )

    wanted = drift_check.newest_requirements(pyproject, ["django-tasks-db==0.12.0"])

    assert wanted == [
        "django",
        "psycopg[binary]",
        'celery[redis]; python_version >= "3.12"',
        "django-tasks-db==0.12.0",
    ]


def test_package_changes_list_what_differs_only():
    lines = drift_check.package_changes(
        {"django": "6.1.3", "django-tasks-db": "0.13.0", "tasklab": "0.1.0"},
        {"django": "6.1.3", "django-tasks-db": "0.14.0", "new-dep": "1.0", "tasklab": "0.1.0"},
    )
    assert [line.split() for line in lines] == [
        ["django-tasks-db", "0.13.0", "->", "0.14.0"],
        ["new-dep", "(none)", "->", "1.0"],
    ]


def test_a_changed_cell_shows_its_differing_lines(tmp_path):
    report = tmp_path / "junit.xml"
    report.write_text("""<testsuites><testsuite>
      <testcase classname="notebooks/09-x.ipynb" name="Cell 7"><failure message="Cell outputs differ">
      Skipping 10 identical leading characters in diff
        - 1 password reset
        + 1 overdue reminder
      </failure></testcase>
      <testcase classname="notebooks/09-x.ipynb" name="Cell 8"/>
      <testcase classname="notebooks/10-y.ipynb" name="Cell 1"/>
      <testcase classname="tests/test_z.py" name="test_skip"><skipped/></testcase>
    </testsuite></testsuites>""")

    results = drift_check.outcomes(report)
    lines, changed = drift_check.section("Notebook cells", results)

    assert changed
    assert lines == [
        "Notebook cells: 3 run, 1 changed, 2 unchanged",
        "  CHANGED notebooks/09-x.ipynb::Cell 7",
        "      - 1 password reset",
        "      + 1 overdue reminder",
    ]
    assert drift_check.notebook_summary(results) == ["10-y.ipynb"]
