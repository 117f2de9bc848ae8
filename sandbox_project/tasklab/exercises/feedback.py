"""Plain-words verdicts: "Passed: ..." or "Not yet: <what is wrong>. Hint: <toward the fix>".

A checker raises `NotYet` for the first thing it finds wrong and returns a sentence when all
is well. `verdict()` turns whatever happened into one of those two answers, so a learner never
meets a bare AssertionError or a traceback from inside the toolkit. The helpers below turn the
learner's own errors, in the kernel or in a worker, into one line that points at their code.
"""

import re
import traceback
from pathlib import Path

from .cellmodule import is_cell_module

TODO_HINT = "replace the `# TODO: your code here` and `raise NotImplementedError()` lines with your code."


class NotYet(Exception):
    """What is wrong with the learner's code, and a hint toward the fix."""

    def __init__(self, what, hint):
        self.what = what.rstrip(".")
        self.hint = hint
        super().__init__(f"Not yet: {self.what}.\nHint: {hint}")


def verdict(checker, *args):
    """Run `checker(*args)`; return (passed, message) and never raise."""
    try:
        return True, f"Passed: {checker(*args)}"
    except NotYet as not_yet:
        return False, str(not_yet)
    except Exception as error:  # a bug in a checker must still answer in plain words
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
