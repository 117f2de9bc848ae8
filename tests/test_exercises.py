"""The exercise notebooks as committed: generated from their solutions, and each checker proved
both ways by the outputs that nbval (`make test-notebooks`) reproduces by running them for real:
the solution's check says Passed, the untouched exercise's says Not yet, with a hint, and no
traceback anywhere. And a learner's copy never shows its answer: not in a stored output, not in
a hint's first step."""

import importlib
import re

import nbformat
import pytest

from tasklab.exercises import EXERCISES, generate
from tasklab.exercises.feedback import Steps

NAMES = [e.name for e in EXERCISES]


def _read(folder, name):
    return nbformat.read(generate.REPO_DIR / "notebooks" / folder / f"{name}.ipynb", as_version=4)


def _texts(cell):
    for output in cell.get("outputs", []):
        yield output.get("text") or "".join(output.get("data", {}).get("text/plain", ""))


def _check_output(notebook):
    cells = [c for c in notebook.cells if c.cell_type == "code" and "exercise.check(" in c.source]
    assert len(cells) == 1, "one exercise.check(...) cell per notebook"
    return "".join(_texts(cells[0]))


def test_exercises_match_their_solutions():
    stale = generate.stale()
    assert not stale, f"stale: {[p.name for p in stale]}; run `make exercises` and commit the result"


def test_every_exercise_is_in_the_catalogue_and_in_lesson_order():
    on_disk = sorted(p.stem for p in generate.SOLUTIONS_DIR.glob("*.ipynb"))
    assert on_disk == NAMES == sorted(NAMES)
    assert len(NAMES) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_the_solution_passes(name):
    notebook = _read("solutions", name)
    assert f'exercises.start("{name}")' in notebook.cells[1].source
    assert any("### BEGIN SOLUTION" in c.source for c in notebook.cells if c.cell_type == "code")
    assert _check_output(notebook).startswith("Passed: ")


@pytest.mark.parametrize("name", NAMES)
def test_the_untouched_exercise_says_not_yet_in_plain_words(name):
    output = _check_output(_read("exercises", name))
    assert output.startswith("Not yet: ") and "\nHint: " in output


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
@pytest.mark.parametrize("name", NAMES)
def test_no_cell_shows_an_error(folder, name):
    for cell in _read(folder, name).cells:
        if cell.cell_type == "code":
            assert all(o.output_type != "error" for o in cell.outputs), cell.source
            assert not any("Traceback" in text for text in _texts(cell)), cell.source


# -- a learner's copy never shows its answer ------------------------------------------------

SHORTEST = 8  # shorter lines, such as `raise` or `)`, say nothing about the answer


def solution_lines(notebook):
    """The lines between ### BEGIN SOLUTION and ### END SOLUTION (STUB lines aside)."""
    found, inside = [], False
    for cell in notebook.cells:
        for line in cell.source.splitlines() if cell.cell_type == "code" else []:
            text = line.strip()
            if text in (generate.BEGIN, generate.END):
                inside = text == generate.BEGIN
            elif inside and not text.startswith("#") and len(text) >= SHORTEST:
                found.append(text)
    return found


def answer_code(checker):
    """What the hints of `checker` flag as giving the answer: each `Steps.answer`, and the code in it
    that the earlier steps do not already show."""
    module = importlib.import_module(f"tasklab.exercises.checks.{checker}")
    found = []
    for steps in (value for value in vars(module).values() if isinstance(value, Steps)):
        found.append(steps.answer.rstrip("."))
        found += [
            code
            for code in re.findall(r"`([^`]+)`", steps.answer)
            if len(code) >= SHORTEST and code not in steps.lesson + steps.closer
        ]
    return found


def stored_outputs(notebook):
    return [text for cell in notebook.cells if cell.cell_type == "code" for text in _texts(cell)]


def instructions(notebook):
    """The markdown a learner reads unasked: every markdown cell, less the folded <details> blocks."""
    return "\n".join(
        re.sub(r"<details>.*?</details>", "", cell.source, flags=re.S)
        for cell in notebook.cells
        if cell.cell_type == "markdown"
    )


def leaks(entry, outputs):
    """Answers of exercise `entry` (its solution's lines, its hints' answers) that `outputs` show.

    A line that the instructions already show, such as `transaction.on_commit(` in exercise 5,
    gives nothing away; the folded "Stuck?" tips do not count as instructions."""
    shown = instructions(_read("exercises", entry.name))
    answers = [
        a
        for a in solution_lines(_read("solutions", entry.name)) + answer_code(entry.checker)
        if a not in shown
    ]
    return sorted({answer for answer in answers for text in outputs if answer in text})


@pytest.mark.parametrize("entry", EXERCISES, ids=lambda e: e.name)
def test_the_learners_copy_never_shows_its_answer(entry):
    assert leaks(entry, stored_outputs(_read("exercises", entry.name))) == []


def test_the_leak_check_finds_a_solution_line_and_a_hints_answer():
    images = next(e for e in EXERCISES if e.name == "03-images-queue")
    shown = [
        'Not yet: ...\nHint: give the decorator the queue: `@task(queue_name="images")`, then run the cell again.'
    ]
    assert '@task(queue_name="images")' in leaks(images, shown)
    on_commit = next(e for e in EXERCISES if e.name == "05-enqueue-on-commit")
    shown = [
        "Hint: `transaction.on_commit(lambda: send_welcome_email.enqueue(user_email=user.email, username=user.username))`."
    ]
    assert leaks(on_commit, shown)
    assert leaks(on_commit, ["Not yet: your view enqueued the welcome email.\nHint: lesson 10."]) == []


@pytest.mark.parametrize("entry", EXERCISES, ids=lambda e: e.name)
def test_every_checker_gives_its_answers_in_steps(entry):
    """Each checker has hints in steps, and each names a lesson, or the exercise's TODO, first."""
    module = importlib.import_module(f"tasklab.exercises.checks.{entry.checker}")
    steps = [value for value in vars(module).values() if isinstance(value, Steps)]
    assert steps, f"{entry.checker} gives no hint in steps"
    for hint in steps:
        assert re.search(r"\blesson \d+|\bTODO\b|not run in a lesson", hint.lesson, re.I), hint.lesson
        assert hint.answer not in hint.lesson + hint.closer
