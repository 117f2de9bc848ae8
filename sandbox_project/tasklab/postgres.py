"""`Postgres`: a throwaway PostgreSQL server on 127.0.0.1, for lessons, tests and benchmarks.

    from tasklab.postgres import Postgres
    with Postgres() as pg:
        pg.url                          # postgresql://postgres@127.0.0.1:<port>/tasklab
        pg.create_database("bench")     # another empty database; returns its URL
        pg.manage("migrate")            # `python manage.py migrate` on its database

It runs the system's own `initdb` and `postgres` (Debian's `postgresql` package, or
Homebrew's) on a free port, with its data in a temporary folder and local connections
trusted: a sandbox, never a deployment. Like a Worker it is a `ManagedProcess`: it stops with
its owner, even when the owner is killed, and its folder is deleted when it stops.

`python -m tasklab.postgres` (`make postgres`) starts one for a learner and waits for Ctrl+C.
"""

import hashlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import MissingProgram, ProcessStartError, TasklabError
from .machine import POSTGRES_BINDIRS, find_postgres_bindir
from .migrated_template import TEMPLATES_DIR
from .paths import SANDBOX_DIR, log_dir, shown
from .processes import ManagedProcess
from .server import free_port

INSTALL = "sudo apt install postgresql   (macOS: brew install postgresql@16)"

# Where packages put initdb and postgres (Debian keeps them off PATH): see `tasklab.machine`,
# which `make doctor` shares.
BINDIR_PATTERNS = POSTGRES_BINDIRS
# A sandbox, never a deployment: local connections trusted, no fsync while creating it.
INITDB_OPTIONS = ["--username=postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]


class PostgresNotInstalled(MissingProgram):
    """No PostgreSQL server programs (initdb, postgres) on this machine."""


def find_bindir():
    """The folder that holds `initdb` and `postgres`, newest version first; None if none does.

    TASKLAB_PG_BINDIR names one explicitly.
    """
    return find_postgres_bindir()


class Postgres(ManagedProcess):
    """A PostgreSQL server of its own: `start()`/`stop()` or a `with` block; `.url`.

    port: default a free one. settings: extra server settings, e.g. {"fsync": "off"}.
    database: the database created at start, named in `.url`.
    """

    what = "PostgreSQL"
    start_timeout = 60.0

    def __init__(self, port=None, *, database="tasklab", settings=None, bindir=None):
        self.bindir = Path(bindir) if bindir else find_bindir()
        if self.bindir is None:
            raise PostgresNotInstalled(
                "PostgreSQL is not installed (no initdb/postgres found on PATH or in "
                f"{', '.join(BINDIR_PATTERNS)}). Install it with: {INSTALL}"
            )
        _check_identifier(database)
        self.port = port or free_port()
        self.database = database
        self.settings = {"listen_addresses": "127.0.0.1", **(settings or {})}
        self.folder = None
        super().__init__(["postgres"], log_dir() / f"postgres-{self.port}.log")

    # -- what callers use ------------------------------------------------------------------
    @property
    def url(self):
        return self.url_for(self.database)

    @property
    def socket_url(self):
        """The same database over the server's Unix-domain socket (in its folder) instead of TCP."""
        from urllib.parse import quote

        return f"postgresql://postgres@{quote(str(self.folder), safe='')}:{self.port}/{self.database}"

    def url_for(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def dir(self):
        """The temporary folder of this server: its data, socket and nothing else."""
        return self.folder

    @property
    def data_dir(self):
        return self.folder / "data" if self.folder else None

    def create_database(self, name):
        """Create an empty database on this server and return its URL."""
        from psycopg import sql

        _check_identifier(name)
        with self.connect("postgres") as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def manage(self, *args, database=None, timeout=120, env=None):
        """Run `python manage.py ARGS` on one of this server's databases; returns its output.

        What `TASKLAB_DATABASE_URL=<url> python manage.py ARGS` does in a terminal: a separate
        process, with the sandbox's settings pointed at this server (and `env`'s other
        TASKLAB_ settings). Raises TasklabError, with the command's output, when it exits
        with an error.
        """
        env = {**os.environ, **(env or {}), "TASKLAB_DATABASE_URL": self.url_for(database or self.database)}
        env.pop("TASKLAB_QUEUE_DATABASE_URL", None)  # one database: this one
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a notebook's reason, not a command's
        done = subprocess.run(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=SANDBOX_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0:
            raise TasklabError(
                f"`python manage.py {' '.join(map(str, args))}` on {self.describe()} exited with "
                f"code {done.returncode}:\n{output.rstrip()}"
            )
        return output

    def connect(self, database=None):
        """A psycopg connection (autocommit) to one of this server's databases."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=database or self.database,
            autocommit=True,
            connect_timeout=10,
        )

    def end_sessions(self, database=None, *, just_committed=False, timeout=10.0):
        """End the server process behind each client session on a database; returns how many.

        What a restart of the server does to a kept connection, and what an administrator
        does in psql: `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ...`.
        It returns once those processes have gone. With `just_committed`, it waits until a
        session's last statement is a COMMIT that ended under a tenth of a second ago, and
        ends it then: after a poll that found nothing, db_worker sleeps for `--interval`, so
        for a worker polling every second or so the drop lands between two polls.
        """
        moment = (
            " AND state = 'idle' AND query = 'COMMIT'"
            " AND clock_timestamp() - state_change < interval '0.1 seconds'"
        )
        deadline = time.monotonic() + timeout
        with self.connect() as admin:
            while True:
                ended = admin.execute(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    " WHERE datname = %s AND backend_type = 'client backend'"
                    " AND pid <> pg_backend_pid()" + (moment if just_committed else ""),
                    [database or self.database],
                ).fetchall()
                if ended or not just_committed:
                    return len(ended)
                if time.monotonic() > deadline:
                    raise TasklabError(
                        f"No session on {database or self.database!r} committed in {timeout:.0f} s: "
                        "is a worker polling that database?"
                    )
                time.sleep(0.01)

    @property
    def server_pid(self):
        """The postmaster's own pid (`.pid` is its supervisor's), or None when not running."""
        try:
            return int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
        except (TypeError, OSError, IndexError, ValueError):
            return None

    # -- life cycle ----------------------------------------------------------------------
    def start(self):
        if self.running:
            return self
        self.folder = Path(tempfile.mkdtemp(prefix="tasklab-postgres-"))
        try:
            self._initdb()
            super().start()
            self.create_database(self.database)
        except BaseException:
            self.stop()  # also when it never started: the folder must not be left behind
            raise
        return self

    def stop(self, timeout=30.0):
        """Fast shutdown; on a busy machine (make test runs much side by side) it can take
        over 10 s, and a server killed instead would print exit code -9 in a lesson."""
        code = super().stop(timeout)
        if self.folder is not None:  # normally the supervisor has removed it already
            shutil.rmtree(self.folder, ignore_errors=True)
        return code

    def _initdb(self):
        """A new cluster in `folder/data`: a copy of one made earlier by the same initdb, else initdb.

        initdb takes seconds and every lesson and test that uses PostgreSQL starts a new
        server; a copy of a never-started cluster is the same thing, made in a fraction.
        """
        as_postgres = _run_as_postgres_user()
        if as_postgres:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        data = self.folder / "data"
        template = _cluster_template(self.bindir)
        if template.is_dir():
            _copy_tree(template, data)
            return
        command = [
            *as_postgres,
            str(self.bindir / "initdb"),
            "--pgdata",
            str(data),
            *INITDB_OPTIONS,
        ]
        done = subprocess.run(command, cwd=self.folder, capture_output=True, text=True)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise ProcessStartError(
                "PostgreSQL's initdb",
                f"it exited with code {done.returncode}.",
                output,
                " ".join(command),
            )
        _save_template(data, template)

    def argv(self, owner_fd):
        server = [
            *_run_as_postgres_user(),
            str(self.bindir / "postgres"),
            "-D",
            str(self.folder / "data"),
            "-p",
            str(self.port),
            "-k",
            str(self.folder),
        ]
        for name, value in self.settings.items():
            server += ["-c", f"{name}={value}"]
        return [
            sys.executable,
            "-m",
            "tasklab.guarded_program",
            str(owner_fd),
            "--stop-signal=SIGINT",  # PostgreSQL's "fast shutdown"
            f"--remove={self.folder}",
            "--",
            *server,
        ]

    def is_ready(self):
        return self.says_and_listens("database system is ready to accept connections", self.port)

    def describe(self):
        return f"PostgreSQL ({self.bindir / 'postgres'} on 127.0.0.1:{self.port})"

    def __repr__(self):
        state = f"pid {self.pid}, running" if self.running else "stopped"
        return f"<Postgres 127.0.0.1:{self.port} ({state})>"


def _check_identifier(name):
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name or ""):
        raise ValueError(
            f"A database name here is lower-case letters, digits and '_' (not starting with a "
            f"digit, at most 63 characters), not {name!r}."
        )


def _cluster_template(bindir):
    """Where a cluster made by this initdb (same program, same options) is kept for copying."""
    initdb = Path(bindir) / "initdb"
    stat = initdb.stat()
    key = f"{initdb.resolve()} {stat.st_size} {stat.st_mtime_ns} {' '.join(INITDB_OPTIONS)}"
    return TEMPLATES_DIR / f"postgres-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _copy_tree(source, target):
    """`cp -a`: ownership (the `postgres` user's, when run as root) and modes kept."""
    subprocess.run(["cp", "-a", str(source), str(target)], check=True, capture_output=True)


def _save_template(data, template):
    """Keep a copy of a new cluster; when labs race to save one, the first copy stays."""
    TEMPLATES_DIR.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    try:
        _copy_tree(data, partial)
        os.rename(partial, template)
    except OSError:  # another lab saved it first
        pass
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _run_as_postgres_user():
    """initdb and postgres refuse to run as root: as root, run them as the `postgres` user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresNotInstalled(
            "PostgreSQL refuses to run as root, and this machine has no `postgres` user to run "
            f"it as. Run as an ordinary user, or install the server package: {INSTALL}"
        ) from None
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def main():
    """`make postgres`: a server for the sandbox, until Ctrl+C."""
    try:
        pg = Postgres()
    except PostgresNotInstalled as error:
        sys.exit(f"error: {error}")
    with pg:
        pg.manage("migrate", "--verbosity=0")
        print(
            f"PostgreSQL is running on 127.0.0.1:{pg.port}, database {pg.database!r} migrated.\n"
            f"  URL: {pg.url}\n"
            f"  log: {shown(pg.log_path)}\n"
            "Use it from another terminal, e.g.:\n"
            f"  TASKLAB_DATABASE_URL={pg.url} make worker\n"
            f"  TASKLAB_DATABASE_URL={pg.url} make server\n"
            "Its data lives in a temporary folder and is deleted when it stops.\n"
            "Press Ctrl+C to stop it.",
            flush=True,
        )
        # Ctrl+C, or `kill` from elsewhere, stops it cleanly (even where SIGINT was ignored).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            signal.pause()
        except KeyboardInterrupt:
            print("\nStopping PostgreSQL.")


if __name__ == "__main__":
    main()
