"""`Postgres`: a real, throw-away PostgreSQL server on 127.0.0.1, for the lessons that scale out.

    with tasklab.postgres.Postgres() as pg:
        pg.url        # postgresql://postgres@127.0.0.1:<port>/tasklab

Everything lives in one temporary folder: `initdb` creates a cluster there, `postgres` serves
it on a free port (and on a Unix socket in the same folder), and the folder is deleted when
the server stops. PostgreSQL refuses to run as root, so as root (CI, containers) both run as
the `postgres` user. Logins need no password (`trust`): the server is for this machine's
lessons only, listens on 127.0.0.1, and lives no longer than its owner.
"""

import glob
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from .errors import ProcessStartError
from .paths import log_dir, shown
from .programs import ProgramProcess, find_program
from .server import free_port

DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin/postgres"


def find_postgres():
    """The newest `postgres` server binary: Debian keeps it off PATH, in a folder per version."""
    def version(path):
        return [int(n) for n in re.findall(r"\d+", path)]

    return find_program("postgres", candidates=sorted(glob.glob(DEBIAN_BINARIES), key=version, reverse=True))


def run_as():
    """The user the server runs as: `postgres` when we are root, else ourselves."""
    return "postgres" if os.geteuid() == 0 else None


class Postgres(ProgramProcess):
    what = "PostgreSQL"
    database = "tasklab"
    user = "postgres"  # the superuser initdb creates (whatever system user runs the server)

    def __init__(self, port=None):
        self.port = port or free_port()
        self.bin_dir = Path(find_postgres()).parent
        self.dir = Path(tempfile.gettempdir()) / f"tasklab-postgres-{self.port}-{secrets.token_hex(4)}"
        self.data_dir = self.dir / "data"
        program = [
            self.bin_dir / "postgres",
            "-D", self.data_dir,
            "-k", self.dir,  # the Unix socket, away from the system's /var/run/postgresql
            "-h", "127.0.0.1",
            "-p", str(self.port),
        ]
        # SIGINT is PostgreSQL's "fast" shutdown: end sessions, write a checkpoint, exit.
        super().__init__(program, log_dir() / f"postgres-{self.port}.log",
                         stop_signal="SIGINT", user=run_as(), remove=self.dir)

    def _shown_program(self):
        return f"postgres -h 127.0.0.1 -p {self.port}"

    @property
    def url(self):
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def start(self):
        if self.running:
            return self
        self._init_cluster()
        super().start()
        self._create_database()
        return self

    def stop(self, timeout=10.0):
        code = super().stop(timeout)
        shutil.rmtree(self.dir, ignore_errors=True)  # the guard removes it; this is in case it was killed
        return code

    def is_ready(self):
        if "database system is ready to accept connections" not in self.log():
            return False
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def _init_cluster(self):
        self.dir.mkdir(mode=0o700)
        user = run_as()
        if user:
            shutil.chown(self.dir, user, user)
        command = [
            self.bin_dir / "initdb", "-D", self.data_dir, f"--username={self.user}",
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        ]
        from .guarded_program import as_user

        done = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, **as_user(user))
        if done.returncode != 0:
            shutil.rmtree(self.dir, ignore_errors=True)
            output = (done.stdout + done.stderr).strip()
            raise ProcessStartError(
                "PostgreSQL's initdb", f"it exited with code {done.returncode}.",
                "\n".join(output.splitlines()[-15:]), shown(self.dir),
            )

    def _create_database(self):
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
