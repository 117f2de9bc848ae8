"""What happened during a soak, and when: the record the report and the timeline are drawn from."""

import threading
import time
import traceback


class Events:
    """A thread-safe list of timed events: kills, stops, restarts, recovery sweeps.

    Each event is a dict with `t` (seconds since the soak began), `kind` and its own fields.
    `crashed` keeps the errors of the soak's own threads: a soak whose killer died would
    otherwise report calm where there was none.
    """

    def __init__(self):
        self.t0 = time.monotonic()
        self.items = []
        self.crashed = []
        self._lock = threading.Lock()

    def begin(self):
        """Start the clock now: what happened before (the workers' first start) is at 0 s."""
        with self._lock:
            self.t0 = time.monotonic()
            for event in self.items:
                event["t"] = 0.0

    def now(self):
        return round(time.monotonic() - self.t0, 3)

    def add(self, kind, **fields):
        with self._lock:
            self.items.append({"t": self.now(), "kind": kind, **fields})

    def count(self, kind, **fields):
        return sum(
            1 for e in self.items if e["kind"] == kind and all(e.get(k) == v for k, v in fields.items())
        )

    def thread(self, name, target, *args):
        """Start `target(*args)` in a daemon thread whose exception is recorded, not lost."""

        def run():
            from django.db import connections

            try:
                target(*args)
            except Exception:
                self.crashed.append(f"{name}: {traceback.format_exc().strip().splitlines()[-1]}")
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread
