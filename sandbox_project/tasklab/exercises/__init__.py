"""Workshop exercises: a fresh lab, the `%%module` magic, and a `check()` that answers in plain words.

    from tasklab import exercises
    exercise = exercises.start("01-first-task")
    ...
    exercise.check(count_words)     # "Passed: ..." or "Not yet: ... Hint: ..."

Each exercise is written once, in `notebooks/solutions/` with its answer between
`### BEGIN SOLUTION` and `### END SOLUTION`; `make exercises` writes the learner's copy into
`notebooks/exercises/` (see `generate.py`). Passes are recorded for `make progress`, but only
when the learner's copy runs: a solution passing is not the learner's progress.
"""

import importlib
from pathlib import Path

from ..notebook import setup
from . import cellmodule
from .catalogue import EXERCISES, entry
from .feedback import verdict

__all__ = ["EXERCISES", "Exercise", "start"]


class Exercise:
    """One exercise notebook's lab and checker."""

    def __init__(self, entry, lab, records_passes):
        self.entry = entry
        self.lab = lab
        self.records_passes = records_passes
        self.passed = False
        self._checker = importlib.import_module(f"{__name__}.checks.{entry.checker}")

    def check(self, *learner_code):
        """Run the learner's code for real; print "Passed: ..." or "Not yet: ... Hint: ...".

        A hint that would give the answer away comes in steps (`feedback.Steps`): the checks
        that did not pass are counted in this lab's folder, per mistake, so the same mistake
        met again gets a closer hint, and from the third time the exact line.
        """
        from . import scorecard  # not at the top: `python -m tasklab.exercises.scorecard` runs it

        self.passed, message = verdict(
            self._checker.check, *learner_code, count_try=lambda key: scorecard.record_try(self.lab.dir, key)
        )
        if self.passed and self.records_passes:
            scorecard.record_pass(self.entry.name)
        print(message)

    def __repr__(self):
        return f"<Exercise {self.entry.number}: {self.entry.title}>"


def start(name):
    """Set up this exercise's notebook: call it in the first code cell.

    The kernel of a notebook runs in the notebook's folder: that is how a solution, run from
    `notebooks/solutions/`, gets a database of its own and leaves the learner's progress alone.
    """
    exercise = entry(name)
    is_solution = Path.cwd().name == "solutions"
    lab = setup(f"{'solution' if is_solution else 'exercise'}-{name}", quiet=True)
    code = cellmodule.code_dir(lab.dir)
    cellmodule.use_code_dir(code)
    try:
        from IPython import get_ipython
    except ImportError:
        shell = None
    else:
        shell = get_ipython()
    if shell is not None:
        cellmodule.register(shell, code)
    print(f"Exercise {exercise.number}: {exercise.title}. Fresh lab ready; check() when you are done.")
    return Exercise(exercise, lab, records_passes=not is_solution)
