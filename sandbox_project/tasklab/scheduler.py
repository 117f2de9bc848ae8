"""`Scheduler`: django-scheduled-tasks' `manage.py run_task_scheduler`, from a notebook or a test.

It runs under `taskdemo.settings_periodic` (the sandbox's settings plus the scheduler's app),
like a `Worker` under `tasklab.guarded`: stopped with its owner, even by SIGKILL. In a
project it is one more long-running process beside the workers, under systemd or a Procfile
line: `python manage.py run_task_scheduler --no-reload`.
"""

import itertools

from .paths import log_dir
from .processes import ManagedProcess

_numbers = itertools.count(1)

SETTINGS = "taskdemo.settings_periodic"


class Scheduler(ManagedProcess):
    """A scheduler subprocess whose output goes to a log file.

    interval: seconds between its looks at the schedules (the package's default is 1).
    command: `run_task_scheduler` (the package's), or `run_claiming_scheduler` (the sandbox's,
    which claims each tick). schedules: the modules that declare periodic tasks (default:
    `accounts.schedules`); an empty list starts a scheduler that knows none.
    slow_enqueue: make each enqueue take half a second (lesson 20's race, made visible).
    """

    what = "The scheduler"

    def __init__(
        self,
        *,
        interval=0.2,
        command="run_task_scheduler",
        schedules=None,
        slow_enqueue=False,
        name=None,
        env=None,
    ):
        self.name = name or f"scheduler-{next(_numbers)}"
        env = {"DJANGO_SETTINGS_MODULE": SETTINGS, **(env or {})}
        if schedules is not None:
            env["TASKLAB_SCHEDULES"] = ",".join(schedules)
        if slow_enqueue:
            env["TASKLAB_DEMO_RECEIVERS"] = "slow_enqueue"
        super().__init__(
            [command, f"--interval={interval}", "--no-reload"],
            log_dir() / f"{self.name}.log",
            env=env,
        )

    def is_ready(self):
        return "registered schedules" in self.log()

    def describe(self):
        return f"The scheduler {self.name!r} (`manage.py {' '.join(self.command)}`)"
