"""The Redis family of the landscape (filled on the branch `landscape-redis`)."""

CANDIDATES = []
