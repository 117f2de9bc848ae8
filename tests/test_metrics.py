"""Lesson 21's task metrics: counters kept by signal receivers, served at /metrics.

The `taskmetrics` app is installed only by `taskdemo.settings_monitoring`; here each test adds
it to this session's settings and migrates its table, then takes both away again.
"""

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import resolve
from prometheus_client.parser import text_string_to_metric_families

import tasklab
from accounts.tasks import add, failing_task, slow_task

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def metrics_app(transactional_db):
    """The session's settings plus `taskmetrics` (and django-tasks-monitor, as lesson 21 has)."""
    from django.conf import settings

    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tasks_monitor", "taskmetrics"]):
        call_command("migrate", verbosity=0)
        from taskmetrics import receivers

        yield receivers
        call_command("migrate", "taskmetrics", "zero", verbosity=0)
        call_command("migrate", "tasks_monitor", "zero", verbosity=0)
    # The receivers stay connected after the app is gone: disconnect them for later tests.
    from django.tasks.signals import task_enqueued, task_finished, task_started

    task_enqueued.disconnect(dispatch_uid="taskmetrics-enqueued")
    task_started.disconnect(dispatch_uid="taskmetrics-started")
    task_finished.disconnect(dispatch_uid="taskmetrics-finished")
    task_enqueued.disconnect(dispatch_uid="tasks_monitor_enqueued")
    task_started.disconnect(dispatch_uid="tasks_monitor_started")
    task_finished.disconnect(dispatch_uid="tasks_monitor_finished")


def counters():
    from taskmetrics.models import TaskCounter

    return {(c.task_path.rsplit(".", 1)[1], c.event): c.count for c in TaskCounter.objects.all()}


def scrape():
    """What a Prometheus server reads at /metrics: {(name, labels): value}, and the content type."""
    from taskmetrics.exposition import metrics

    response = metrics(RequestFactory().get("/metrics"))
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[sample.name, tuple(sorted(sample.labels.items()))] = sample.value
    return samples, response["Content-Type"]


def test_each_signal_adds_one_to_its_counter(metrics_app):
    with override_settings(TASKS=IMMEDIATE):  # all three signals in this process
        add.enqueue(2, 3)
        add.enqueue(4, 5)
        failing_task.enqueue("disk full")
    assert counters() == {
        ("add", "ENQUEUED"): 2,
        ("add", "STARTED"): 2,
        ("add", "SUCCESSFUL"): 2,
        ("failing_task", "ENQUEUED"): 1,
        ("failing_task", "STARTED"): 1,
        ("failing_task", "FAILED"): 1,
    }


def test_a_finished_run_adds_its_run_time(metrics_app):
    from taskmetrics.models import TaskCounter

    with override_settings(TASKS=IMMEDIATE):
        slow_task.enqueue(0.2)
    assert TaskCounter.objects.get(event="SUCCESSFUL").seconds >= 0.2
    assert TaskCounter.objects.get(event="STARTED").seconds == 0.0


def test_a_receiver_that_cannot_count_logs_it_and_the_task_still_succeeds(metrics_app, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("database gone")

    monkeypatch.setattr(metrics_app, "count", broken)
    with override_settings(TASKS=IMMEDIATE):
        result = add.enqueue(2, 3)
    assert result.status == "SUCCESSFUL" and result.return_value == 5
    assert "Could not count STARTED for task id=" in caplog.text
    assert "RuntimeError: database gone" in caplog.text


def test_the_metrics_page_is_prometheus_text_with_counters_run_time_and_the_queue(metrics_app):
    with override_settings(TASKS=IMMEDIATE):
        add.enqueue(2, 3)
        failing_task.enqueue("disk full")
        slow_task.enqueue(0.1)
    slow_task.enqueue(5)  # the database backend: stays READY, no worker here

    samples, content_type = scrape()
    assert content_type.startswith("text/plain; version=")
    task = "accounts.tasks.add"
    assert samples["django_tasks_enqueued_total", (("task", task),)] == 1
    assert samples["django_tasks_started_total", (("task", task),)] == 1
    assert samples["django_tasks_finished_total", (("status", "SUCCESSFUL"), ("task", task))] == 1
    failing = "accounts.tasks.failing_task"
    assert samples["django_tasks_finished_total", (("status", "FAILED"), ("task", failing))] == 1
    slow = (("task", "accounts.tasks.slow_task"),)
    assert samples["django_tasks_run_seconds_count", slow] == 1
    assert samples["django_tasks_run_seconds_sum", slow] >= 0.1
    assert samples["django_tasks_enqueued_total", slow] == 2  # the READY one too
    assert samples["django_tasks_unfinished", (("queue", "default"), ("status", "READY"))] == 1


def test_the_monitoring_urls_serve_metrics_and_the_dashboard():
    match = resolve("/metrics", urlconf="taskdemo.urls_monitoring")
    assert match.func.__module__ == "taskmetrics.exposition"
    assert resolve("/jobs/", urlconf="taskdemo.urls_monitoring").url_name == "jobs"


def test_a_worker_with_the_monitoring_settings_counts_what_it_runs(metrics_app):
    """The started and finished counts come from the worker's own receivers, in its process."""
    results = [add.enqueue(2, 3), failing_task.enqueue("disk full")]
    with tasklab.Worker(env={"DJANGO_SETTINGS_MODULE": "taskdemo.settings_monitoring"}):
        tasklab.watch(results, live=False)
    assert counters() == {
        ("add", "ENQUEUED"): 1,
        ("add", "STARTED"): 1,
        ("add", "SUCCESSFUL"): 1,
        ("failing_task", "ENQUEUED"): 1,
        ("failing_task", "STARTED"): 1,
        ("failing_task", "FAILED"): 1,
    }


def test_a_worker_without_them_counts_nothing(metrics_app):
    result = add.enqueue(2, 3)
    with tasklab.Worker():  # taskdemo.settings: no taskmetrics app, no receivers
        tasklab.watch(result, live=False)
    assert counters() == {("add", "ENQUEUED"): 1}


def test_count_creates_the_row_once_then_adds_to_it(metrics_app):
    from taskmetrics.models import TaskCounter

    for seconds in (0.5, 0.25):
        metrics_app.count("accounts.tasks.add", "SUCCESSFUL", seconds)
    counter = TaskCounter.objects.get()
    assert (counter.count, counter.seconds) == (2, 0.75)


def test_the_monitoring_settings_make_sqlite_take_the_write_lock_first():
    from taskdemo import settings, settings_monitoring

    assert settings_monitoring.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "transaction_mode" not in settings.DATABASES["default"]["OPTIONS"]
