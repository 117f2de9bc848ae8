"""The soak on one chart: each worker slot's processes as bars, the faults that ended them,
and the recovery sweeps that found their tasks."""

from .faults import SLOTS

ENDS = {"SIGKILL": ("x", "#c62828"), "SIGTERM": ("v", "#ef6c00")}


def plot_chaos(report, title=None):
    import matplotlib.pyplot as plt

    events = report.events
    slots = [slot for slot in SLOTS if any(e.get("slot") == slot for e in events)]
    end = max((e["t"] for e in events), default=report.seconds)
    fig, ax = plt.subplots(figsize=(9, 1.4 + 0.45 * (len(slots) + 1)))
    for row, slot in enumerate(slots):
        started = None
        for event in (e for e in events if e.get("slot") == slot):
            if event["kind"] == "start":
                started = event["t"]
                continue
            ax.barh(row, event["t"] - started, left=started, color="#90caf9", edgecolor="white")
            if event["kind"] in ENDS:
                marker, colour = ENDS[event["kind"]]
                ax.plot(event["t"], row, marker, color=colour, markersize=9, markeredgewidth=2)
            started = None
        if started is not None:
            ax.barh(row, end - started, left=started, color="#90caf9", edgecolor="white")
    sweeps = [e for e in events if e["kind"] == "sweep"]
    row = len(slots)
    ax.plot([e["t"] for e in sweeps], [row] * len(sweeps), ".", color="grey", markersize=4)
    for sweep in (e for e in sweeps if e["recovered"]):
        ax.plot(sweep["t"], row, "^", color="#2e7d32", markersize=9)
        ax.annotate(
            str(sweep["recovered"]),
            (sweep["t"], row),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    ax.axvline(report.seconds, color="black", linestyle="--", linewidth=1)
    ax.text(report.seconds, -0.7, " load stops", fontsize=8, va="center")
    ax.set_yticks(range(row + 1), [*slots, "recovery sweep"])
    ax.set_ylim(row + 0.8, -1)
    ax.set_xlabel("seconds since the load began (x: SIGKILL, v: SIGTERM, ^: tasks recovered)")
    ax.set_title(
        title
        or f"SIGKILL x {report.sigkills}, SIGTERM x {report.sigterms}, tasks recovered: {report.recovered}"
    )
    fig.tight_layout()
    plt.close(fig)
    return fig
