"""The counters, and the queue's current state, in Prometheus's text format, at `/metrics`.

prometheus_client writes the format (names, labels, escaping, `# HELP`/`# TYPE` lines); the
collector reads the database at each scrape, so every process's counts are in one answer.
"""

from django.db.models import Count
from django.http import HttpResponse
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily

from .models import TaskCounter

Event = TaskCounter.Event


class TaskMetricsCollector:
    """A prometheus_client collector: builds the metrics from the database when scraped."""

    def collect(self):
        enqueued = CounterMetricFamily("django_tasks_enqueued", "Tasks enqueued.", labels=["task"])
        started = CounterMetricFamily(
            "django_tasks_started", "Task runs started by a worker.", labels=["task"]
        )
        finished = CounterMetricFamily(
            "django_tasks_finished", "Task runs finished, by status.", labels=["task", "status"]
        )
        run_time = SummaryMetricFamily(
            "django_tasks_run_seconds", "Run time of finished task runs.", labels=["task"]
        )
        finished_runs = {}  # task -> [count, seconds] over SUCCESSFUL and FAILED
        for counter in TaskCounter.objects.order_by("task_path", "event"):
            task = counter.task_path
            if counter.event == Event.ENQUEUED:
                enqueued.add_metric([task], counter.count)
            elif counter.event == Event.STARTED:
                started.add_metric([task], counter.count)
            else:
                finished.add_metric([task, counter.event], counter.count)
                runs = finished_runs.setdefault(task, [0, 0.0])
                runs[0] += counter.count
                runs[1] += counter.seconds
        for task, (runs, seconds) in finished_runs.items():
            run_time.add_metric([task], count_value=runs, sum_value=seconds)
        yield from (enqueued, started, finished, run_time)
        yield self.unfinished()

    def unfinished(self):
        """READY and RUNNING results now, per queue: a state, read from the backend's own table."""
        gauge = GaugeMetricFamily(
            "django_tasks_unfinished", "Task results now READY or RUNNING.", labels=["queue", "status"]
        )
        rows = (
            DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
            .values_list("queue_name", "status")
            .annotate(n=Count("id"))
            .order_by("queue_name", "status")
        )
        for queue, status, n in rows:
            gauge.add_metric([queue, status], n)
        return gauge


# A registry of its own: only the task metrics, read fresh at each scrape.
registry = CollectorRegistry()
registry.register(TaskMetricsCollector())


def metrics(request):
    """The page a Prometheus server scrapes, every 15 s or so."""
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
