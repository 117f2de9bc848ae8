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

    def pickup_intervals(self, sizes):
        """The --interval values its pickup latency is measured at (None: the peers, which push)."""
        if self.kind != "database":
            return (None,)
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
            if self.database == "postgresql":
                env["TASKLAB_DATABASE_URL"] = postgres.url
        else:
            env["TASKLAB_REDIS_URL"] = redis.url
        if self.kind == "rq":
            env["DJANGO_SETTINGS_MODULE"] = "taskdemo.settings_rq"
        return env


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
        ),
        System("rq", "RQ on Redis", "rq"),
        System("celery", "Celery on Redis", "celery"),
    ]
}

# Every kept backend of the landscape (lesson 25), measured the same way: `make bench ONLY=landscape`.
SYSTEMS.update(landscape_systems())

# What "defaults" and "tuned" mean, for the tables and the lessons.
TUNING = {
    "defaults": "CONN_MAX_AGE=0 (a new connection per task), SQLite's default journal, db_worker --interval 1",
    "tuned": "CONN_MAX_AGE=60 (persistent connections), SQLite in WAL mode, db_worker --interval 0.1",
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

    def as_dict(self):
        return asdict(self)

    def with_tasks(self, tasks):
        """The same sizes with `tasks` per run, and the growth runs scaled alike."""
        growth = tuple(max(1, round(n * tasks / self.tasks)) for n in self.growth)
        return replace(self, tasks=tasks, growth=growth)


FULL = Sizes(
    tasks=1000, workers=(1, 2, 4), latency_samples=20, intervals=(1.0, 0.1), growth=(500, 2000, 8000)
)
QUICK = Sizes(tasks=150, workers=(1, 2), latency_samples=4, intervals=(1.0, 0.1), growth=(50, 100, 200))
