"""`manage.py run_claiming_scheduler`: `run_task_scheduler`, claiming each tick (lesson 20).

The same options and the same schedules as django-scheduled-tasks' own command; only the
loop differs (`accounts.scheduling.ClaimingScheduler`), so several can run at once.
"""

import signal
import threading
from datetime import timedelta

from django_scheduled_tasks.base import scheduler
from django_scheduled_tasks.management.commands import run_task_scheduler

from accounts.scheduling import ClaimingScheduler


class Command(run_task_scheduler.Command):
    help = "Run a task scheduler that claims each tick, so that several can run at once."

    def handle(self, *, verbosity, interval, **options):
        self.configure_logging(verbosity)
        claiming = ClaimingScheduler()
        claiming.schedules = scheduler.schedules  # what @periodic_task registered
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        run_task_scheduler.logger.info(
            "Starting claiming scheduler with %d registered schedules, interval=%.1fs",
            len(claiming.schedules),
            interval,
        )
        claiming.run_scheduling_loop(stop, timedelta(seconds=interval))
        run_task_scheduler.logger.info("Scheduler stopped.")
