"""Run the queue benchmark: start the servers the systems need, measure each system in a
process of its own (`tasklab.bench.scenario`), and collect what they report."""

import contextlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from ..paths import VAR_DIR
from ..programs import ProgramProcess
from . import costs
from .systems import FULL, SYSTEMS

MEASURES = ("enqueue", "drain", "latency", "growth")
COSTS = ("breakdown", "idle")  # asked for on their own: their counters cost the server a little


class Scenario(ProgramProcess):
    """`python -m tasklab.bench.scenario`, never outliving the benchmark that started it."""

    what = "A benchmark run"

    def __init__(self, system, sizes, measures, env, log_path):
        spec = json.dumps({"system": system.name, "sizes": sizes.as_dict(), "measure": list(measures)})
        super().__init__([sys.executable, "-m", "tasklab.bench.scenario", spec], log_path, env=env)

    def is_ready(self):
        return True

    def result(self):
        lines = [line for line in self.log().splitlines() if line.startswith("RESULT ")]
        return json.loads(lines[-1][len("RESULT ") :]) if lines else None


def run(systems=tuple(SYSTEMS), sizes=FULL, measures=MEASURES, *, workdir=None, echo=print):
    """Measure `systems` (names from SYSTEMS); returns {name: figures}, with "error" on failure."""
    chosen = [SYSTEMS[name] for name in systems]
    workdir = Path(workdir or VAR_DIR / "bench" / "work")
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "logs").mkdir(parents=True)
    results = {}
    with contextlib.ExitStack() as servers:
        postgres = redis = None
        if any(s.server == "postgresql" for s in chosen):
            from ..postgres import Postgres

            counted = {"breakdown", "idle"} & set(measures)
            postgres = servers.enter_context(Postgres(settings=costs.SERVER_SETTINGS if counted else None))
        if any(s.server == "redis" for s in chosen):
            from ..redis import Redis

            redis = servers.enter_context(Redis())
        for system in chosen:
            env = {
                **system.env(workdir=workdir, postgres=postgres, redis=redis),
                "TASKLAB_LOG_DIR": str(workdir / "logs"),
            }
            results[system.name] = _measure(system, sizes, measures, env, workdir, echo)
    return results


def _measure(system, sizes, measures, env, workdir, echo):
    scenario = Scenario(system, sizes, measures, env, workdir / "logs" / f"{system.name}.log")
    started = time.monotonic()
    with scenario:
        shown = 0
        while scenario.running:
            shown = _echo_new_lines(scenario, shown, echo)
            time.sleep(0.2)
        code = scenario.wait()
    _echo_new_lines(scenario, shown, echo)
    result = scenario.result()
    if code != 0 or result is None:
        return {
            "system": system.name,
            "label": system.label,
            "kind": system.kind,
            "error": f"exited with code {code}: {scenario.log_tail(3)}",
            "log": os.fspath(scenario.log_path),
        }
    result["seconds"] = time.monotonic() - started
    return result


def _echo_new_lines(scenario, shown, echo):
    lines = scenario.log().splitlines()
    complete = lines[:-1] if scenario.running else lines
    for line in complete[shown:]:
        if echo and not line.startswith("RESULT "):
            echo("  " + line)
    return max(shown, len(complete))
