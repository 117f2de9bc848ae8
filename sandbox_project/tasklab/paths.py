"""Where the sandbox lives and where the toolkit keeps what it generates."""

import os
from pathlib import Path

SANDBOX_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = SANDBOX_DIR.parent
VAR_DIR = SANDBOX_DIR / "var"


def log_dir():
    """The folder for worker and server logs: the current lab's, set by `setup()`."""
    path = Path(os.environ.get("TASKLAB_LOG_DIR", VAR_DIR / "logs"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def shown(path):
    """A path as a lesson prints it: relative to the repository, so outputs do not vary."""
    try:
        return str(Path(path).resolve().relative_to(REPO_DIR))
    except ValueError:
        return str(path)
