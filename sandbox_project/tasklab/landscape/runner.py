"""Run the matrix checks for one backend, in a process configured for it alone.

``python -m tasklab.landscape.runner OWNER_FD RESULTS_JSON [--quick] [CHECK ...]`` with the
environment `Servers.env_for(candidate)` gave. It migrates the candidate's database, runs
each check (each starts and stops the workers it needs), and writes one `Cell` per check to
RESULTS_JSON. Like a worker, it stops itself when its owner dies (`tasklab.guarded`).
"""

import json
import os
import sys
import threading
from pathlib import Path

from ..guarded import _exit_when_owner_dies
from ..processes import ManagedProcess


class CheckRun(ManagedProcess):
    """The runner as a toolkit process: started by the matrix, stopped with its owner."""

    launcher = "tasklab.landscape.runner"
    start_timeout = 5.0

    def __init__(self, candidate, env, results, *, quick, checks=(), log_path):
        self.candidate = candidate
        self.what = f"The checks of {candidate.name}"
        command = [str(results), *(["--quick"] if quick else []), *checks]
        super().__init__(command, log_path, env=env)

    def is_ready(self):
        return True

    def describe(self):
        return f"The landscape checks of {self.candidate.label}"


def main(argv):
    owner_fd, results, *rest = argv
    threading.Thread(target=_exit_when_owner_dies, args=(int(owner_fd),), daemon=True).start()
    quick = "--quick" in rest
    names = [name for name in rest if name != "--quick"]

    import django

    django.setup()
    from . import checks
    from .candidates import get
    from .workers import migrate

    candidate = get(os.environ["TASKLAB_LANDSCAPE_BACKEND"])
    migrate(candidate)
    cells = checks.run_all(candidate, os.environ.copy(), quick=quick, names=names or None)
    Path(results).write_text(json.dumps([cell.as_dict() for cell in cells], indent=1))
    # An in-process backend's pool may still run a recovered 60 s task: its workers are
    # stopped, its cells written; do not wait for its threads.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
