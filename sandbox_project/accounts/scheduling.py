"""A django-scheduled-tasks scheduler that claims each tick before it enqueues (lesson 20).

The package's scheduler reads a schedule's row (`ScheduledTaskRunLog`), enqueues when it
is due, then writes the next time: two schedulers that read the row before either wrote
it both enqueue. Here a scheduler first moves the row's next time on with a conditional
UPDATE ("only if it is still the time I read"); the database lets one UPDATE match, so
one scheduler enqueues, and the other, which updated nothing, skips the tick.
"""

from django_scheduled_tasks.base import TaskScheduler
from django_scheduled_tasks.models import ScheduledTaskRunLog


class ClaimingScheduler(TaskScheduler):
    def _process_task(self, schedule, run_log, now):
        due = run_log.next_scheduled_run_time if run_log else None
        if run_log and run_log.enabled and due is not None and due <= now:
            claimed = ScheduledTaskRunLog.objects.filter(pk=run_log.pk, next_scheduled_run_time=due).update(
                next_scheduled_run_time=schedule.get_next_scheduled_time(due, now)
            )
            if not claimed:
                return  # another scheduler claimed this tick
        # A first run (no row yet) and every other case: as the package does it.
        super()._process_task(schedule, run_log, now)
