"""Lesson 3's tasks: what a task receives after the JSON round trip, and what its context says."""

import tasklab
from accounts.tasks import describe_argument, describe_own_run


def test_called_directly_a_tuple_stays_a_tuple():
    assert describe_argument.call((1, 2)) == {"type": "tuple", "value": (1, 2)}


def test_through_a_worker_a_tuple_arrives_as_a_list(worker):
    result = describe_argument.enqueue((1, 2))
    assert result.args == [[1, 2]]  # already normalised when enqueued

    tasklab.watch(result, timeout=20)

    assert result.return_value == {"type": "list", "value": [1, 2]}


def test_the_context_names_the_result_the_attempt_and_the_worker(worker):
    result = describe_own_run.enqueue()

    tasklab.watch(result, timeout=20)

    assert result.return_value == {"task_id": result.id, "attempt": 1, "worker": worker.worker_id}
