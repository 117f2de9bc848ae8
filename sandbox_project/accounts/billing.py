"""A task whose side effect must happen exactly once: charging a customer for an order.

The "payment provider" is a ledger file to which each charge appends one line, so that a
lesson can count how many times each order was charged, whichever worker, process or
backend ran it. (Appends of one short line are atomic, even from many processes.)
"""

import os
from collections import Counter
from pathlib import Path

from django.tasks import task


def ledger_path():
    """The ledger of the current lab (its log folder), shared by the notebook and its workers."""
    return Path(os.environ.get("TASKLAB_LOG_DIR", ".")) / "ledger.txt"


@task
def charge_order(order_id, cents):
    with ledger_path().open("a") as ledger:
        ledger.write(f"order {order_id} charged {cents} cents by pid {os.getpid()}\n")
    return cents


def charges():
    """How many times each order was charged: {order_id: times}."""
    try:
        lines = ledger_path().read_text().splitlines()
    except FileNotFoundError:
        return Counter()
    return Counter(int(line.split()[1]) for line in lines)
