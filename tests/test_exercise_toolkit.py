"""The exercises' plumbing: the scorecard behind `make progress`, `%%module`, and plain-words verdicts."""

import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from tasklab.exercises import cellmodule, scorecard
from tasklab.exercises.catalogue import EXERCISES
from tasklab.exercises.feedback import NotYet, Steps, verdict


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("TASKLAB_PROGRESS_FILE", str(path))
    return path


def test_the_card_lists_every_exercise_and_what_comes_next(progress_file):
    assert scorecard.card().splitlines()[0] == f"Exercises passed: 0 of {len(EXERCISES)}"
    scorecard.record_pass("01-first-task")
    scorecard.record_pass("01-first-task")  # twice: still one pass, at its first time
    card = scorecard.card()
    assert card.splitlines()[0] == f"Exercises passed: 1 of {len(EXERCISES)}"
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
    out = subprocess.run(
        [sys.executable, "-m", "tasklab.exercises.scorecard"], capture_output=True, text=True, check=True
    )
    assert f"Exercises passed: 1 of {len(EXERCISES)}" in out.stdout


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
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(code_dir)},
        check=True,
    )
    assert run.stdout.strip() == "2"  # what a worker would import


@pytest.mark.parametrize(
    "name, problem", [("2fast", "module name"), ("json", "already the name of another module")]
)
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


STEPS = Steps(
    lesson="lesson 9 shows where.", closer="the decorator takes it.", answer='`@task(queue_name="images")`.'
)


def test_a_hint_in_steps_gives_the_answer_only_from_the_third_time():
    def wrong():
        raise NotYet("the queue is wrong", STEPS)

    texts = [verdict(wrong, count_try=lambda key, step=step: step)[1] for step in (1, 2, 3, 4)]
    assert (
        texts[0]
        == "Not yet: the queue is wrong.\nHint: lesson 9 shows where.\n(Hint 1 of 3: check() again after your next try for a closer one.)"
    )
    assert texts[1].startswith("Not yet: the queue is wrong.\nHint: the decorator takes it.\n(Hint 2 of 3:")
    assert texts[2] == texts[3] == 'Not yet: the queue is wrong.\nHint: `@task(queue_name="images")`.'
    assert verdict(wrong)[1] == texts[0]  # without a count: the first step


def test_tries_are_counted_per_mistake_in_the_lab(tmp_path):
    other = Steps(lesson="a", closer="b", answer="c")
    assert [scorecard.record_try(tmp_path, STEPS.key) for _ in range(3)] == [1, 2, 3]
    assert scorecard.record_try(tmp_path, other.key) == 1  # another mistake starts at its first step
    assert scorecard.record_try(tmp_path, None) == 1  # a plain hint: counted, never stepped
    assert scorecard.tries(tmp_path) == 5
    (tmp_path / "tries.json").write_text("{damaged")
    assert scorecard.record_try(tmp_path, STEPS.key) == 1


def test_the_third_check_of_the_same_mistake_shows_the_exact_line(tmp_path, capsys):
    """Through `Exercise.check()`, as in a notebook: the try count lives in the lab folder."""
    from django.tasks import task

    from tasklab.exercises import Exercise, entry
    from tasklab.exercises.checks.images_queue import QUEUE_HINT

    def make_preview(user_id):
        return [1, 1]

    make_preview.__module__, make_preview.__qualname__ = (
        "previews",
        "make_preview",
    )  # as %%module previews makes it
    make_preview = task(make_preview)
    exercise = Exercise(entry("03-images-queue"), SimpleNamespace(dir=tmp_path), records_passes=False)
    shown = []
    for _ in range(3):
        exercise.check(make_preview, lambda: None)
        shown.append(capsys.readouterr().out)
    assert all(
        text.startswith("Not yet: make_preview goes to the queue `default`, not `images`.") for text in shown
    )
    assert "Hint: lesson 3" in shown[0] and "queue_name=" not in shown[0]
    assert "`queue_name`" in shown[1] and '"images")' not in shown[1]
    assert '`@task(queue_name="images")` on the line above `def make_preview`' in shown[2]
    assert QUEUE_HINT.answer in shown[2]
    assert scorecard.tries(tmp_path) == 3
    assert not exercise.passed
