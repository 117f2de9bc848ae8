"""The feature matrix: the checks of every kept backend, run for real, then printed.

    from tasklab.landscape import matrix
    cells = matrix.run(quick=True)      # {candidate name: {check: Cell}}
    matrix.show(cells)

Each backend runs in a process of its own (`runner.CheckRun`), configured by
`taskdemo.settings_landscape`, against servers started here and stopped at the end.
"""

import json
from concurrent.futures import ThreadPoolExecutor

from ..paths import log_dir
from . import candidates as registry
from .cells import Cell
from .runner import CheckRun
from .servers import Servers


def run_one(servers, candidate, *, quick, checks=()):
    """The cells of one candidate: {check name: Cell}."""
    env = servers.env_for(candidate)
    results = servers.marks_root / f"{env['TASKLAB_LANDSCAPE_MARKS'].rsplit('/', 1)[-1]}.json"
    log_path = log_dir() / f"landscape-checks-{candidate.name}.log"
    run = CheckRun(candidate, env, results, quick=quick, checks=checks, log_path=log_path)
    run.start()
    code = run.wait(timeout=240)
    if code != 0 or not results.exists():
        raise RuntimeError(
            f"The checks of {candidate.label} exited with code {code}. Last lines of {log_path}:\n{run.log_tail()}"
        )
    return {cell["check"]: Cell(**cell) for cell in json.loads(results.read_text())}


def run(names=None, *, quick=True, checks=(), parallel=3):
    """Run the checks of the kept candidates (or those named) and return their cells."""
    chosen = [registry.get(n) for n in names] if names else registry.kept()
    with Servers(chosen) as servers, ThreadPoolExecutor(parallel) as pool:
        futures = {c.name: pool.submit(run_one, servers, c, quick=quick, checks=checks) for c in chosen}
        return {name: future.result() for name, future in futures.items()}


def save(cells, path):
    """Write the cells as JSON: {backend: [cell, ...]}, in the order they were checked."""
    data = {name: [cell.as_dict() for cell in by_check.values()] for name, by_check in cells.items()}
    path.write_text(json.dumps(data, indent=1) + "\n")


def load(path):
    data = json.loads(path.read_text())
    return {name: {cell["check"]: Cell(**cell) for cell in found} for name, found in data.items()}


def rows(cells):
    """The matrix as rows of text: a header, then one row per check."""
    names = list(cells)
    titles = {}
    for by_check in cells.values():
        titles.update({check: cell.title for check, cell in by_check.items()})
    body = [
        [title, *(cells[n][check].value if check in cells[n] else "" for n in names)]
        for check, title in titles.items()
    ]
    return [["check", *names], *body]


def markdown(cells):
    table = rows(cells)
    lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
    lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
    return "\n".join(lines)


def show(cells):
    """Print the matrix: one column per backend, one row per check."""
    table = rows(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip())


def explain(cells, names=None):
    """Print why each cell says what it says, for the backends named (default: all)."""
    for name in names or cells:
        print(f"{name}:")
        for cell in cells[name].values():
            print(f"  {cell.title}: {cell.value} ({cell.detail})")
