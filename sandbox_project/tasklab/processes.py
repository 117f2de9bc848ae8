"""A `manage.py` command in a subprocess that is stopped when its owner ends.

Three guards, from gentlest to last resort: `stop()` (or leaving the `with` block);
an `atexit` hook when the owner exits normally (kernel restart, end of pytest); and the
pipe watched by `tasklab.guarded` when the owner dies without running any code (SIGKILL).
A program that is not a `manage.py` command (PostgreSQL, Redis, a Celery worker) runs under
`tasklab.guarded_program`, which watches the same pipe for it.
"""

import atexit
import os
import signal
import socket
import subprocess
import sys
import time
import weakref

from .errors import ProcessStartError, TasklabError
from .paths import SANDBOX_DIR, shown

_running = weakref.WeakSet()


@atexit.register
def stop_all():
    """Stop every process this interpreter started and has not stopped yet."""
    for process in list(_running):
        process.stop()


class ManagedProcess:
    """Base class: subclasses give `what`, the command, and how to tell it is ready."""

    what = "process"
    start_timeout = 30.0
    # The module that runs the command and stops it when its owner dies: `tasklab.guarded`
    # for `manage.py` commands, `tasklab.guarded_program` for other programs.
    launcher = "tasklab.guarded"

    def __init__(self, command, log_path, env=None):
        self.command = command
        self.log_path = log_path
        self.extra_env = env or {}
        self.popen = None
        self._owner_pipe = None

    # -- to be provided by subclasses -------------------------------------------------
    def is_ready(self):
        raise NotImplementedError

    def says_and_listens(self, banner, port):
        """Ready as a server: its log shows `banner` and 127.0.0.1:`port` accepts connections.

        Both, because a port can answer for another program, and a banner comes before the bind.
        """
        if banner not in self.log():
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    def argv(self, owner_fd):
        """The command line: `self.command`, run under the `launcher` module."""
        return [sys.executable, "-m", self.launcher, str(owner_fd), *self.command]

    # -- life cycle -------------------------------------------------------------------
    def start(self):
        if self.running:
            return self
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        read_end, self._owner_pipe = os.pipe()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.extra_env}
        # The kernel's reason for this flag does not apply to a worker: it runs no event loop.
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SANDBOX_DIR), env.get("PYTHONPATH")) if p)
        with open(self.log_path, "wb") as log:
            self.popen = subprocess.Popen(
                self.argv(read_end),
                cwd=SANDBOX_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(read_end,),
                # Its own session: interrupting the kernel (SIGINT to its process group)
                # must not stop the worker; only its owner decides that.
                start_new_session=True,
            )
        os.close(read_end)
        _running.add(self)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while not self.is_ready():
            if self.popen.poll() is not None:
                self._close_pipe()
                _running.discard(self)
                raise ProcessStartError(
                    self.describe(),
                    f"it exited with code {self.popen.returncode}. {self._last_error()}",
                    self.log_tail(),
                    shown(self.log_path),
                )
            if time.monotonic() > deadline:
                self.stop()
                raise ProcessStartError(
                    self.describe(),
                    f"it was not ready after {self.start_timeout:.0f} s.",
                    self.log_tail(),
                    shown(self.log_path),
                )
            time.sleep(0.05)

    def stop(self, timeout=10.0):
        """Ask politely (SIGTERM, like Ctrl+C); kill after `timeout` seconds. Returns the exit code."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._kill_group()
        self._close_pipe()
        _running.discard(self)
        return self.popen.returncode

    def _kill_group(self):
        """Kill the process and anything it started: they share the session made at start()."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()

    def signal(self, signum):
        """Send a signal, e.g. to show what SIGKILL does to a running task."""
        self.popen.send_signal(signum)

    def wait(self, timeout=None):
        """Wait for the process to exit on its own (e.g. `db_worker --batch`)."""
        code = self.popen.wait(timeout)
        self._close_pipe()
        _running.discard(self)
        return code

    def _close_pipe(self):
        if self._owner_pipe is not None:
            os.close(self._owner_pipe)
            self._owner_pipe = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- what the learner reads -------------------------------------------------------
    @property
    def pid(self):
        return self.popen.pid if self.popen else None

    @property
    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def log(self):
        """Everything the process printed so far (stdout and stderr)."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def print_log(self):
        print(self.log(), end="")

    def wait_for_log(self, text, timeout=10.0):
        """Wait until the log contains `text`.

        A process may print a line just after the event a lesson waited for: the server logs
        a request after sending the reply, a worker logs `state=SUCCESSFUL` after saving it.
        """
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if not self.running:
                raise TasklabError(
                    f"{self.describe()} exited without printing {text!r}. "
                    f"Last lines of its log:\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise TasklabError(
                    f"{self.describe()} has not printed {text!r} after {timeout:g} s. "
                    f"Last lines of its log:\n{self.log_tail()}"
                )
            time.sleep(0.05)

    def log_tail(self, lines=15):
        return "\n".join(self.log().rstrip().splitlines()[-lines:])

    def last_words(self):
        """The last line of its log that is not indented: after a crash, its exception.

        A traceback ends with `module.Error: message`, and the message may go on over indented
        lines (libpq's "server closed the connection unexpectedly" does), so the log's very
        last line is not always the exception's.
        """
        lines = [line for line in self.log().splitlines() if line.strip() and not line[0].isspace()]
        return lines[-1] if lines else ""

    def _last_error(self):
        return self.last_words() or "It printed nothing."

    def describe(self):
        return f"{self.what} (`manage.py {' '.join(self.command)}`)"

    def __repr__(self):
        state = f"pid {self.pid}, running" if self.running else "stopped"
        return f"<{type(self).__name__} {' '.join(self.command)} ({state})>"
