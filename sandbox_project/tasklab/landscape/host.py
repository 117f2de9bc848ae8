"""A process that enqueues one long task on an in-process backend, then waits to be killed.

With an in-process backend the enqueuing process is the worker: the SIGKILL check kills this
one while its task runs, and looks from another process at what became of the task.
``python -m tasklab.landscape.host OWNER_FD MARKS_NAME SECONDS``.
"""

import sys
import threading
import time

from ..guarded import _exit_when_owner_dies
from ..paths import log_dir
from ..processes import ManagedProcess


class Host(ManagedProcess):
    launcher = "tasklab.landscape.host"

    def __init__(self, candidate, name, seconds):
        self.candidate = candidate
        self.what = f"The {candidate.name} host process"
        super().__init__([name, str(seconds)], log_dir() / f"landscape-host-{candidate.name}.log")

    def is_ready(self):
        return "enqueued " in self.log()

    @property
    def result_id(self):
        return self.log().split("enqueued ", 1)[1].split()[0]

    def describe(self):
        return f"The {self.candidate.name} host process"


def main(argv):
    owner_fd, name, seconds = argv
    threading.Thread(target=_exit_when_owner_dies, args=(int(owner_fd),), daemon=True).start()
    import django

    django.setup()
    from .tasks import sleep_then_mark

    result = sleep_then_mark.enqueue(name, float(seconds))
    print(f"enqueued {result.id}", flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    main(sys.argv[1:])
