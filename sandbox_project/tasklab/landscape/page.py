"""docs/backends.md, written from a run: the matrix the checks produced and the benchmark's
figures, never typed. `make bench` (a full run) writes it; `python -m tasklab.landscape.page
BENCH_JSON MATRIX_JSON` writes it again from saved results."""

import sys
from pathlib import Path

from ..paths import SANDBOX_DIR
from . import candidates, matrix

PAGE = SANDBOX_DIR.parent / "docs" / "backends.md"


def _table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows])


def _rate(value):
    return f"{value:,.0f}/s"


def _ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def figures_tables(figures):
    """Throughput and pickup latency of every system measured, as markdown tables."""
    results = {n: r for n, r in figures.get("queues", {}).items() if not r.get("error")}
    workers = sorted({d["workers"] for r in results.values() for d in r.get("drain", [])})
    throughput = []
    for r in results.values():
        if "enqueue" not in r:
            continue
        drains = {d["workers"]: d for d in r.get("drain", [])}
        cells = [_rate(drains[n]["rate"]) if n in drains else "-" for n in workers]
        once = all(d["exactly_once"] for d in r.get("drain", []))
        throughput.append([r["label"], _rate(r["enqueue"]["rate"]), *cells, "yes" if once else "no"])
    latency = []
    for r in results.values():
        for lat in r.get("latency", []):
            poll = "push" if lat["interval"] is None else f"polls every {lat['interval']:g} s"
            latency.append([r["label"], poll, _ms(lat["median"]), _ms(lat["p95"])])
    heads = [
        "system",
        "enqueue",
        *[f"drain, {n} worker{'s' if n > 1 else ''}" for n in workers],
        "exactly once",
    ]
    failed = [
        f"- {r['label']}: not measured ({r['error']})"
        for r in figures.get("queues", {}).values()
        if r.get("error")
    ]
    parts = [
        "### Throughput (no-op tasks, tasks per second)",
        _table(heads, throughput),
        "### Pickup latency (enqueue to task start)",
        _table(["system", "worker", "median", "p95"], latency),
    ]
    if failed:
        parts += ["### Not measured", "\n".join(failed)]
    return "\n\n".join(parts)


def render(figures, cells):
    machine = figures.get("machine", {})
    sizes = figures.get("sizes", {})
    kept = [c for c in candidates.kept() if c.name in cells]
    dropped = candidates.dropped()
    lines = [
        "# Choosing a backend: the landscape, measured",
        "",
        "Every `django.tasks` backend we could install, run on the same tasks through the same API "
        "(only settings change), each feature checked by running it, and measured by the same "
        "benchmark. Lesson 25 runs a quick version on your machine. This page is written by "
        "`make bench` from its own run: nothing below is typed.",
        "",
        f"Measured {figures.get('measured_at', '?')} on {machine.get('cpus', '?')} CPU cores "
        f"({machine.get('platform', '?')}, Python {machine.get('python', '?')}); "
        f"{sizes.get('tasks', '?')} tasks per run.",
        "",
        "## The feature matrix",
        "",
        matrix.markdown(cells),
        "",
        "## Why each cell says what it says",
        "",
    ]
    for name, by_check in cells.items():
        lines.append(f'??? note "{name}"')
        for cell in by_check.values():
            lines.append(f"    - **{cell.title}**: {cell.value}. {cell.detail}")
        lines.append("")
    lines += ["## What each backend needs beyond settings", ""]
    lines += [f"- **{c.label}** ({c.family}): {c.needs}." for c in kept]
    lines += ["", "## Dropped", ""]
    lines += [f"- **{c.label}**: {c.dropped}." for c in dropped] or ["Nothing was dropped."]
    lines += ["", "## The figures", "", figures_tables(figures), ""]
    return "\n".join(lines)


def write(figures, cells, path=PAGE):
    path.write_text(render(figures, cells))
    return path


def main(argv):
    import json

    bench_json, matrix_json = map(Path, argv)
    print(write(json.loads(bench_json.read_text()), matrix.load(matrix_json)))


if __name__ == "__main__":
    main(sys.argv[1:])
