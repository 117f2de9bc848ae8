"""`Server`: the real `manage.py runserver` on a free localhost port."""

import socket

from .paths import log_dir
from .processes import ManagedProcess


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server(ManagedProcess):
    """Django's development server on 127.0.0.1, without the autoreloader's extra process."""

    what = "The development server"

    def __init__(self, port=None, *, env=None):
        self.port = port or free_port()
        super().__init__(
            ["runserver", f"127.0.0.1:{self.port}", "--noreload"],
            log_dir() / f"server-{self.port}.log",
            env=env,
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def is_ready(self):
        return self.says_and_listens("development server at http", self.port)
