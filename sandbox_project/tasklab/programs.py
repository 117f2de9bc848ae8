"""System programs some lessons need (redis-server, PostgreSQL), run so they never outlive us."""

import shutil
from pathlib import Path

from .errors import MissingProgram
from .processes import ManagedProcess

INSTALL = {
    "redis-server": "sudo apt install redis-server   (macOS: brew install redis)",
    "postgres": "sudo apt install postgresql   (macOS: brew install postgresql@16)",
}


def find_program(name, *, candidates=()):
    """The path of `name`: the first of `candidates` that exists, else the one on PATH."""
    for candidate in candidates:
        if Path(candidate).is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise MissingProgram(
            f"{name} is not installed (or not on PATH). Install it with: "
            f"{INSTALL.get(name, name)}, then run this again."
        )
    return found


class ProgramProcess(ManagedProcess):
    """A program that is not a `manage.py` command, watched by `tasklab.guarded_program`.

    stop_signal: what the program takes as "stop now, cleanly" (PostgreSQL: SIGINT).
    user: run it as this user (only as root). remove: a folder deleted once it has exited.
    """

    launcher = "tasklab.guarded_program"

    def __init__(self, program, log_path, *, stop_signal="SIGTERM", user=None, remove=None, env=None):
        self.program = [str(part) for part in program]
        guard = [f"--stop-signal={stop_signal}"]
        if user:
            guard.append(f"--user={user}")
        if remove:
            guard.append(f"--remove={remove}")
        super().__init__([*guard, "--", *self.program], log_path, env=env)

    def describe(self):
        return f"{self.what} (`{self._shown_program()}`)"

    def _shown_program(self):
        return " ".join([Path(self.program[0]).name, *self.program[1:]])

    def __repr__(self):
        state = f"pid {self.pid}, running" if self.running else "stopped"
        return f"<{type(self).__name__} {self._shown_program()} ({state})>"
