"""Exercise 3: put image work on the `images` queue, and start a worker dedicated to it."""

from django.contrib.auth.models import User

from accounts.tasks import add

from ...errors import TasksNotFinished
from ...watch import watch
from ...worker import Worker
from ..feedback import NotYet, Steps, call
from ..running import TIMEOUT, require_success, require_task
from ..services import upload_avatar

QUEUE_HINT = Steps(
    lesson="lesson 3 (`@task` and its options): a task's queue is one of them; lesson 9 goes further.",
    closer="the `@task` decorator takes the queue's name as an argument, `queue_name`; change only the decorator, "
    "then run the `%%module previews` cell again.",
    answer='`@task(queue_name="images")` on the line above `def make_preview`, then run the cell again.',
)
WORKER_HINT = Steps(
    lesson="lesson 6 (the queue pitfall), and lesson 9 (dedicated workers per queue).",
    closer="`tasklab.Worker` takes the queues to serve as a list, `queues=[...]`: give it the images queue, "
    "and nothing else.",
    answer='`return tasklab.Worker(queues=["images"])`.',
)


def _check_worker(worker):
    if not isinstance(worker, Worker):
        raise NotYet(f"images_worker() returned {worker!r}, not a tasklab.Worker", WORKER_HINT)
    if "images" not in worker.queues and "*" not in worker.queues:
        raise NotYet(
            f"your worker serves {worker.queues}, so make_preview would wait on `images` forever, "
            "and nothing would tell you",
            WORKER_HINT,
        )
    if worker.queues != ["images"]:
        raise NotYet(
            f"your worker serves {worker.queues}: a burst of slow image work would then hold up the "
            "tasks of the other queues, such as the emails",
            WORKER_HINT,
        )


def check(make_preview, images_worker):
    require_task(make_preview, "make_preview", "previews")
    if make_preview.queue_name != "images":
        raise NotYet(f"make_preview goes to the queue `{make_preview.queue_name}`, not `images`", QUEUE_HINT)
    worker = call(images_worker, what="images_worker()", hint=WORKER_HINT)
    _check_worker(worker)

    User.objects.filter(username="alan").delete()
    upload_avatar("alan")
    user = User.objects.create_user(username="alan", email="alan@example.com")
    preview = make_preview.enqueue(user.pk)
    other = add.enqueue(2, 3)  # on `default`: not for this worker
    with worker:
        try:
            watch(preview, timeout=TIMEOUT, live=False)
        except TasksNotFinished:
            raise NotYet(
                f"your images worker did not run make_preview within {TIMEOUT} s", WORKER_HINT
            ) from None
    require_success(
        preview, "make_preview", "the task itself was given: did you change more than the decorator?"
    )
    other.refresh()
    if other.status.name != "READY":
        raise NotYet("your images worker also ran a task of the `default` queue", WORKER_HINT)
    return (
        "make_preview went to the `images` queue, and your dedicated worker ran it, "
        "leaving the `default` queue's task to the other workers."
    )
