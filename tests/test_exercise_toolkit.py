"""The exercises' plumbing: the scorecard behind `make progress`, `%%module`, and plain-words verdicts."""

import shutil
import subprocess
import sys

import pytest

from tasklab.exercises import cellmodule, scorecard
from tasklab.exercises.feedback import NotYet, verdict


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("TASKLAB_PROGRESS_FILE", str(path))
    return path


def test_the_card_lists_every_exercise_and_what_comes_next(progress_file):
    assert scorecard.card().splitlines()[0] == "Exercises passed: 0 of 8"
    scorecard.record_pass("01-first-task")
    scorecard.record_pass("01-first-task")  # twice: still one pass, at its first time
    card = scorecard.card()
    assert card.splitlines()[0] == "Exercises passed: 1 of 8"
    assert "[x]  1. Your first task" in card
    assert "[ ]  2. A thumbnail for a new user" in card
    assert card.endswith("Next: notebooks/exercises/02-thumbnail-for-a-new-user.ipynb")


def test_a_damaged_progress_file_is_not_a_crash(progress_file):
    progress_file.write_text("{not json")
    assert scorecard.passes() == {}
    scorecard.record_pass("03-images-queue")
    assert list(scorecard.passes()) == ["03-images-queue"]


def test_make_progress_prints_the_card(progress_file):
    scorecard.record_pass("02-thumbnail-for-a-new-user")
    out = subprocess.run([sys.executable, "-m", "tasklab.exercises.scorecard"], capture_output=True, text=True, check=True)
    assert "Exercises passed: 1 of 8" in out.stdout


@pytest.fixture
def code_dir():
    lab = cellmodule.VAR_DIR / "notebooks" / "test-cellmodule"
    directory = cellmodule.code_dir(lab)
    cellmodule.use_code_dir(directory)
    yield directory
    sys.path.remove(str(directory))
    sys.modules.pop("cell_made", None)
    shutil.rmtree(lab, ignore_errors=True)


def test_a_module_cell_is_importable_and_rewritten_on_each_run(code_dir):
    first = cellmodule.write_module(code_dir, "cell_made", "ANSWER = 1\n")
    assert first.ANSWER == 1 and cellmodule.is_cell_module(first.__file__)
    (code_dir / "__pycache__").mkdir(exist_ok=True)
    (code_dir / "__pycache__" / "cell_made.cpython-312.pyc").write_bytes(b"stale")
    again = cellmodule.write_module(code_dir, "cell_made", "ANSWER = 2\n")
    assert again.ANSWER == 2
    assert not list(code_dir.glob("__pycache__/cell_made.*"))
    run = subprocess.run(
        [sys.executable, "-c", "import cell_made; print(cell_made.ANSWER)"],
        capture_output=True, text=True, env={"PYTHONPATH": str(code_dir)}, check=True,
    )
    assert run.stdout.strip() == "2"  # what a worker would import


@pytest.mark.parametrize("name, problem", [("2fast", "module name"), ("json", "already the name of another module")])
def test_a_bad_module_name_is_refused_in_words(code_dir, name, problem):
    with pytest.raises(cellmodule.BadModuleName, match=problem):
        cellmodule.write_module(code_dir, name, "x = 1\n")


def test_verdicts_are_plain_words():
    def passes():
        return "all good."

    def not_yet():
        raise NotYet("the thing is missing.", "add the thing.")

    def buggy():
        return {}["missing"]

    assert verdict(passes) == (True, "Passed: all good.")
    assert verdict(not_yet) == (False, "Not yet: the thing is missing.\nHint: add the thing.")
    passed, message = verdict(buggy)
    assert not passed and message.startswith("Not yet: the check itself stopped with KeyError")
    assert "Traceback" not in message
