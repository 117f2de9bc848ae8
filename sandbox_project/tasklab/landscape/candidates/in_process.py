"""In-process pools: tasks run in threads or processes of the enqueuing process."""

CANDIDATES = []
