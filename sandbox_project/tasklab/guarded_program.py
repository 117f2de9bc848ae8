"""Run a program (redis-server, postgres, a Celery worker) that cannot outlive its owner.

`tasklab.guarded` does this for `manage.py` commands, which can watch a pipe themselves.
A server written in C cannot, so this small Python process stands between the owner and
the program: it starts the program in a process group of its own, and stops it when the
owner's pipe reads end-of-file (the owner died, even by SIGKILL) or when it is asked to
stop (SIGTERM/SIGINT, as `ManagedProcess.stop()` sends). The program gets its own stop
signal first (e.g. SIGINT, PostgreSQL's fast shutdown); if it is still running after
`GRACE` seconds, its whole process group is killed. Usage:

    python -m tasklab.guarded_program OWNER_FD [--stop-signal SIGINT] [--user postgres]
        [--remove DIR] -- PROGRAM [ARGS...]
"""

import argparse
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading

# Seconds the program gets to stop on its own: less than `ManagedProcess.stop()`'s timeout,
# so that this guard, not its owner, has the last word.
GRACE = 6.0


def parse(argv):
    """`OWNER_FD [options] -- PROGRAM [ARGS...]`: everything after `--` is the program's own."""
    if "--" not in argv:
        sys.exit("usage: python -m tasklab.guarded_program OWNER_FD [options] -- PROGRAM [ARGS...]")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m tasklab.guarded_program")
    parser.add_argument("owner_fd", type=int)
    parser.add_argument("--stop-signal", default="SIGTERM", type=lambda name: signal.Signals[name])
    parser.add_argument("--user", help="run the program as this user (needs root)")
    parser.add_argument("--remove", help="a folder to delete once the program has exited")
    args = parser.parse_args(argv[:split])
    args.program = argv[split + 1 :]
    if not args.program:
        parser.error("no program given after --")
    return args


def as_user(name):
    """Popen keyword arguments that drop root for `name` (PostgreSQL refuses to run as root)."""
    if not name:
        return {}
    entry = pwd.getpwnam(name)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


class Guard:
    def __init__(self, program, stop_signal, user):
        self.stop_signal = stop_signal
        self.child = subprocess.Popen(
            program, stdin=subprocess.DEVNULL, start_new_session=True, **as_user(user)
        )
        self._stopping = threading.Lock()

    def stop(self, *_):
        """Ask the program to stop; kill its process group if it has not after GRACE seconds."""
        if not self._stopping.acquire(blocking=False):
            return
        if self.child.poll() is None:
            self.child.send_signal(self.stop_signal)
        threading.Thread(target=self._kill_after_grace, daemon=True).start()

    def _kill_after_grace(self):
        try:
            self.child.wait(GRACE)
        except subprocess.TimeoutExpired:
            self.kill_group()

    def kill_group(self):
        try:
            os.killpg(self.child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def watch_owner(self, owner_fd):
        while os.read(owner_fd, 1):
            pass
        self.stop()


def main(argv):
    args = parse(argv)
    guard = Guard(args.program, args.stop_signal, args.user)
    signal.signal(signal.SIGTERM, guard.stop)
    signal.signal(signal.SIGINT, guard.stop)
    threading.Thread(target=guard.watch_owner, args=(args.owner_fd,), daemon=True).start()
    code = guard.child.wait()
    guard.kill_group()  # helpers the program left behind (PostgreSQL backends, Celery's pool)
    if args.remove:
        shutil.rmtree(args.remove, ignore_errors=True)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main(sys.argv[1:])
