"""The sandbox on one backend of the landscape (lesson 25), chosen by an environment variable.

``TASKLAB_LANDSCAPE_BACKEND`` names a candidate of `tasklab.landscape.candidates`
(e.g. ``django-tasks-db``); its apps join INSTALLED_APPS and its settings (TASKS and whatever
else the package reads) replace the sandbox's. The URLs are the admin's only
(`taskdemo.urls_landscape`). Nothing else changes: same apps, same tasks.
"""

import os

from tasklab.landscape import candidates  # noqa: E402

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

_candidate = candidates.get(os.environ.get("TASKLAB_LANDSCAPE_BACKEND", "django-tasks-db"))
if not _candidate.kept:
    raise candidates.UnknownCandidate(
        f"{_candidate.label} was dropped from the landscape: {_candidate.dropped}"
    )

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in _candidate.without_apps]
INSTALLED_APPS += [app for app in _candidate.apps if app not in INSTALLED_APPS]
globals().update(_candidate.settings(os.environ))
ROOT_URLCONF = "taskdemo.urls_landscape"
