"""A task with a side effect that must happen once per key, however often the task runs.

The chaos soak (`python -m tasklab.chaos`, lesson 11) enqueues it by the thousand while it
kills workers: a task killed mid-run is re-enqueued and runs again, so only its guard keeps
the effect from being applied twice. Its effect is a `SideEffect` row (think: charging a
card); its guard is an `EffectKey` row with a unique key, inserted in the same transaction.
"""

import time

from django.db import transaction
from django.tasks import task

from .models import EffectKey, SideEffect
from .retries import retry_later
from .tasks import ServiceUnavailable


@task(takes_context=True)
def apply_effect(context, key, seconds=0.0, failures=0, attempt=1, max_attempts=3):
    """Apply the effect for `key` unless some run already did, halfway through `seconds` of work.

    The first `failures` attempts fail with `ServiceUnavailable` and retry with backoff
    (`accounts.retries`, lesson 11) until `max_attempts`. Returns whether this run applied it.
    """
    time.sleep(seconds / 2)  # work before the effect: a kill here leaves nothing done
    if attempt <= failures:
        if attempt < max_attempts:
            retry_later(
                apply_effect, attempt, key=key, seconds=seconds, failures=failures, max_attempts=max_attempts
            )
        raise ServiceUnavailable(f"{key}: service unavailable (attempt {attempt} of {max_attempts})")
    result = context.task_result
    with transaction.atomic():
        _, applied = EffectKey.objects.get_or_create(key=key)
        if applied:
            SideEffect.objects.create(key=key, task_id=result.id, worker_id=result.worker_ids[-1])
    time.sleep(seconds / 2)  # work after it (a receipt, say): a kill here leaves it done
    return applied
