"""`public_api(package)`: what a `django.tasks`-like package offers, to compare two of them.

Lesson 19 compares Django 6.1's `django.tasks` (this lab's environment) with the backport
`django_tasks` (the Django 5.2 environment). `describe()` runs in a process of the chosen
interpreter, so it imports only the standard library, Django and the package it describes.
"""

import json
import sys


def public_api(package, *, python=None):
    """What `describe(package)` finds, asked of `python` (default: the lab's own Python).

    Returns {aspect: sorted names}, with the same aspects for every package, e.g.
    "exceptions", "signals", "Task members", "Task.using parameters".
    """
    from pathlib import Path

    from .scratch_project import run  # here: this file also runs as a script, outside the toolkit

    python = str(python or sys.executable)
    # -P: do not put this file's folder on sys.path (the toolkit's http.py would hide the stdlib's).
    done = run(
        Path(__file__).parent,
        [python, "-P", __file__, package],
        f"python public_api.py {package}",
        python=python,
    )
    if not done.ok:
        raise RuntimeError(f"Could not describe {package} with {python}:\n{done.tail(8)}")
    return json.loads(done.lines[-1])


def describe(package):
    """The public surface of `package` (django.tasks or django_tasks), as JSON-ready lists."""
    import importlib
    import inspect

    from django.dispatch import Signal

    root = importlib.import_module(package)
    base = importlib.import_module(f"{package}.base")
    exceptions = importlib.import_module(f"{package}.exceptions")
    signals = importlib.import_module(f"{package}.signals")

    def members(cls):
        return sorted(name for name in dir(cls) if not name.startswith("_"))

    def parameters(function):
        return [name for name in inspect.signature(function).parameters if name != "self"]

    return {
        "names it exports (__all__)": sorted(root.__all__),
        "exceptions": sorted(
            name
            for name, value in vars(exceptions).items()
            if isinstance(value, type)
            and issubclass(value, Exception)
            and value.__module__ == exceptions.__name__
        ),
        # Its own signals, not the Django ones it imports (setting_changed).
        "task signals": sorted(
            name
            for name, value in vars(signals).items()
            if isinstance(value, Signal) and name.startswith("task_")
        ),
        "logger of the task signals": [signals.logger.name],
        "TaskResultStatus": [status.name for status in root.TaskResultStatus],
        "@task parameters": parameters(root.task),
        "Task.using parameters": parameters(base.Task.using),
        "Task.enqueue parameters": parameters(base.Task.enqueue),
        "Task members": members(base.Task),
        "TaskResult members": members(base.TaskResult),
        "TaskContext members": members(base.TaskContext),
        "type parameters of Task": [str(p) for p in getattr(base.Task, "__parameters__", ())],
        "annotation of Task.func": [str(base.Task.__annotations__["func"])],
    }


if __name__ == "__main__":
    print(json.dumps(describe(sys.argv[1])))
