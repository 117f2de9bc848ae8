"""Store notebook outputs with paths relative to the checkout, not absolute ones.

A traceback, a `%%writefile` line or a worker's log names files by their absolute path, which
says where one author's checkout happened to be. The site publishes stored outputs, so
`make notebooks` and `make exercises` run this after executing: `/home/ada/tasklab/sandbox_project/...`
is stored as `sandbox_project/...`. nbval's sanitiser (tests/nbval_sanitize.cfg) makes a fresh
run's absolute paths relative in the same way before it compares, and
tests/test_stored_outputs.py fails if an absolute path to a checkout is ever stored.

Usage: python scripts/relative_paths.py NOTEBOOK...
"""

import json
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def relative(value, prefix):
    """`value` (a str, or a list of lines as notebooks store text) without `prefix`."""
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [relative(item, prefix) for item in value]
    if isinstance(value, dict):
        return {key: relative(item, prefix) for key, item in value.items()}
    return value


def rewrite(path, prefix=f"{REPO_DIR}/"):
    """Rewrite one notebook's outputs in place; returns whether anything changed."""
    notebook = json.loads(Path(path).read_text())
    changed = False
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = relative(cell.get("outputs", []), prefix)
        if outputs != cell.get("outputs", []):
            cell["outputs"] = outputs
            changed = True
    if changed:
        Path(path).write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        if rewrite(name):
            print(f"{name}: stored outputs now show paths relative to the checkout")
