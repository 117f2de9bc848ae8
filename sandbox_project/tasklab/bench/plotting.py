"""The benchmark's figures as one chart: throughput, pickup latency, and cost as the queue grows."""

from .report import _ok


def plot(queues, title=None, bigtable=None):
    """A matplotlib Figure with one panel per measure that has figures (`bigtable`: the
    figures of `tasklab.bench.bigtable.run`)."""
    import matplotlib.pyplot as plt

    results = list(_ok(queues).values())
    panels = [
        p
        for p, has in (
            ("drain", any(r.get("drain") for r in results)),
            ("latency", any(r.get("latency") for r in results)),
            ("growth", any(r.get("growth") for r in results)),
            ("bigtable", bool(bigtable)),
        )
        if has
    ]
    bars = sum(len(r.get("latency", [])) for r in results) + sum(len(r.get("drain", [])) for r in results) / 3
    height = max(4.2, 1.5 + 0.28 * bars)
    fig, axes = plt.subplots(
        1, max(len(panels), 1), figsize=(5.2 * max(len(panels), 1), height), squeeze=False
    )
    for ax, panel in zip(axes[0], panels):
        DRAW[panel](ax, bigtable if panel == "bigtable" else results)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def _drain(ax, results):
    results = [r for r in results if r.get("drain")]
    workers = sorted({d["workers"] for r in results for d in r["drain"]})
    width = 0.8 / len(workers)
    for i, n in enumerate(workers):
        rates = [next((d["rate"] for d in r["drain"] if d["workers"] == n), 0) for r in results]
        ax.barh(
            [y + i * width for y in range(len(results))],
            rates,
            height=width,
            label=f"{n} worker{'s' if n > 1 else ''}",
        )
    ax.set_yticks(
        [y + width * (len(workers) - 1) / 2 for y in range(len(results))], [r["label"] for r in results]
    )
    ax.invert_yaxis()
    ax.set_xlabel("tasks per second (more is better)")
    ax.set_title("Draining a backlog of no-op tasks")
    ax.legend(fontsize="small")


def _latency(ax, results):
    labels, medians, p95s = [], [], []
    for r in results:
        for lat in r.get("latency", []):
            suffix = "push" if lat["interval"] is None else f"--interval {lat['interval']:g}"
            labels.append(f"{r['label']}\n{suffix}")
            medians.append(lat["median"] * 1000)
            p95s.append(lat["p95"] * 1000)
    ys = range(len(labels))
    ax.barh(ys, p95s, color="#cfd8dc", label="p95")
    ax.barh(ys, medians, color="#1565c0", label="median")
    ax.set_yticks(list(ys), labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds from enqueue to RUNNING (log scale, less is better)")
    ax.set_title("Pickup latency")
    ax.legend(fontsize="small")


def _growth(ax, results):
    for r in results:
        if r.get("growth"):
            ax.plot(
                [g["tasks"] for g in r["growth"]],
                [g["per_task_ms"] for g in r["growth"]],
                marker="o",
                label=r["label"],
            )
    sizes = sorted({g["tasks"] for r in results for g in r.get("growth", [])})
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
    ax.minorticks_off()
    ax.set_ylim(bottom=0)
    ax.set_xlabel("tasks in the queue (log scale)")
    ax.set_ylabel("ms per task, 1 worker")
    ax.set_title("Cost per task as the queue grows")
    ax.legend(fontsize="small")


def _bigtable(ax, figures):
    from .bigtable import states

    for database, result in figures["databases"].items():
        for state, by_rows in states(figures, database).items():
            rows = sorted(by_rows)
            ax.plot(
                [max(n, 1) for n in rows],
                [by_rows[n]["drain"]["per_task_ms"] for n in rows],
                marker="o",
                label=f"{result['label']}, {state}",
            )
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("finished results already in the table (log scale; 0 drawn at 1)")
    ax.set_ylabel("ms per task, 1 worker")
    ax.set_title("A big results table")
    ax.legend(fontsize="x-small")


DRAW = {"drain": _drain, "latency": _latency, "growth": _growth, "bigtable": _bigtable}
