"""Write the learner's exercises from the solutions, so that the two can never drift apart.

The single source of each exercise is `notebooks/solutions/NN-name.ipynb`. In its code cells,

    ### BEGIN SOLUTION
    <the answer>
    ### END SOLUTION

becomes, in `notebooks/exercises/NN-name.ipynb`, at the indentation of the BEGIN line,

    # TODO: your code here
    raise NotImplementedError()

(nbgrader's markers and placeholder: teachers who know nbgrader know these), or the block's
`### STUB <code>` lines, when the learner should start from given code rather than nothing.
Outputs are cleared; `make exercises` then runs both versions to store their outputs: the
solutions' "Passed", the exercises' "Not yet".

    python -m tasklab.exercises.generate          # (re)write notebooks/exercises/
    python -m tasklab.exercises.generate --check  # exit 1 when they are stale

Why not nbgrader itself: it is a whole grading system (a database, a JupyterLab server
extension) for one preprocessor's worth of work here; this file is that preprocessor.
"""

import copy
import sys

import nbformat

from ..paths import REPO_DIR

SOLUTIONS_DIR = REPO_DIR / "notebooks" / "solutions"
EXERCISES_DIR = REPO_DIR / "notebooks" / "exercises"
BEGIN, END, STUB = "### BEGIN SOLUTION", "### END SOLUTION", "### STUB"
PLACEHOLDER = ["# TODO: your code here", "raise NotImplementedError()"]


class MarkerError(ValueError):
    """A solution block that is not closed, or closed twice: nothing is written then."""


def _indent(line):
    return line[: len(line) - len(line.lstrip())]


def strip_solutions(source, where="cell"):
    """The learner's version of one code cell's source."""
    out, block = [], None  # block: the BEGIN line's indentation and the STUB lines seen so far
    for number, line in enumerate(source.splitlines(), 1):
        text = line.strip()
        if text == BEGIN:
            if block is not None:
                raise MarkerError(f"{where}, line {number}: {BEGIN} inside another solution block.")
            block = (_indent(line), [])
        elif text == END:
            if block is None:
                raise MarkerError(f"{where}, line {number}: {END} without a {BEGIN} before it.")
            indent, stubs = block
            out.extend(stubs or [indent + p for p in PLACEHOLDER])
            block = None
        elif block is not None:
            if text.startswith(STUB):
                block[1].append(_indent(line) + text[len(STUB) :].strip())
        else:
            out.append(line)
    if block is not None:
        raise MarkerError(f"{where}: {BEGIN} without an {END}.")
    return "\n".join(out)


def exercise_from(solution, where="notebook"):
    """The learner's notebook: solutions replaced, outputs cleared, everything else kept."""
    exercise = copy.deepcopy(solution)
    for index, cell in enumerate(exercise.cells):
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{where}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
        elif BEGIN in cell.source:
            raise MarkerError(f"{where}, cell {index}: solution markers work in code cells only.")
    return exercise


def _shape(notebook):
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def pairs():
    """(solution path, exercise path) for every solution notebook."""
    return [(path, EXERCISES_DIR / path.name) for path in sorted(SOLUTIONS_DIR.glob("*.ipynb"))]


def stale():
    """Exercise notebooks that differ from what their solution generates, or have no solution."""
    found = []
    for solution, exercise in pairs():
        expected = exercise_from(nbformat.read(solution, as_version=4), solution.name)
        if not exercise.exists() or _shape(nbformat.read(exercise, as_version=4)) != _shape(expected):
            found.append(exercise)
    sources = {path.name for path, _ in pairs()}
    found += [p for p in sorted(EXERCISES_DIR.glob("*.ipynb")) if p.name not in sources]
    return found


def write_all():
    EXERCISES_DIR.mkdir(parents=True, exist_ok=True)
    for solution, exercise in pairs():
        nbformat.write(exercise_from(nbformat.read(solution, as_version=4), solution.name), exercise)
        print(f"wrote {exercise.relative_to(REPO_DIR)}")


def main(argv):
    if argv == ["--check"]:
        outdated = stale()
        for path in outdated:
            print(f"{path.relative_to(REPO_DIR)} does not match its solution: run `make exercises`.")
        return 1 if outdated else 0
    write_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
