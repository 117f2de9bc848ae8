"""What notebooks store is what the site publishes: it must not say where a checkout lives."""

import json
import re

import pytest

from tasklab.paths import REPO_DIR

NOTEBOOKS = sorted(
    p for p in (REPO_DIR / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
# An absolute path that leads into a checkout: /anything/sandbox_project/, /anything/.venv/ ...
# (no '/' inside a component, so the pattern cannot backtrack for ever on a long line)
CHECKOUT_PATH = re.compile(r"""(?<![\w.-])(?:/[^\s"':/]+)+/(?:sandbox_project|notebooks|\.venv)/""")

# Paths that are examples, not checkouts: the deploy files of lesson 15 install to /srv/taskdemo.
EXAMPLE_PATHS = ("/srv/taskdemo/",)


def stored_text(notebook):
    """Every stored text output of a notebook (images are not text), one string per output."""
    cells = json.loads(notebook.read_text())["cells"]
    texts = []
    for cell in cells:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            data = {k: v for k, v in output.get("data", {}).items() if k.startswith("text/")}
            texts.append(json.dumps([output.get("text"), output.get("traceback"), data]))
    return texts


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_DIR)))
def test_no_stored_output_shows_a_checkout_path(notebook):
    leaks = [
        m.group(0)
        for text in stored_text(notebook)
        for m in CHECKOUT_PATH.finditer(text)
        if not m.group(0).startswith(EXAMPLE_PATHS)
    ]
    assert not leaks, (
        f"{notebook.name} stores absolute paths {sorted(set(leaks))}: run `make notebooks NB={notebook.relative_to(REPO_DIR)}` "
        "(it stores them relative to the checkout), or scripts/relative_paths.py on it."
    )


def test_the_check_finds_a_leak(tmp_path):
    """The pattern above catches a traceback line as a kernel prints it."""
    line = f'  File "{REPO_DIR}/sandbox_project/accounts/tasks.py", line 45, in failing_task'
    assert CHECKOUT_PATH.search(line)
    assert not CHECKOUT_PATH.search('  File "sandbox_project/accounts/tasks.py", line 45, in failing_task')


def test_relative_paths_rewrites_stored_outputs(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "relative_paths", REPO_DIR / "scripts" / "relative_paths.py"
    )
    relative_paths = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(relative_paths)
    notebook = tmp_path / "n.ipynb"
    output = {
        "output_type": "stream",
        "name": "stdout",
        "text": [f"Writing {REPO_DIR}/sandbox_project/var/x.py\n"],
    }
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [output], "source": []}]}))

    assert relative_paths.rewrite(notebook)
    assert "Writing sandbox_project/var/x.py" in stored_text(notebook)[0]
    assert not relative_paths.rewrite(notebook)


def test_the_nbval_sanitizer_turns_a_fresh_runs_paths_into_the_stored_ones():
    """nbval compares a fresh run (absolute paths) with stored outputs (relative ones)."""
    import configparser

    config = configparser.ConfigParser()
    config.read(REPO_DIR / "tests" / "nbval_sanitize.cfg")
    [section] = [s for s in config.sections() if s.startswith("absolute paths")]
    rule = re.compile(config[section]["regex"])

    def sanitize(text):
        return rule.sub(config[section]["replace"].replace("\\1", r"\1"), text)

    for stored in (
        "Writing sandbox_project/var/notebooks/14-testing-tasks/test_signup.py",
        'File ".venv/lib/python3.12/site-packages/django/tasks/base.py", line 1',
    ):
        fresh = stored.replace("sandbox_project/", f"{REPO_DIR}/sandbox_project/", 1).replace(
            '".venv/', f'"{REPO_DIR}/.venv/', 1
        )
        assert fresh != stored
        assert sanitize(fresh) == sanitize(stored) == stored
