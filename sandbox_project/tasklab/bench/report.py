"""The benchmark's figures as text: tables to print, and conclusions that hold on any machine.

Every number is printed with its unit in one of a few shapes ("148/s", "60 ms", "2.8x"), in
columns of a fixed width, so that the sanitiser's patterns for them (tests/nbval_sanitize.cfg)
let a lesson's stored output compare equal although the figures differ from run to run.
"""

from .systems import SYSTEMS, TUNING


def rate(value):
    return f"{value:,.0f}/s"


def duration(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def ratio(value):
    return f"{value:.1f}x"


# Columns of figures are at least this wide, so that a table keeps its layout from one run
# to the next ("52/s" and "148/s" take the same room) and a lesson's output compares equal.
FIGURE_WIDTH = 15


def table(title, headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    widths = [widths[0], *(max(w, FIGURE_WIDTH) for w in widths[1:])]
    lines = [
        title,
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))),
    ]
    for row in rows:
        lines.append(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))
            )
        )
    return "\n".join(lines)


def _ok(results):
    return {name: r for name, r in results.items() if not r.get("error")}


def _drain(result, workers):
    return next((d for d in result.get("drain", []) if d["workers"] == workers), None)


def _latency(result, interval):
    return next((r for r in result.get("latency", []) if r["interval"] == interval), None)


def throughput_table(results):
    results = _ok(results)
    workers = sorted({d["workers"] for r in results.values() for d in r.get("drain", [])})
    rows = []
    for r in results.values():
        if "enqueue" not in r:
            continue
        cells = [rate(r["enqueue"]["rate"])]
        for n in workers:
            d = _drain(r, n)
            cells.append(rate(d["rate"]) if d else "-")
        rows.append([r["label"], f"{r['enqueue']['tasks']:,}", *cells])
    headers = ["system", "tasks", "enqueue", *[f"{n} worker{'s' if n > 1 else ''}" for n in workers]]
    return (
        table(
            "Throughput: no-op tasks enqueued from one process, then drained (tasks per second)",
            headers,
            rows,
        )
        if rows
        else ""
    )


def latency_table(results):
    rows = []
    measured = {lat["interval"] for r in _ok(results).values() for lat in r.get("latency", [])}
    intervals = sorted(measured - {None}, reverse=True) + ([None] if None in measured else [])
    for r in _ok(results).values():
        if not r.get("latency"):
            continue
        cells = []
        for interval in intervals:
            lat = _latency(r, interval)
            cells.append(f"{duration(lat['median'])} / {duration(lat['p95'])}" if lat else "-")
        rows.append([r["label"], *cells])
    headers = ["system", *[f"--interval {i:g}" if i is not None else "no polling (push)" for i in intervals]]
    return table("Pickup latency, enqueue -> RUNNING (median / p95)", headers, rows) if rows else ""


def growth_table(results):
    rows, sizes = [], []
    for r in _ok(results).values():
        if r.get("growth"):
            sizes = [g["tasks"] for g in r["growth"]]
            rows.append([r["label"], *[f"{g['per_task_ms']:.1f} ms" for g in r["growth"]]])
    headers = ["system", *[f"{n:,} tasks" for n in sizes]]
    return table("How cost grows: drain time per task with 1 worker", headers, rows) if rows else ""


def tuning_table(results):
    results = _ok(results)
    rows = []
    for database, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        before, after = results.get(f"{database}-defaults"), results.get(f"{database}-tuned")
        if not (before and after):
            continue
        for n in sorted({d["workers"] for d in before.get("drain", [])}):
            b, a = _drain(before, n), _drain(after, n)
            if b and a:
                rows.append(
                    [
                        f"{label}, {n} worker{'s' if n > 1 else ''}",
                        rate(b["rate"]),
                        rate(a["rate"]),
                        ratio(a["rate"] / b["rate"]),
                    ]
                )
        b = _latency(before, SYSTEMS[before["system"]].interval)
        a = _latency(after, SYSTEMS[after["system"]].interval)
        if b and a:
            rows.append(
                [
                    f"{label}, pickup (median)",
                    duration(b["median"]),
                    duration(a["median"]),
                    ratio(b["median"] / a["median"]),
                ]
            )
    legend = f"\n  defaults: {TUNING['defaults']}\n  tuned:    {TUNING['tuned']}"
    return (
        table(
            "Tuning the database backend: defaults -> tuned" + legend,
            ["measure", "defaults", "tuned", "gain"],
            rows,
        )
        if rows
        else ""
    )


def knob_table(results):
    """Lesson 16's knobs, each row adding one to the row above, against Celery at the same counts."""
    results = _ok(results)
    knobs = [r for r in results.values() if SYSTEMS[r["system"]].knob and r.get("drain")]
    if not knobs:
        return ""
    workers = sorted({d["workers"] for r in knobs for d in r.get("drain", [])})
    first, celery = knobs[0], results.get("celery")
    rows = []
    for r in knobs:
        cells = []
        for n in workers:
            d, base = _drain(r, n), _drain(first, n)
            cells.append(f"{rate(d['rate'])} {ratio(d['rate'] / base['rate'])}" if d and base else "-")
        rows.append([r["label"], *cells])
    if celery:
        rows.append(
            [
                celery["label"] + " (pool of N)",
                *[f"{rate(d['rate'])}" if (d := _drain(celery, n)) else "-" for n in workers],
            ]
        )
    legend = "".join(f"\n  {r['label'].strip()}: {SYSTEMS[r['system']].knob}" for r in knobs)
    return table(
        "PostgreSQL's knobs, one at a time (tasks per second, and the gain over the first row)" + legend,
        ["knob", *[f"{n} worker{'s' if n > 1 else ''}" for n in workers]],
        rows,
    )


def tutorial_table(tutorial):
    rows = [
        [s["step"], duration(s["seconds"]), "ok" if s["exit_code"] == 0 else f"exit code {s['exit_code']}"]
        for s in tutorial.get("steps", [])
    ]
    rows += [
        [
            f"  phase {p['phase']}",
            duration(p["seconds"]),
            f"machine CPU busy {p['cpu_seconds']:.0f} s" if p.get("cpu_seconds") is not None else "",
        ]
        for p in tutorial.get("phases", [])
    ]
    rows += [[f"  {n['notebook']}", duration(n["seconds"]), ""] for n in tutorial.get("notebooks", [])]
    rows += [
        [f"  {t['test']}", duration(t["seconds"]), "a slowest test"]
        for t in tutorial.get("slowest_tests", [])
    ]
    return table("The tutorial's own speed", ["step", "time", ""], rows) if rows else ""


def bigtable_table(bigtable):
    from . import bigtable as big

    return big.table(bigtable) if bigtable else ""


def errors(results):
    return "\n".join(
        f"{r['label']}: FAILED, {r['error']} (log: {r.get('log')})"
        for r in results.values()
        if r.get("error")
    )


def tables(figures):
    """Every table there are figures for, as one text."""
    from . import costs

    queues = figures.get("queues", {})
    # make bench keeps the costs apart; bench.measure(..., measures=["idle"]) returns them as queues
    counted = _ok(
        {**figures.get("costs", {}), **{n: r for n, r in queues.items() if "breakdown" in r or "idle" in r}}
    )
    parts = [
        throughput_table(queues),
        knob_table(queues),
        costs.breakdown_table(counted, table),
        costs.idle_table(counted, table),
        latency_table(queues),
        growth_table(queues),
        tuning_table(queues),
        bigtable_table(figures.get("bigtable")),
        tutorial_table(figures.get("tutorial", {})),
        errors(queues),
        errors(figures.get("costs", {})),
    ]
    return "\n\n".join(p for p in parts if p)


def compare(a, b):
    """'much faster', 'about as fast' or 'much slower': a wide band, so that it holds on any machine."""
    if a > 1.5 * b:
        return "much faster than"
    if b > 1.5 * a:
        return "much slower than"
    return "about as fast as"


def pace(a, b):
    """'faster', 'about as fast' or 'slower': for peers whose gap the tuned settings narrowed, a
    band of a quarter, still wide enough for one busy run."""
    if a > 1.25 * b:
        return "faster than"
    if b > 1.25 * a:
        return "slower than"
    return "about as fast as"


def conclusions(figures):
    """What the figures show, in words that do not change from one machine or run to the next."""
    results = _ok(figures.get("queues", {}))
    said = []
    for database, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        for kind in ("defaults", "tuned"):
            r = results.get(f"{database}-{kind}")
            one, two = (r and _drain(r, 1)), (r and _drain(r, 2))
            # Only the tuned SQLite, where the single writer is the limit: with a new connection
            # per task and the rollback journal, noise from the rest of the machine can dominate.
            if one and two and database == "sqlite" and kind == "tuned":
                much = "much" if two["rate"] > 1.5 * one["rate"] else "not much"
                said.append(f"{label} ({kind}): 2 workers are {much} faster than 1 worker")
        before, after = results.get(f"{database}-defaults"), results.get(f"{database}-tuned")
        if database == "postgres" and before and after and _drain(before, 1) and _drain(after, 1):
            faster = "faster" if _drain(after, 1)["rate"] > 1.2 * _drain(before, 1)["rate"] else "not faster"
            said.append(
                f"{label}, 1 worker: persistent connections (CONN_MAX_AGE=60) are {faster} "
                "than a new connection per task"
            )
    none, tuned = results.get("knob-none"), results.get("knob-debug")
    if none and tuned and _drain(none, 1) and _drain(tuned, 1):
        # Usually 3-5x; a band of 1.5x holds when the rest of the machine is busy too.
        much = "much" if _drain(tuned, 1)["rate"] >= 1.5 * _drain(none, 1)["rate"] else "not much"
        said.append(f"PostgreSQL, 1 worker: the tuned settings drain {much} faster than a new project's")
    base = results.get("postgres-tuned")
    for peer in ("rq", "celery"):
        r = results.get(peer)
        if base and r and _drain(base, 1) and _drain(r, 1):
            said.append(
                f"{r['label']}, 1 worker: {pace(_drain(r, 1)['rate'], _drain(base, 1)['rate'])} "
                "the database backend on PostgreSQL (tuned)"
            )
    for r in results.values():
        for lat in r.get("latency", []):
            if lat["interval"] is None:
                band = "under 100 ms" if lat["median"] < 0.1 else "100 ms or more"
                said.append(f"{r['label']}: median pickup {band}, with no polling")
            elif SYSTEMS[r["system"]].listen:
                # The target for a worker woken by NOTIFY, whatever its fallback interval.
                band = "under 15 ms" if lat["median"] < 0.015 else "15 ms or more"
                said.append(f"{r['label']}, --interval {lat['interval']:g}: median pickup {band}")
            elif lat["interval"] >= 0.5:
                band = (
                    "between a fifth of the interval and the interval"
                    if 0.2 * lat["interval"] <= lat["median"] <= lat["interval"]
                    else "outside that band"
                )
                said.append(f"{r['label']}, --interval {lat['interval']:g}: median pickup {band}")
            else:
                band = "under 200 ms" if lat["median"] < 0.2 else "200 ms or more"
                said.append(f"{r['label']}, --interval {lat['interval']:g}: median pickup {band}")
        if r.get("drain"):
            once = all(d["exactly_once"] for d in [*r["drain"], *r.get("growth", [])])
            said.append(f"{r['label']}: every task ran exactly once: {once}")
    if figures.get("bigtable"):
        from . import bigtable

        said += bigtable.conclusions(figures["bigtable"])
    from .landscape import conclusions as landscape_conclusions

    return said + landscape_conclusions(results)
