"""`tasklab.watch`: transitions from the results' own timestamps, summaries, timeline, timeouts."""

import pytest

import tasklab
from accounts.tasks import add, failing_task, slow_task


def test_many_tasks_are_followed_to_the_end(worker):
    results = [add.enqueue(i, i) for i in range(5)] + [failing_task.enqueue()]

    watched = tasklab.watch(results, timeout=30)

    assert watched.finished
    assert watched.summary() == (
        "5 x add: READY -> RUNNING -> SUCCESSFUL\n1 x failing_task: READY -> RUNNING -> FAILED"
    )
    assert watched.counts() == {"SUCCESSFUL": 5, "FAILED": 1}


def test_transitions_carry_their_times_in_order(worker):
    result = slow_task.enqueue(0.3)

    [steps] = tasklab.watch(result, timeout=20).transitions().values()

    assert [s.status for s in steps] == ["READY", "RUNNING", "SUCCESSFUL"]
    assert steps[0].at <= steps[1].at <= steps[2].at
    assert (steps[2].at - steps[1].at).total_seconds() >= 0.3


def test_rows_say_who_ran_each_task_and_for_how_long(worker):
    result = slow_task.enqueue(0.2)

    [row] = tasklab.watch(result, timeout=20).rows()

    assert row["worker"] == worker.worker_id
    assert row["status"] == "SUCCESSFUL"
    assert row["ran"] >= 0.2 and row["waited"] >= 0


def test_the_timeline_has_a_row_per_worker(transactional_db):
    with tasklab.Worker() as w1, tasklab.Worker() as w2:
        results = [slow_task.enqueue(0.2) for _ in range(4)]
        watched = tasklab.watch(results, timeout=30)

    figure = watched.timeline()

    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert labels == ["enqueued", *sorted({w1.worker_id, w2.worker_id})]
    assert len(figure.axes[0].patches) == 4


def test_a_timeout_explains_what_is_stuck(transactional_db):
    result = add.enqueue(1, 1)

    with pytest.raises(tasklab.TasksNotFinished) as caught:
        tasklab.watch(result, timeout=0.3)

    message = str(caught.value)
    assert "1 of 1 tasks not finished after 0.3 s" in message
    assert "tasklab.Worker(queues=['default'])" in message
    assert caught.value.watch.results == [result]


def test_the_timeline_can_name_each_bar(worker):
    from accounts.tasks import record

    results = [record.enqueue(name) for name in ("first", "second")]
    figure = tasklab.watch(results, timeout=20).timeline(label=lambda r: r.return_value)

    assert sorted(text.get_text() for text in figure.axes[0].texts) == ["first", "second"]


def test_a_long_table_shows_a_few_rows_and_counts_the_rest(transactional_db):
    """The site shows stored live tables: 30 tasks must not make 30 rows."""
    from tasklab.watch import SHOWN_ROWS, Watch

    results = [add.enqueue(n, n) for n in range(30)]
    html = Watch(results)._repr_html_()

    assert html.count("<tr><td>add</td>") == SHOWN_ROWS
    assert f"... and {30 - SHOWN_ROWS} more" in html
    assert "{'READY': 30}" in html
    assert "more" not in Watch(results[:SHOWN_ROWS])._repr_html_()
