"""A timeline of many tasks: one row per worker, one bar per task, time on the x axis."""

COLOURS = {"SUCCESSFUL": "#2e7d32", "FAILED": "#c62828", "RUNNING": "#f9a825"}


def plot_timeline(results, title=None, label=None):
    """label: optional function of a result giving the text to write on its bar."""
    import matplotlib.pyplot as plt

    started = [r for r in results if r.started_at]
    workers = sorted({r.worker_ids[-1] for r in started})
    t0 = min(r.enqueued_at for r in results)

    def seconds(moment):
        return (moment - t0).total_seconds()

    span = max(seconds(r.finished_at or r.started_at) for r in started) if started else 1
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.5 * (len(workers) + 1)))
    for result in started:
        row = workers.index(result.worker_ids[-1]) + 1
        end = result.finished_at or result.started_at
        ax.barh(
            row,
            max(seconds(end) - seconds(result.started_at), 0.005),
            left=seconds(result.started_at),
            color=COLOURS.get(result.status.name, "grey"),
            edgecolor="white",
        )
        if label:
            _label_bar(ax, row, seconds(result.started_at), seconds(end), span, label(result))
    ax.plot([seconds(r.enqueued_at) for r in results], [0] * len(results), "|", color="black")
    ax.set_yticks(range(len(workers) + 1), ["enqueued", *workers])
    ax.invert_yaxis()
    ax.set_xlabel("seconds since the first task was enqueued")
    ax.set_title(title or f"{len(results)} tasks, {len(workers)} worker(s)")
    fig.tight_layout()
    plt.close(fig)
    return fig


def _label_bar(ax, row, start, end, span, text):
    """Write the text inside a wide bar; beside a narrow one, where it can be read."""
    if end - start > 0.1 * span:
        ax.text((start + end) / 2, row, text, ha="center", va="center", fontsize=8, color="white")
    else:
        ax.text(end + 0.01 * span, row, text, ha="left", va="center", fontsize=8, color="black")
