"""The benchmarks run and report sane, parseable figures. Measurements, not tests of speed:
nothing here depends on how fast the machine is."""

import json
import subprocess
import sys

import pytest

from system_packages import postgres_bindir, redis_server_path
from tasklab.bench import report, tutorial
from tasklab.bench.landscape import PREFIX as LANDSCAPE_PREFIX
from tasklab.bench.scenario import steady_rate
from tasklab.bench.systems import COST_SYSTEMS, QUICK, SYSTEMS


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """`python -m tasklab.bench --quick` on every system, with small runs (20 tasks)."""
    redis_server_path(), postgres_bindir()
    output = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tasklab.bench",
            "--quick",
            "--tasks",
            "20",
            "--only",
            "queues",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done, output


def test_every_system_is_measured_without_error(quick_run):
    done, output = quick_run
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads((output / "quick-results.json").read_text())

    assert figures["quick"] is True and figures["sizes"]["tasks"] == 20
    # `--only queues`: the reference systems; the landscape's are measured by their own test.
    assert list(figures["queues"]) == [name for name in SYSTEMS if not name.startswith(LANDSCAPE_PREFIX)]
    for name, result in figures["queues"].items():
        assert "error" not in result, result
        assert result["enqueue"]["tasks"] == 20 and result["enqueue"]["rate"] > 0
        assert [d["workers"] for d in result["drain"]] == list(QUICK.workers)
        for drained in result["drain"] + result.get("growth", []):
            assert drained["exactly_once"] is True, (name, drained)
            assert drained["rate"] > 0 and drained["per_task_ms"] > 0
        intervals = [lat["interval"] for lat in result["latency"]]
        assert intervals == list(SYSTEMS[name].pickup_intervals(QUICK))
        for lat in result["latency"]:
            assert len(lat["all"]) == QUICK.latency_samples
            assert 0 < lat["median"] <= lat["p95"] < 30
        assert ("growth" in result) == (SYSTEMS[name].tuned and not SYSTEMS[name].listen)


def test_the_costs_are_counted_per_task_and_per_idle_second(quick_run):
    """Where a task's time goes (CPU and round trips), and what an idle worker sends."""
    done, output = quick_run
    figures = json.loads((output / "quick-results.json").read_text())
    assert list(figures["costs"]) == list(COST_SYSTEMS)
    for name, result in figures["costs"].items():
        assert "error" not in result, result
        breakdown = result["breakdown"]
        assert breakdown["tasks"] > 0 and breakdown["worker_ms"] > 0 and breakdown["server_ms"] > 0
        if SYSTEMS[name].kind == "database":
            # one claim (a transaction of four statements) and one result per task
            rounded = {k: round(n) for k, n in breakdown["round_trips"].items()}
            claim = {"BEGIN": 1, "COMMIT": 1, "SELECT ... FOR UPDATE SKIP LOCKED": 1}
            assert claim.items() <= rounded.items(), breakdown
        else:
            assert breakdown["round_trips"], breakdown
        idle = result.get("idle", [])
        if SYSTEMS[name].tuned:
            expected = [SYSTEMS[name].interval] if SYSTEMS[name].listen else list(QUICK.idle_intervals)
            assert [i["interval"] for i in idle] == expected
            assert all(i["statements_per_s"] > 0 and "COMMIT" in i["kinds"] for i in idle), idle
        else:
            assert idle == []


def test_the_quick_run_stays_small():
    """The quick sizes, not a timer, keep `make bench QUICK=1` and this module quick."""
    assert QUICK.tasks <= 150 and max(QUICK.workers) <= 2 and QUICK.repeats == 1
    assert QUICK.breakdown <= 200 and QUICK.idle_seconds <= 3 and len(QUICK.idle_intervals) <= 3


def test_the_tables_and_the_chart_are_written(quick_run):
    done, output = quick_run
    for title in [
        "Throughput: no-op tasks enqueued from one process",
        "Pickup latency, enqueue -> RUNNING",
        "How cost grows",
        "Tuning the database backend: defaults -> tuned",
        "PostgreSQL's knobs, one at a time",
        "Where a task's time goes",
        "An idle worker",
        "What the figures show:",
        "every task ran exactly once: True",
    ]:
        assert title in done.stdout
    assert "ran exactly once: False" not in done.stdout
    assert (output / "quick-results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_steady_rate_leaves_out_the_first_tenth():
    # 20 tasks, one every 0.1 s, each taking 0.05 s: the first 2 are left out.
    times = [(n * 0.1, n * 0.1 + 0.05) for n in range(20)]
    figures = steady_rate(times)
    assert figures["seconds"] == pytest.approx(1.95 - 0.2)
    assert figures["rate"] == pytest.approx(18 / 1.75)


def test_conclusions_say_what_holds_and_what_does_not():
    def system(name, rates, medians):
        return {
            "system": name,
            "label": SYSTEMS[name].label,
            "kind": SYSTEMS[name].kind,
            "drain": [{"workers": n, "rate": r, "exactly_once": True} for n, r in rates.items()],
            "latency": [{"interval": i, "median": m, "p95": m} for i, m in medians.items()],
        }

    said = report.conclusions(
        {
            "queues": {
                "sqlite-tuned": system("sqlite-tuned", {1: 136, 2: 110}, {1.0: 0.6, 0.1: 0.06}),
                "postgres-defaults": system("postgres-defaults", {1: 52}, {}),
                "postgres-tuned": system("postgres-tuned", {1: 148}, {1.0: 0.05}),
                "celery": system("celery", {1: 343}, {None: 0.005}),
                "knob-none": system("knob-none", {1: 83}, {}),
                "knob-debug": system("knob-debug", {1: 110}, {}),
            }
        }
    )

    assert "SQLite (tuned): 2 workers are not much faster than 1 worker" in said
    assert (
        "PostgreSQL, 1 worker: persistent connections (CONN_MAX_AGE=60) are faster than a new "
        "connection per task"
    ) in said
    assert (
        "SQLite, tuned, --interval 1: median pickup between a fifth of the interval and the interval" in said
    )
    assert "PostgreSQL, tuned, --interval 1: median pickup outside that band" in said
    assert "Celery on Redis, 1 worker: faster than the database backend on PostgreSQL (tuned)" in said
    # 110/s is less than one and a half times 83/s: the band says so rather than "much faster"
    assert "PostgreSQL, 1 worker: the tuned settings drain not much faster than a new project's" in said


def test_a_listening_worker_is_held_to_15_ms_whatever_its_interval():
    def listening(median):
        latency = [{"interval": 1.0, "median": median, "p95": median}]
        result = {"system": "postgres-listen", "label": SYSTEMS["postgres-listen"].label, "latency": latency}
        return report.conclusions({"queues": {"postgres-listen": result}})

    assert listening(0.008) == ["PostgreSQL, tuned + LISTEN/NOTIFY, --interval 1: median pickup under 15 ms"]
    assert listening(0.02) == ["PostgreSQL, tuned + LISTEN/NOTIFY, --interval 1: median pickup 15 ms or more"]


def test_the_quick_tutorial_run_times_a_real_command():
    figures = tutorial.run(quick=True, echo=None)
    [step] = figures["steps"]
    assert (step["step"], step["exit_code"]) == ("warm make setup", 0)
    assert step["seconds"] > 0


def test_the_chart_has_a_panel_per_measure_and_can_be_drawn_again():
    from tasklab import bench

    result = {
        "label": "SQLite, tuned",
        "kind": "database",
        "drain": [{"workers": 1, "rate": 100.0}],
        "latency": [{"interval": 1.0, "median": 0.5, "p95": 0.9}],
        "growth": [{"tasks": 500, "per_task_ms": 2.0}, {"tasks": 2000, "per_task_ms": 2.1}],
    }
    figures = {"queues": {"sqlite-tuned": result}}

    first, second = bench.chart(figures), bench.chart(figures, title="again")

    assert [ax.get_title() for ax in second.axes] == [
        "Draining a backlog of no-op tasks",
        "Pickup latency",
        "Cost per task as the queue grows",
    ]
    assert len(first.axes) == 3


def test_running_one_half_keeps_the_other_halfs_figures(tmp_path):
    earlier = {
        "quick": True,
        "queues": {"celery": {"label": "Celery on Redis", "kind": "celery", "error": "x"}},
    }
    (tmp_path / "quick-results.json").write_text(json.dumps(earlier))

    done = subprocess.run(
        [sys.executable, "-m", "tasklab.bench", "--quick", "--only", "tutorial", "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    figures = json.loads((tmp_path / "quick-results.json").read_text())
    assert figures["queues"] == earlier["queues"]
    assert [s["step"] for s in figures["tutorial"]["steps"]] == ["warm make setup"]
    assert "Celery on Redis: FAILED, x" in done.stdout
    assert done.returncode == 1  # the earlier figures it kept include a failure, and it says so


def test_the_quick_big_table_run_is_small():
    from tasklab.bench import bigtable

    assert max(bigtable.QUICK.rows) <= 5_000 and bigtable.QUICK.tasks <= 100 and bigtable.QUICK.claims <= 5
    assert bigtable.FULL.rows == (0, 10_000, 100_000, 300_000) and bigtable.FULL.tasks == 1000


def test_the_big_table_measures_every_size_and_state(tmp_path):
    """`python -m tasklab.bench --quick --only bigtable`: every database, size and state."""
    from tasklab.bench import bigtable

    postgres_bindir()
    done = subprocess.run(
        [sys.executable, "-m", "tasklab.bench", "--quick", "--only", "bigtable", "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads((tmp_path / "quick-results.json").read_text())["bigtable"]
    assert figures["sizes"] == bigtable.QUICK.as_dict() | {"rows": list(bigtable.QUICK.rows)}
    for database in bigtable.DATABASES:
        found = bigtable.states(figures, database)
        assert list(found) == list(bigtable.STATES)
        for state, by_rows in found.items():
            expected = [n for n in bigtable.QUICK.rows if n or state in bigtable.RUNS["fixes"]]
            assert sorted(by_rows) == expected, (database, state)
            for measured in by_rows.values():
                assert measured["drain"]["tasks"] == bigtable.QUICK.tasks
                assert measured["drain"]["exactly_once"] is True
                assert measured["claim_ms"] > 0 and measured["plan"]
        assert bigtable.states(figures, database)["claim index"][0]["plan"] == "index tasks_claim_ready_idx"
    assert "A big results table: 50 new tasks drained by 1 worker" in done.stdout
    assert "every task ran exactly once: True" in done.stdout
    assert (tmp_path / "quick-results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_plan_summary_names_the_indexes_and_the_sort():
    from tasklab.bench.bigtable import pages_read, plan_summary

    postgres = """Limit  (cost=16.01..16.03 rows=1 width=452) (actual time=37.626..37.629 rows=1 loops=1)
  Buffers: shared hit=2629 read=1
  ->  LockRows  (cost=16.01..16.03 rows=1 width=452)
        ->  Sort  (cost=16.01..16.02 rows=1 width=452)
              Sort Key: priority DESC, run_after, enqueued_at
              ->  Bitmap Heap Scan on django_tasks_database_dbtaskresult  (cost=11.98..16.00 rows=1 width=452)
                    ->  BitmapAnd  (cost=11.98..11.98 rows=1 width=0)
                          ->  Bitmap Index Scan on django_task_backend_071754_idx  (cost=0.00..5.87 rows=210 width=0)
                          ->  Bitmap Index Scan on django_task_queue_n_99c321_idx  (cost=0.00..5.87 rows=210 width=0)"""
    assert plan_summary(postgres) == (
        "index django_task_backend_071754_idx + django_task_queue_n_99c321_idx, then sorts"
    )
    assert pages_read(postgres) == 2630
    sqlite = "4 0 0 SCAN django_tasks_database_dbtaskresult\n39 0 0 USE TEMP B-TREE FOR ORDER BY"
    assert plan_summary(sqlite) == "reads the whole table, then sorts"
    sqlite = (
        "5 0 0 SEARCH django_tasks_database_dbtaskresult USING INDEX tasks_db_new_ordering_idx (status=?)"
    )
    assert plan_summary(sqlite) == "index tasks_db_new_ordering_idx"
    assert pages_read(sqlite) is None


def test_the_landscape_backends_are_measured_like_the_others(tmp_path):
    """`--only landscape` measures the landscape's backends alone (here two of them, 20 tasks):
    a worker-based one drains with each worker count, an in-process pool once."""
    postgres_bindir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tasklab.bench",
            "--quick",
            "--tasks",
            "20",
            "--only",
            "landscape",
            "--systems",
            "landscape-django-tasks-db,landscape-django-tasks-local",
            "--output",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    queues = json.loads((tmp_path / "quick-results.json").read_text())["queues"]
    assert list(queues) == ["landscape-django-tasks-db", "landscape-django-tasks-local"]
    db, local = queues.values()
    assert [d["workers"] for d in db["drain"]] == list(QUICK.workers)
    assert [d["workers"] for d in local["drain"]] == [1]
    for result in (db, local):
        assert result["enqueue"]["tasks"] == 20
        assert all(d["exactly_once"] and d["tasks"] == 20 for d in result["drain"])
        assert [len(lat["all"]) for lat in result["latency"]] == [QUICK.latency_samples]
    assert "django-tasks-local (in-process pool), 1 worker:" in done.stdout
