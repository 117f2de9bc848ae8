"""Exceptions that teach: each says what went wrong and what to do next."""


class TasklabError(Exception):
    """Base class of the toolkit's errors."""


class ProcessStartError(TasklabError):
    """A worker or server exited (or hung) before it was ready; carries its own message."""

    def __init__(self, what, reason, log_tail, log_path):
        self.what = what
        self.reason = reason
        self.log_tail = log_tail
        self.log_path = log_path
        super().__init__(
            f"{what} could not start: {reason}\n--- last lines of its log ({log_path}) ---\n{log_tail}"
        )


class UnknownQueue(TasklabError):
    """A worker was asked for a queue that the backend does not declare in QUEUES."""


class DuplicateWorker(TasklabError):
    """A worker was started under the id of a worker that is still running."""


class TasksNotFinished(TasklabError):
    """`watch()` timed out; says which tasks are stuck and the likely reason."""

    def __init__(self, message, watch):
        self.watch = watch
        super().__init__(message)


class StatusNotReached(TasklabError):
    """`wait_for()` timed out before the task reached the status it waited for."""


class MissingProgram(TasklabError):
    """A system program a lesson needs (redis-server, PostgreSQL) is not installed."""
