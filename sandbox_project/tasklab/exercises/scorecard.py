"""Which exercises the learner has passed: kept in `sandbox_project/var/progress.json`.

`check()` records a pass here (only in the learner's copy, never when a solution runs), and
`make progress` prints the card: `python -m tasklab.exercises.scorecard`.
"""

import json
import os
from datetime import datetime
from pathlib import Path

from ..paths import VAR_DIR
from .catalogue import EXERCISES


def progress_file():
    return Path(os.environ.get("TASKLAB_PROGRESS_FILE", VAR_DIR / "progress.json"))


def passes():
    """{exercise name: when it was first passed (ISO text)}; empty when nothing was recorded."""
    try:
        data = json.loads(progress_file().read_text())
    except FileNotFoundError:
        return {}
    except ValueError:
        return {}  # a damaged file is treated as empty, and rewritten at the next pass
    return {name: when for name, when in data.get("passed", {}).items() if isinstance(when, str)}


def record_pass(name):
    recorded = passes()
    recorded.setdefault(name, datetime.now().isoformat(timespec="minutes"))
    path = progress_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"passed": recorded}, indent=2) + "\n")
    temporary.replace(path)


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
