"""`manage.py tasks_health`: a check for monitoring (cron, a load balancer, Nagios...).

Prints the queue's state and exits 1 (a CommandError) when a task waited or ran too
long, so that whatever runs it can alert.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from accounts.health import queue_health


class Command(BaseCommand):
    help = "Check that tasks are picked up and finish in time; exit 1 if not."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-wait",
            type=float,
            default=60,
            help="Seconds a due READY task may wait for a worker (default: %(default)s).",
        )
        parser.add_argument(
            "--max-running",
            type=float,
            default=600,
            help="Seconds a task may stay RUNNING: more than your slowest task (default: %(default)s).",
        )

    def handle(self, *, max_wait, max_running, **options):
        if max_wait <= 0 or max_running <= 0:
            raise CommandError("--max-wait and --max-running are seconds, and must be more than 0.")
        health = queue_health(
            max_wait=timedelta(seconds=max_wait), max_running=timedelta(seconds=max_running)
        )
        self.stdout.write(f"READY (due): {health.ready}, oldest waiting {_age(health.oldest_wait)}")
        self.stdout.write(f"RUNNING: {health.running}, longest running {_age(health.longest_run)}")
        if health.healthy:
            self.stdout.write("OK")
            return
        raise CommandError("Unhealthy task queue. " + " ".join(health.problems))


def _age(delta):
    return "-" if delta is None else f"{delta.total_seconds():.1f} s"
