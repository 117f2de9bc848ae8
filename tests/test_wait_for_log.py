"""Reading a process's log: `wait_for_log()` waits for a line that a process prints just after
an event; `last_words()` finds the exception a crashed process printed."""

import pytest

import tasklab
from accounts.tasks import add
from tasklab import http
from tasklab.processes import ManagedProcess


def test_waits_for_the_request_line_the_server_prints_after_replying(transactional_db):
    with tasklab.Server() as server:
        http.get(f"{server.url}/register/")
        server.wait_for_log('"GET /register/ HTTP/1.1" 200', timeout=10)
        assert server.log_tail(1).endswith('"GET /register/ HTTP/1.1" 200 29')


def test_waits_for_the_workers_last_line_about_a_task(worker):
    result = add.enqueue(1, 2)
    line = f"Task id={result.id} path=accounts.tasks.add state=SUCCESSFUL"

    worker.wait_for_log(line, timeout=20)

    assert worker.log_tail(1) == line


def test_a_line_that_never_comes_times_out_with_the_log_tail(worker):
    with pytest.raises(
        tasklab.TasklabError, match=r"(?s)has not printed 'no such line' after 0.2 s.*Starting worker"
    ):
        worker.wait_for_log("no such line", timeout=0.2)


def test_a_process_that_exited_is_not_waited_for(transactional_db):
    worker = tasklab.Worker(batch=True).start()
    worker.wait(timeout=30)

    with pytest.raises(tasklab.TasklabError, match="exited without printing 'no such line'"):
        worker.wait_for_log("no such line", timeout=30)


def test_last_words_are_the_exception_even_when_its_message_goes_on_over_indented_lines(tmp_path):
    log = tmp_path / "worker.log"
    log.write_text(
        "Traceback (most recent call last):\n"
        '  File "db_worker.py", line 107, in run\n'
        "django.db.utils.OperationalError: server closed the connection unexpectedly\n"
        "\tThis probably means the server terminated abnormally\n"
        "\tbefore or while processing the request.\n\n"
    )
    process = ManagedProcess(["db_worker"], log)

    assert process.last_words() == (
        "django.db.utils.OperationalError: server closed the connection unexpectedly"
    )
    log.write_text("")
    assert process.last_words() == ""
