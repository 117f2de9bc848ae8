"""The landscape's checks on the database backends (lesson 25), one test per backend and check.

One PostgreSQL for the module; each backend runs its checks once, in a process of its own.
"""

import pytest

from landscape_expectations import cases

NAMES = ["django-tasks-db", "dj-queue", "steady-queue", "django-tasks-concurrent"]


@pytest.fixture(scope="module")
def cells():
    from tasklab.landscape import matrix

    return matrix.run(NAMES, quick=True, parallel=2)


@pytest.mark.parametrize(("backend", "check", "expected"), cases(NAMES))
def test_cell(cells, backend, check, expected):
    cell = cells[backend][check]
    assert cell.value == expected, f"{backend} {check}: {cell.value} ({cell.detail})"
    assert cell.detail
