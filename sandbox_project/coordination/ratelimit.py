"""At most `limit` calls per second, counted in the database, so every worker shares the count."""

import time
from datetime import UTC, datetime

from django.db.models import F

from .models import RateWindow


def take_slot(name, limit):
    """Take one of this second's `limit` slots for `name`; False when they are all taken.

    The UPDATE adds one only while `calls < limit`, in a single statement: the database
    applies concurrent UPDATEs of the row one after the other, so no two workers can both
    take the last slot.
    """
    second = int(time.time())
    RateWindow.objects.bulk_create([RateWindow(name=name, second=second)], ignore_conflicts=True)
    taken = RateWindow.objects.filter(name=name, second=second, calls__lt=limit).update(calls=F("calls") + 1)
    # A slot granted as the second ended would reach the provider in the next second.
    return taken == 1 and int(time.time()) == second


def next_second():
    """When the next window opens: an aware datetime, as `.using(run_after=...)` wants."""
    return datetime.fromtimestamp(int(time.time()) + 1, tz=UTC)
