"""`Redis`: a real redis-server on 127.0.0.1 and a free port, for RQ and Celery.

    with tasklab.Redis() as redis:
        redis.url          # redis://127.0.0.1:<port>/0

It keeps everything in memory (no dump file, no append-only file) and is stopped, by its
PID, when the `with` block ends, when `stop()` is called, or when its owner dies.
"""

import sys

from .paths import log_dir
from .programs import ProgramProcess, find_program
from .server import free_port


class Redis(ProgramProcess):
    what = "Redis"

    def __init__(self, port=None):
        self.port = port or free_port()
        program = [
            find_program("redis-server"),
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        super().__init__(program, log_dir() / f"redis-{self.port}.log")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        """A `redis.Redis` client for this server."""
        import redis

        return redis.Redis.from_url(self.url)

    def is_ready(self):
        return self.says_and_listens("Ready to accept connections", self.port)


def main(argv):
    """`python -m tasklab.redis [PORT]` (what `make redis` runs): serve until Ctrl+C."""
    import time

    from .errors import TasklabError

    try:
        redis = Redis(int(argv[0]) if argv else None).start()
    except TasklabError as error:
        sys.exit(str(error))
    print(f"Redis is ready at {redis.url} (log: {redis.log_path}). Press Ctrl+C to stop it.", flush=True)
    print(f"For the RQ settings: export TASKLAB_REDIS_URL={redis.url}", flush=True)
    try:
        while redis.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    redis.stop()
    print("Redis stopped.")


if __name__ == "__main__":
    main(sys.argv[1:])
