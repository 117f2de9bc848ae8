"""What the matrix says, in sentences built from its cells: the lesson prints them after a run
instead of typing its conclusions."""

# The rows that are part of django.tasks' own API: a backend may support each or refuse it.
CORE = ("priorities", "run_after", "queues", "get_result", "async", "context")
SIGKILL_WORDS = {
    "re-run": "run again",
    "FAILED": "marked FAILED",
    "lost": "lost (nothing stored it outside the killed process)",
}


def _where(cells, check, value):
    return [name for name, by_check in cells.items() if check in by_check and by_check[check].value == value]


def _list(names):
    return ", ".join(names) if names else "none"


def conclusions(cells):
    said = []
    complete = [n for n, c in cells.items() if all(c[k].value == "yes" for k in CORE if k in c)]
    said.append(
        f"All of django.tasks' options (priorities, run_after, queues, get_result, async, context): {_list(complete)}"
    )
    for name, by_check in cells.items():
        missing = [by_check[k].title for k in CORE if k in by_check and by_check[k].value != "yes"]
        if missing:
            said.append(f"{name} lacks: {', '.join(missing)}")
    for check, what in (("retries", "Retries"), ("periodic", "Periodic tasks"), ("unique", "Unique tasks")):
        said.append(
            f"{what}: checked working on {_list(_where(cells, check, 'yes'))}; "
            f"an API of the package's own on {_list(_where(cells, check, 'own API'))}"
        )
    said.append(f"An admin for its tasks: {_list(_where(cells, 'dashboard', 'admin'))}")
    outcomes = {}
    for name, by_check in cells.items():
        if "sigkill" in by_check:
            outcomes.setdefault(by_check["sigkill"].value, []).append(name)
    for value, names in sorted(outcomes.items()):
        words = SIGKILL_WORDS.get(
            value, f"left {value.removeprefix('stuck ')}" if value.startswith("stuck") else value
        )
        said.append(f"A task whose worker was SIGKILLed is {words}: {_list(names)}")
    said.append(f"Exactly once with two workers: {_list(_where(cells, 'exactly_once', 'yes'))}")
    said.append(f"Built on the django_tasks backport: {_list(_where(cells, 'api', 'django_tasks backport'))}")
    silent = [
        n
        for n, c in cells.items()
        if "api" in c and "task_started on django.tasks.signals" not in c["api"].detail
    ]
    said.append(f"Workers that do not send django.tasks' task_started signal: {_list(silent)}")
    return said


def refusals(cells):
    """What each backend refused outright, by raising: the part of the matrix that does not
    depend on timing, so it reads the same on any machine."""
    said = []
    for name, by_check in cells.items():
        refused = [
            f"{c.title} ({c.detail.removeprefix('raises ').split(':')[0]})"
            for c in by_check.values()
            if c.detail.startswith("raises ")
        ]
        said.append(f"{name} refuses: {', '.join(refused) or 'nothing'}")
    return said
