"""Run a program that is not a `manage.py` command (a database server) so it cannot outlive its owner.

`tasklab.guarded` runs Django commands in its own process; a server such as `postgres` is
another program, so this supervisor starts it as a child and watches the owner's pipe for it.
Stopping the supervisor (SIGTERM/SIGINT) or its owner's death (the pipe reads end-of-file)
both send the program its own graceful stop signal; if it has not exited `--grace` seconds
later it is killed. `--remove DIR` deletes a folder (e.g. a throwaway data directory) once
the program has exited, so a killed owner leaves no files behind either.

Usage: ``python -m tasklab.supervised OWNER_FD [--stop-signal N] [--grace S] [--remove DIR] -- PROGRAM [ARGS...]``
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading


def _parse(argv):
    if "--" not in argv:
        sys.exit("usage: python -m tasklab.supervised OWNER_FD [OPTIONS] -- PROGRAM [ARGS...]")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m tasklab.supervised")
    parser.add_argument("owner_fd", type=int)
    parser.add_argument("--stop-signal", type=int, default=signal.SIGTERM)
    parser.add_argument("--grace", type=float, default=5.0)
    parser.add_argument("--remove", help="a folder to delete once the program has exited")
    options = parser.parse_args(argv[:split])
    options.command = argv[split + 1 :]
    return options


def main(argv):
    options = _parse(argv)
    child = subprocess.Popen(options.command)
    stopping = threading.Event()

    def stop(*_):
        if not stopping.is_set():
            stopping.set()
            child.send_signal(options.stop_signal)
            threading.Timer(options.grace, _kill_if_running, args=(child,)).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_owner():
        while os.read(options.owner_fd, 1):
            pass
        stop()

    threading.Thread(target=watch_owner, daemon=True).start()
    code = child.wait()
    if options.remove:
        shutil.rmtree(options.remove, ignore_errors=True)
    os._exit(code if code >= 0 else 128 - code)


def _kill_if_running(child):
    if child.poll() is None:
        child.kill()


if __name__ == "__main__":
    main(sys.argv[1:])
