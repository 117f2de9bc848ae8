"""Plain-words verdicts: "Passed: ..." or "Not yet: <what is wrong>. Hint: <toward the fix>".

A checker raises `NotYet` for the first thing it finds wrong and returns a sentence when all
is well. `verdict()` turns whatever happened into one of those two answers, so a learner never
meets a bare AssertionError or a traceback from inside the toolkit. The helpers below turn the
learner's own errors, in the kernel or in a worker, into one line that points at their code.

A hint that would give the answer away comes in `Steps`: the first time a learner meets that
mistake, it says which lesson helps; the second time, a closer pointer; from the third, the
exact line. A hint that gives nothing away (fix the line your error names, replace the TODO)
is a plain string, the same every time.
"""

import hashlib
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from .cellmodule import is_cell_module

TODO_HINT = "replace the `# TODO: your code here` and `raise NotImplementedError()` lines with your code."
LAST_STEP = 3


@dataclass(frozen=True)
class Steps:
    """A hint in three steps, from a pointer to the answer.

    lesson: step 1, which lesson helps (by number) and what to look for there;
    closer: step 2, a more specific pointer, still without the line to write;
    answer: step 3 and after, the exact line. It is flagged as giving the answer: the stored
    output of a learner's copy (notebooks/exercises/) must never contain it
    (tests/test_exercises.py checks every `Steps` of every checker).
    """

    lesson: str
    closer: str
    answer: str

    @property
    def key(self):
        """The same mistake in every process: steps are counted per mistake, not per check."""
        return hashlib.sha1("\n".join((self.lesson, self.closer, self.answer)).encode()).hexdigest()[:12]

    def text(self, step):
        if step >= LAST_STEP:
            return self.answer
        text, after = (
            (self.lesson, "check() again after your next try for a closer one")
            if step <= 1
            else (self.closer, "the next check() that does not pass shows the line to write")
        )
        return f"{text}\n(Hint {step} of {LAST_STEP}: {after}.)"


class NotYet(Exception):
    """What is wrong with the learner's code, and a hint toward the fix (a string, or `Steps`)."""

    def __init__(self, what, hint):
        self.what = what.rstrip(".")
        self.hint = hint
        super().__init__(self.message(1))

    @property
    def key(self):
        """Which mistake this is, for counting its steps; None for a hint that is always the same."""
        return self.hint.key if isinstance(self.hint, Steps) else None

    def message(self, step=1):
        hint = self.hint.text(step) if isinstance(self.hint, Steps) else self.hint
        return f"Not yet: {self.what}.\nHint: {hint}"


def verdict(checker, *args, count_try=None):
    """Run `checker(*args)`; return (passed, message) and never raise.

    count_try(key): records a check that did not pass, and returns how many times this
    mistake (`NotYet.key`) has now been met, which is the step of its hint. Without it, every
    hint is at its first step.
    """
    try:
        return True, f"Passed: {checker(*args)}"
    except NotYet as not_yet:
        step = count_try(not_yet.key) if count_try else 1
        return False, not_yet.message(step)
    except Exception as error:  # a bug in a checker must still answer in plain words
        if count_try:
            count_try(None)
        return False, (
            f"Not yet: the check itself stopped with {describe_exception(error)}.\n"
            "Hint: this is likely a problem in the checker, not in your code: "
            "restart the kernel, run the notebook from the top, and tell your facilitator if it happens again."
        )


# -- the learner's errors, in the kernel --------------------------------------------------


def _is_learner_file(filename):
    """Notebook cells (ipykernel's temporary files) and modules written by %%module."""
    return "ipykernel_" in filename or filename.startswith("<ipython-input") or is_cell_module(filename)


def describe_exception(error):
    """'KeyError: 'x' (line 4 of your cell: `return rows["x"]`)': the exception, and where in their code."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _is_learner_file(f.filename)]
    if frames:
        text += _where(frames[-1].filename, frames[-1].lineno, frames[-1].line)
    return text


def call(function, *args, what, hint, **kwargs):
    """Call the learner's `function`; any exception becomes a NotYet that names their line."""
    try:
        return function(*args, **kwargs)
    except NotYet:
        raise
    except NotImplementedError:
        raise NotYet(f"{what} is not written yet: it still raises NotImplementedError", TODO_HINT) from None
    except Exception as error:
        raise NotYet(f"{what} raised {describe_exception(error)}", hint) from None


# -- the learner's errors, in a worker ----------------------------------------------------

_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in \S+\n(?P<code>[ \t]+\S.*)?')


def describe_traceback(text):
    """A traceback's text in one line: its last line, and the learner's line it came from."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    described = lines[-1].strip() if lines else "an unknown error"
    frames = [m for m in _FRAME.finditer(text) if _is_learner_file(m["file"])]
    if frames:
        last = frames[-1]
        described += _where(last["file"], int(last["line"]), (last["code"] or "").strip())
    return described


def describe_failure(result):
    """Why a task result FAILED, in one line: the exception and the learner's line."""
    if not result.errors:
        return "no recorded error"
    return describe_traceback(result.errors[-1].traceback)


def failed_with_todo(result):
    return bool(result.errors) and result.errors[-1].exception_class_path == "builtins.NotImplementedError"


def _where(filename, lineno, code):
    if is_cell_module(filename):
        place = f"line {lineno} of your `%%module {Path(filename).stem}` cell"
    else:
        place = f"line {lineno} of your cell"
    return f" ({place}: `{code}`)" if code else f" ({place})"
