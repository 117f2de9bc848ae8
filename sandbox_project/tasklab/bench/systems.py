"""What the queue benchmark compares, and how big each run is.

A *system* is one queue set up one way: django.tasks' database backend on SQLite or
PostgreSQL, with Django's defaults or with the sandbox's tuned settings, and the two
reference peers on Redis, RQ (through django-tasks-rq) and Celery.
"""

from dataclasses import asdict, dataclass, replace

from .landscape import systems as landscape_systems


@dataclass(frozen=True)
class System:
    name: str
    label: str
    kind: str  # "database", "rq" or "celery"
    database: str | None = None  # "sqlite" or "postgresql", for the database backend
    conn_max_age: int | None = None  # TASKLAB_CONN_MAX_AGE
    sqlite_wal: bool = True
    interval: float | None = None  # db_worker --interval, for the database backend
    tuned: bool = False
    listen: bool = False  # db_worker_listen: woken by PostgreSQL's NOTIFY, --interval its longest wait
    settings: tuple = ()  # (TASKLAB_ variable, value) pairs, for the enqueuer and its workers
    worker_settings: tuple = ()  # the same, for the workers only (synchronous_commit)
    socket: bool = False  # PostgreSQL over its Unix-domain socket instead of TCP
    knob: str = ""  # lesson 16's knob table: what this row adds to the one before

    def pickup_intervals(self, sizes):
        """The --interval values its pickup latency is measured at (None: the peers, which push)."""
        if self.kind != "database":
            return (None,)
        if self.knob:  # a knob row is about throughput; its pickup is the tuned row's
            return ()
        return (self.interval,) if self.listen else sizes.intervals

    @property
    def server(self):
        """The server it needs started: "postgresql", "redis" or None (SQLite is a file)."""
        if self.kind == "database":
            return "postgresql" if self.database == "postgresql" else None
        return "redis"

    def env(self, *, workdir, postgres=None, redis=None):
        """The environment of the process that enqueues, and of its workers."""
        env = {"TASKLAB_DATABASE_URL": f"sqlite:///{workdir / (self.name + '.sqlite3')}"}
        if self.kind == "database":
            env["TASKLAB_CONN_MAX_AGE"] = str(self.conn_max_age)
            env["TASKLAB_SQLITE_WAL"] = "1" if self.sqlite_wal else "0"
            env.update(self.settings)
            if self.database == "postgresql":
                env["TASKLAB_DATABASE_URL"] = postgres.socket_url if self.socket else postgres.url
        else:
            env["TASKLAB_REDIS_URL"] = redis.url
        if self.kind == "rq":
            env["DJANGO_SETTINGS_MODULE"] = "taskdemo.settings_rq"
        return env


# What the sandbox's tuned settings are on PostgreSQL, besides CONN_MAX_AGE=60: DEBUG off, as in
# production. Lesson 16 measures the other knobs as opt-ins: prepared statements (no gain beyond
# the noise for a worker's five simple statements, and not behind PgBouncer), a Unix socket (a
# database on another host has none), synchronous_commit=off (a finished task can run again
# after a crash).
PRODUCTION = (("TASKLAB_DEBUG", "0"),)
PREPARED = (("TASKLAB_PG_PREPARED", "1"),)

SYSTEMS = {
    s.name: s
    for s in [
        System(
            "sqlite-defaults",
            "SQLite, defaults",
            "database",
            "sqlite",
            conn_max_age=0,
            sqlite_wal=False,
            interval=1.0,
        ),
        System(
            "sqlite-tuned",
            "SQLite, tuned",
            "database",
            "sqlite",
            conn_max_age=60,
            sqlite_wal=True,
            interval=0.1,
            tuned=True,
        ),
        System(
            "postgres-defaults",
            "PostgreSQL, defaults",
            "database",
            "postgresql",
            conn_max_age=0,
            interval=1.0,
        ),
        System(
            "postgres-tuned",
            "PostgreSQL, tuned",
            "database",
            "postgresql",
            conn_max_age=60,
            interval=0.1,
            tuned=True,
            settings=PRODUCTION,
        ),
        System(
            "postgres-listen",
            "PostgreSQL, tuned + LISTEN/NOTIFY",
            "database",
            "postgresql",
            conn_max_age=60,
            interval=1.0,
            tuned=True,
            listen=True,
            settings=PRODUCTION,
        ),
        System("rq", "RQ on Redis", "rq"),
        System("celery", "Celery on Redis", "celery"),
    ]
}


def _knob(name, label, knob, **changes):
    return System(name, label, "database", "postgresql", interval=0.1, knob=knob, **changes)


# Lesson 16's knobs on PostgreSQL, one at a time: each row adds one to the row above it
# (`make bench ONLY=knobs`), except the pool, an alternative to persistent connections.
KNOB_ROWS = {
    k.name: k
    for k in [
        _knob(
            "knob-none",
            "PostgreSQL, no knob",
            "a new project's settings",
            conn_max_age=0,
        ),
        _knob(
            "knob-pool",
            "  or a connection pool",
            "OPTIONS={'pool': True} instead of CONN_MAX_AGE",
            conn_max_age=0,
            settings=(("TASKLAB_PG_POOL", "1"),),
        ),
        _knob(
            "knob-conn",
            "+ persistent connections",
            "CONN_MAX_AGE=60",
            conn_max_age=60,
        ),
        _knob(
            "knob-debug",
            "+ DEBUG = False (tuned)",
            "DEBUG=False, as in production: Django stops recording each query",
            conn_max_age=60,
            settings=PRODUCTION,
        ),
        _knob(
            "knob-prepared",
            "+ prepared statements",
            "OPTIONS={'server_side_binding': True, 'prepare_threshold': 5}",
            conn_max_age=60,
            settings=(*PRODUCTION, *PREPARED),
        ),
        _knob(
            "knob-socket",
            "+ a Unix-domain socket",
            "HOST = the server's socket folder, not 127.0.0.1",
            conn_max_age=60,
            settings=(*PRODUCTION, *PREPARED),
            socket=True,
        ),
        _knob(
            "knob-async-commit",
            "+ synchronous_commit=off (worker)",
            "OPTIONS={'options': '-c synchronous_commit=off'} in the worker only",
            conn_max_age=60,
            settings=(*PRODUCTION, *PREPARED),
            socket=True,
            worker_settings=(("TASKLAB_PG_SYNCHRONOUS_COMMIT", "off"),),
        ),
    ]
}
SYSTEMS.update(KNOB_ROWS)

# Where a task's time goes (tasklab.bench.costs): a new project's settings, the tuned ones with
# and without synchronous_commit, the LISTEN/NOTIFY worker (idle), and Celery.
COST_SYSTEMS = ("knob-none", "postgres-tuned", "knob-async-commit", "postgres-listen", "celery")

# Every kept backend of the landscape (lesson 25), measured the same way: `make bench ONLY=landscape`.
SYSTEMS.update(landscape_systems())

# What "defaults" and "tuned" mean, for the tables and the lessons.
TUNING = {
    "defaults": "CONN_MAX_AGE=0 (a new connection per task), SQLite's default journal, db_worker --interval 1",
    "tuned": "CONN_MAX_AGE=60 (persistent connections), SQLite in WAL mode, db_worker --interval 0.1; "
    "on PostgreSQL also DEBUG=False, as in production",
    "listen": "tuned, but db_worker_listen --interval 1: woken by a NOTIFY trigger on the task table",
}


@dataclass(frozen=True)
class Sizes:
    tasks: int  # tasks per enqueue and drain run
    workers: tuple  # worker counts to drain with
    latency_samples: int
    intervals: tuple  # db_worker --interval values for the pickup latency
    growth: tuple  # queue sizes for the cost-per-task runs
    # Drain runs per worker count, the fastest kept: a busy machine (make test runs much side
    # by side) can only slow a run down, so the best of a few is the system's own pace.
    repeats: int = 1
    breakdown: int = 1000  # tasks one worker drains while its costs are counted (tasklab.bench.costs)
    idle_seconds: float = 10.0  # how long an idle worker's polling is counted
    idle_intervals: tuple = (1.0, 0.1, 0.01)

    def as_dict(self):
        return asdict(self)

    def with_tasks(self, tasks):
        """The same sizes with `tasks` per run, and the growth runs scaled alike."""
        growth = tuple(max(1, round(n * tasks / self.tasks)) for n in self.growth)
        breakdown = max(1, round(self.breakdown * tasks / self.tasks))
        return replace(self, tasks=tasks, growth=growth, breakdown=breakdown)


FULL = Sizes(
    tasks=1000, workers=(1, 2, 4), latency_samples=20, intervals=(1.0, 0.1), growth=(500, 2000, 8000)
)
QUICK = Sizes(
    tasks=150,
    workers=(1, 2),
    latency_samples=4,
    intervals=(1.0, 0.1),
    growth=(50, 100, 200),
    breakdown=200,
    idle_seconds=3.0,
)
