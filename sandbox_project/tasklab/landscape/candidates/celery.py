"""The Celery family of the landscape (filled on the branch `landscape-redis`)."""

CANDIDATES = []
