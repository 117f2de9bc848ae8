"""`make chaos`: soak the sandbox on PostgreSQL while its workers are killed, then count.

    python -m tasklab.chaos [--duration 300] [--seed N] [--dir FOLDER] [--json FILE]

Prints the report; exits 1 if any task was lost or duplicated, or the status page erred.
Ctrl+C (or SIGTERM) stops it cleanly: every process it started stops with it.
"""

import argparse
import random
import signal
import sys
from pathlib import Path

from ..paths import VAR_DIR


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tasklab.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300, help="seconds of chaos (default 300)")
    parser.add_argument("--seed", type=int, help="for the random choices (default: a new one, printed)")
    parser.add_argument("--dir", type=Path, default=VAR_DIR / "chaos", help="logs and workers' cards")
    parser.add_argument("--json", type=Path, help="also write the report to this file")
    options = parser.parse_args(argv)
    if options.duration <= 0:
        parser.error(f"--duration is a number of seconds above 0, not {options.duration:g}")
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1_000_000)
    print(f"Chaos soak: seed {seed} (SEED={seed} repeats its random choices)", flush=True)
    signal.signal(signal.SIGTERM, _interrupted)  # `kill`, or a notebook that stops: clean up too
    # Ctrl+C too, even when started from a shell that ignores SIGINT (a background job, a CI
    # runner): Python installs its own handler only if SIGINT was not ignored at start.
    signal.signal(signal.SIGINT, _interrupted)

    from .soak import run

    try:
        report = run(options.duration, seed, options.dir.resolve(), say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("\nInterrupted: every process the soak started has been stopped.", file=sys.stderr)
        return 130
    if options.json:
        report.save(options.json)
    print(report)
    return 1 if report.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
