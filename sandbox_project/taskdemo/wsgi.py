"""WSGI entry point of the sandbox (used by `runserver`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskdemo.settings")

application = get_wsgi_application()
