"""`%%module NAME`: save a notebook cell as a Python module that a worker can import.

A worker is a separate process: it finds a task by its import path (`module.function`), so a
task defined in a notebook cell (module `__main__`) can be enqueued but never run. This magic
writes the cell to `<lab>/code/NAME.py`, a folder on the path of the kernel and of every worker
started afterwards, runs it afresh as module NAME, and puts its names in the notebook, as running the cell
would. Line numbers in the file match the cell's (line 1 is the magic itself).
"""

import os
import re
import sys
import types
from pathlib import Path

from ..errors import TasklabError
from ..paths import VAR_DIR

HEADER = "# Written by %%module from a notebook cell: edit the cell, not this file.\n"


class BadModuleName(TasklabError):
    """The name after %%module is not a usable, free module name."""


def code_dir(lab_dir):
    return Path(lab_dir) / "code"


def is_cell_module(filename):
    path = Path(filename)
    return path.parent.name == "code" and path.parent.parent.parent == VAR_DIR / "notebooks"


def use_code_dir(directory):
    """Make modules in `directory` importable here and in every worker started from now on."""
    directory.mkdir(parents=True, exist_ok=True)
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(directory) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(directory), *paths])


def write_module(directory, name, source):
    """Write module `name` and run it afresh as that module; returns the module."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise BadModuleName(
            f"%%module needs a module name such as `thumbnails` on its first line, not {name!r}: "
            "letters, digits and underscores, not starting with a digit."
        )
    if name in sys.modules and not is_cell_module(getattr(sys.modules[name], "__file__", None) or ""):
        raise BadModuleName(
            f"`{name}` is already the name of another module ({sys.modules[name].__file__}): "
            "choose another name for this cell's module."
        )
    path = directory / f"{name}.py"
    path.write_text(HEADER + source)
    # A worker would otherwise reuse bytecode cached from an edit made in the same second.
    for cached in directory.glob(f"__pycache__/{name}.*.pyc"):
        cached.unlink()
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(HEADER + source, str(path), "exec"), module.__dict__)
    return module


def _from_first_cell_line(error):
    """The traceback from the learner's first line on: the toolkit's own frames are noise."""
    tb = error.__traceback__
    while tb is not None and not is_cell_module(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def register(shell, directory):
    """Register `%%module` in this IPython shell, writing modules into `directory`."""

    def module(line, cell):
        try:
            mod = write_module(directory, line.strip(), cell)
        except BadModuleName as error:
            print(error)
            return
        except Exception as error:
            shell.showtraceback((type(error), error, _from_first_cell_line(error)))
            return
        shell.user_ns.update({k: v for k, v in vars(mod).items() if not k.startswith("_")})

    shell.register_magic_function(module, magic_kind="cell", magic_name="module")
