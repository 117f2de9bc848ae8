"""The generator that writes the learner's exercises from the solutions (tasklab.exercises.generate)."""

import nbformat
import pytest

from tasklab.exercises import generate
from tasklab.exercises.generate import MarkerError, exercise_from, strip_solutions

SOLUTION = '''\
@task
def count_words(text):
    """How many words."""
    ### BEGIN SOLUTION
    return len(text.split())
    ### END SOLUTION
'''


def test_a_solution_block_becomes_a_todo_at_its_indentation():
    assert strip_solutions(SOLUTION) == (
        '@task\ndef count_words(text):\n    """How many words."""\n'
        "    # TODO: your code here\n    raise NotImplementedError()"
    )


def test_stub_lines_replace_the_block_instead_of_the_placeholder():
    source = "### BEGIN SOLUTION\n@task(queue_name='images')\n### STUB @task  # TODO: which queue?\n### END SOLUTION\ndef f(): ..."
    assert strip_solutions(source) == "@task  # TODO: which queue?\ndef f(): ..."


def test_nothing_of_the_solution_is_left():
    assert "split" not in strip_solutions(SOLUTION)


@pytest.mark.parametrize(
    "source, problem",
    [
        ("### BEGIN SOLUTION\nx = 1\n", "without an ### END SOLUTION"),
        ("x = 1\n### END SOLUTION\n", "without a ### BEGIN SOLUTION"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
    ],
)
def test_broken_markers_are_refused_with_where_they_are(source, problem):
    with pytest.raises(MarkerError, match=problem) as error:
        strip_solutions(source, "01-x.ipynb, cell 3")
    assert "01-x.ipynb, cell 3" in str(error.value)


def _notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_outputs_are_cleared_and_markdown_kept():
    code = nbformat.v4.new_code_cell(
        SOLUTION, execution_count=3, outputs=[nbformat.v4.new_output("stream", text="Passed")]
    )
    text = nbformat.v4.new_markdown_cell("# Exercise")
    exercise = exercise_from(_notebook(text, code))
    assert exercise.cells[0].source == "# Exercise"
    assert exercise.cells[1].outputs == [] and exercise.cells[1].execution_count is None
    assert "raise NotImplementedError()" in exercise.cells[1].source


def test_markers_in_a_markdown_cell_are_refused():
    with pytest.raises(MarkerError, match="code cells only"):
        exercise_from(
            _notebook(nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nanswer\n### END SOLUTION"))
        )


def test_a_changed_solution_makes_its_exercise_stale(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "SOLUTIONS_DIR", tmp_path / "solutions")
    monkeypatch.setattr(generate, "EXERCISES_DIR", tmp_path / "exercises")
    monkeypatch.setattr(generate, "REPO_DIR", tmp_path)
    (tmp_path / "solutions").mkdir()
    solution = tmp_path / "solutions" / "01-x.ipynb"
    nbformat.write(_notebook(nbformat.v4.new_code_cell(SOLUTION)), solution)
    assert generate.stale() == [tmp_path / "exercises" / "01-x.ipynb"]  # not written yet

    generate.write_all()
    assert generate.stale() == []

    nbformat.write(_notebook(nbformat.v4.new_code_cell(SOLUTION.replace("words", "letters"))), solution)
    assert generate.stale() == [tmp_path / "exercises" / "01-x.ipynb"]
    assert generate.main(["--check"]) == 1
