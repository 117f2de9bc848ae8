"""The exercise notebooks as committed: generated from their solutions, and each checker proved
both ways by the outputs that nbval (`make test-notebooks`) reproduces by running them for real:
the solution's check says Passed, the untouched exercise's says Not yet, with a hint, and no
traceback anywhere."""

import nbformat
import pytest

from tasklab.exercises import EXERCISES, generate

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
