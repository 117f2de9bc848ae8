"""Lesson 23's tasks: calls to a rate-limited provider, a chain, and a batch's parts."""

import os
import time
from functools import partial

from django.db import transaction
from django.db.models import F
from django.tasks import task

from .models import Batch, BatchPart, FinalRun
from .provider import call_provider
from .ratelimit import next_second, take_slot

PROVIDER_LIMIT = 5  # calls per second, across all workers
RACE_PAUSE = 0.3  # seconds between a part's write and its read: the gap a race needs

# -- rate limits ---------------------------------------------------------------------------


@task
def ask_provider(n):
    """No limit: each worker calls as fast as it can."""
    return call_provider(f"question {n}")


@task
def ask_provider_limited(n):
    """At most PROVIDER_LIMIT calls per second; over the limit, try again in the next second."""
    if not take_slot("provider", PROVIDER_LIMIT):
        later = ask_provider_limited.using(run_after=next_second()).enqueue(n)
        return f"over the limit: moved to {later.id}"
    return call_provider(f"question {n}")


@task
def ping():
    """A quick task of another kind, waiting in the same queue."""
    return "pong"


# -- a chain ---------------------------------------------------------------------------------


@task
def import_orders(day):
    """Step 1: fetch the day's orders, then enqueue step 2 with them."""
    if day.count("-") != 2:
        raise ValueError(f"{day!r} is not a day such as '2026-12-01'")
    orders = [1999, 2500, 990]  # what a shop's API would answer
    step2 = total_orders.enqueue(day, orders)
    return {"orders": len(orders), "next": step2.id}


@task
def total_orders(day, orders):
    """Step 2: add them up, then enqueue step 3 with the total."""
    step3 = report_total.enqueue(day, sum(orders))
    return {"total": sum(orders), "next": step3.id}


@task
def report_total(day, cents):
    """Step 3, the last: nothing comes after it."""
    return f"{day}: {cents / 100:.2f} in orders"


# -- a batch and its final step ------------------------------------------------------------


def start_batch(part_task, parts, **kwargs):
    """Create a batch of `parts` parts and enqueue one `part_task` per part, once committed."""
    with transaction.atomic():
        batch = Batch.objects.create(parts=parts, remaining=parts)
        BatchPart.objects.bulk_create(BatchPart(batch=batch, number=n) for n in range(1, parts + 1))
        for number in range(1, parts + 1):
            transaction.on_commit(partial(part_task.enqueue, batch.id, number, **kwargs))
    return batch


def do_the_part(number):
    time.sleep(0.1)  # a part's real work: resize one image, import one file...


@task
def naive_part(batch_id, number):
    """Mark this part done, then ask "am I the last?": two parts can both answer yes."""
    do_the_part(number)
    BatchPart.objects.filter(batch_id=batch_id, number=number).update(done=True)
    time.sleep(RACE_PAUSE)
    if not BatchPart.objects.filter(batch_id=batch_id, done=False).exists():
        finish_batch.enqueue(batch_id)


@task
def counted_part(batch_id, number, fail=None):
    """Count this part down; the part that brings the count to zero enqueues the final step."""
    if number == fail:
        raise RuntimeError(f"part {number} could not be done")
    do_the_part(number)
    with transaction.atomic():
        # The UPDATE locks the batch's row until this transaction ends: other parts wait here.
        Batch.objects.filter(id=batch_id).update(remaining=F("remaining") - 1)
        time.sleep(RACE_PAUSE)
        remaining = Batch.objects.values_list("remaining", flat=True).get(id=batch_id)
        if remaining == 0:
            transaction.on_commit(partial(finish_batch.enqueue, batch_id))


@task
def finish_batch(batch_id):
    """The final step, e.g. email "your export is ready": it must run once per batch."""
    FinalRun.objects.create(batch_id=batch_id, pid=os.getpid())
