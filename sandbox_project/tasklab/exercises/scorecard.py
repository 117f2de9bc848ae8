"""Which exercises the learner has passed, and how often a check did not pass.

Passes are kept in `sandbox_project/var/progress.json`: `check()` records a pass there (only in
the learner's copy, never when a solution runs), and `make progress` prints the card:
`python -m tasklab.exercises.scorecard`.

Checks that did not pass are counted in the exercise's lab folder (`tries.json`), per mistake,
to give each hint in steps (see `feedback.Steps`). The lab folder is emptied whenever the
notebook's first cell runs, so a notebook run from the top starts again at the first step: a
stored output, and the run that nbval compares with it, always show the first step, which
never gives the answer away.
"""

import json
import os
from datetime import datetime
from pathlib import Path

from ..paths import VAR_DIR
from .catalogue import EXERCISES


def progress_file():
    return Path(os.environ.get("TASKLAB_PROGRESS_FILE", VAR_DIR / "progress.json"))


def _read(path):
    """A JSON object from `path`; empty when the file is missing or damaged (it is rewritten next time)."""
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path, data):
    """Write atomically: a kernel killed half-way leaves the old file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n")
    temporary.replace(path)


def passes():
    """{exercise name: when it was first passed (ISO text)}; empty when nothing was recorded."""
    passed = _read(progress_file()).get("passed", {})
    return (
        {name: when for name, when in passed.items() if isinstance(when, str)}
        if isinstance(passed, dict)
        else {}
    )


def record_pass(name):
    recorded = passes()
    recorded.setdefault(name, datetime.now().isoformat(timespec="minutes"))
    _write(progress_file(), {"passed": recorded})


def tries_file(lab_dir):
    return Path(lab_dir) / "tries.json"


def record_try(lab_dir, key=None):
    """One more check() that did not pass in this lab; returns how many times mistake `key` has now
    been met (1 the first time). key None: a hint that is always the same; only the total counts."""
    path = tries_file(lab_dir)
    data = _read(path)
    total = data.get("tries", 0) if isinstance(data.get("tries"), int) else 0
    seen = data.get("mistakes", {}) if isinstance(data.get("mistakes"), dict) else {}
    count = 1
    if key is not None:
        count = (seen.get(key, 0) if isinstance(seen.get(key), int) else 0) + 1
        seen[key] = count
    _write(path, {"tries": total + 1, "mistakes": seen})
    return count


def tries(lab_dir):
    """How many checks have not passed in this lab so far."""
    total = _read(tries_file(lab_dir)).get("tries", 0)
    return total if isinstance(total, int) else 0


def card():
    """The text `make progress` prints."""
    recorded = passes()
    done = [e for e in EXERCISES if e.name in recorded]
    lines = [f"Exercises passed: {len(done)} of {len(EXERCISES)}", ""]
    for e in EXERCISES:
        mark = "[x]" if e.name in recorded else "[ ]"
        when = f"  passed {recorded[e.name].replace('T', ' ')}" if e.name in recorded else ""
        lines.append(f"  {mark} {e.number:2d}. {e.title:<36}{when}".rstrip())
    todo = [e for e in EXERCISES if e.name not in recorded]
    lines.append("")
    if todo:
        lines.append(f"Next: notebooks/exercises/{todo[0].name}.ipynb")
    else:
        lines.append("All done. Well played!")
    return "\n".join(lines)


if __name__ == "__main__":
    print(card())
