"""`manage.py enqueue_purge_progress`: what cron runs, once a day, to clean up old progress.

`django.tasks` has no periodic tasks: cron (or a systemd timer) runs this command, which
only enqueues the work; a worker does it, with its result recorded like any task's.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.tasks import purge_stale_progress


class Command(BaseCommand):
    help = "Enqueue purge_stale_progress: delete progress not updated for --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Age in days (default: %(default)s).")

    def handle(self, *, days, **options):
        if days < 1:
            raise CommandError(
                f"--days must be 1 or more, not {days}: 0 would delete the progress of running tasks."
            )
        result = purge_stale_progress.enqueue(days=days)
        self.stdout.write(f"Enqueued purge_stale_progress(days={days}): task {result.id}")
