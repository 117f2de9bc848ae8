"""A fresh SQLite database already migrated: made once, then copied for each new lab.

Every lesson, exercise and check starts from a new SQLite file, and migrating one costs about
a second. The first `setup()` migrates as before and keeps a copy under
sandbox_project/var/templates/, named after what the schema depends on (Django's version and
the text of every migration of the installed apps, and the routers); later labs copy it. Change a migration
and the name changes, so a stale copy is never used.
"""

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from .paths import VAR_DIR

# TASKLAB_TEMPLATES_DIR: another folder (the tests use an empty one).
TEMPLATES_DIR = Path(os.environ.get("TASKLAB_TEMPLATES_DIR", VAR_DIR / "templates"))


def schema_key():
    """A short hash of Django's version, the database routers (a queue database of its own
    takes the task tables elsewhere) and every migration file of the installed apps."""
    import django
    from django.apps import apps
    from django.conf import settings

    digest = hashlib.sha256(f"{django.get_version()} {settings.DATABASE_ROUTERS}".encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        for migration in sorted((Path(app.path) / "migrations").glob("*.py")):
            digest.update(f"{app.label}/{migration.name}\n".encode())
            digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def template_path():
    return TEMPLATES_DIR / f"sqlite-{schema_key()}.sqlite3"


def copy_template(database):
    """Make `database` (a file that does not exist yet) a copy of the template; False if none."""
    template = template_path()
    if not template.is_file():
        return False
    _copy(template, Path(database))
    return True


def save_template(database):
    """Keep a copy of the just-migrated `database` as the template (atomically: labs run in parallel)."""
    TEMPLATES_DIR.mkdir(parents=True, exist_ok=True)
    target = template_path()
    fd, partial = tempfile.mkstemp(dir=TEMPLATES_DIR, suffix=".partial")
    os.close(fd)
    try:
        _copy(Path(database), Path(partial))
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)


def _copy(source, target):
    """SQLite's own backup (consistent even in WAL mode), left in the default journal mode:
    the settings, not the template, decide whether a lab's database uses WAL."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    src.close()
    dst.close()
