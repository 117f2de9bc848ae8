"""Registration and task status for curl: bad input answers 400/404, never 500."""

import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.tasks import default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.views.decorators.csrf import csrf_exempt

from .forms import RegistrationForm
from .tasks import send_welcome_email

# django-tasks-rq (lesson 17) is built on the `django_tasks` backport, whose exceptions are
# classes of their own: `except TaskResultDoesNotExist` alone would let RQ's answer through
# as a 500. Catch both, so that the view works whichever backend the settings choose.
try:
    from django_tasks.exceptions import TaskResultDoesNotExist as BackportTaskResultDoesNotExist
except ImportError:  # no backport installed: only django.tasks' own exceptions can come
    TASK_NOT_FOUND = (TaskResultDoesNotExist,)
else:
    TASK_NOT_FOUND = (TaskResultDoesNotExist, BackportTaskResultDoesNotExist)

# The two shapes of task id: the database backend's UUIDs, and the 32 random letters and
# digits of ImmediateBackend, DummyBackend and RQ (Django's get_random_string(32)).
TASK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9]{32}")

DUPLICATE_USERNAME = "Username already exists. Please choose another."


def _form_errors_as_text(form):
    """One line per problem, naming the field, e.g. 'email: Enter a valid email address.'"""
    if any(e.code == "unique" for e in form.errors.as_data().get("username", [])):
        return DUPLICATE_USERNAME
    return "\n".join(f"{field}: {message}" for field, messages in form.errors.items() for message in messages)


# Exempt from CSRF so that curl can call it; a form in a browser keeps CSRF on (lesson 8).
@csrf_exempt
def register(request):
    if request.method != "POST":
        return HttpResponse("Send POST request to register")

    if request.content_type == "application/json":  # request.POST would be empty
        return HttpResponse(
            "Send form fields, not JSON, e.g. curl -d username=alice -d email=alice@example.com "
            "-d password=secret123 http://127.0.0.1:8000/register/",
            status=400,
            content_type="text/plain",
        )
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_form_errors_as_text(form), status=400, content_type="text/plain")

    enqueued = []
    try:
        with transaction.atomic():
            user = form.save()
            # Enqueue only once the user's row is committed: a fast worker must never
            # look for a user that is not in the database yet.
            transaction.on_commit(
                lambda: enqueued.append(
                    send_welcome_email.enqueue(user_email=user.email, username=user.username)
                )
            )
    except IntegrityError:  # two requests raced for the same username
        return HttpResponse(DUPLICATE_USERNAME, status=400, content_type="text/plain")

    if not enqueued:
        # Still inside an outer transaction (ATOMIC_REQUESTS = True, or a test): on_commit
        # enqueues when that one commits, so there is no task id to show yet.
        return HttpResponse("Registration successful! Your welcome email will be sent shortly.")
    result = enqueued[0]
    print(f"Task ID: {result.id}")
    return HttpResponse(f"Registration successful! Task ID: {result.id}")


def task_status(request, task_id):
    try:
        result = default_task_backend.get_result(task_id)
    except TASK_NOT_FOUND:
        answer = {"error": "Task not found"}
        if not TASK_ID.fullmatch(task_id):
            answer["hint"] = (
                f"{task_id!r} is not a task id: task ids are UUIDs, such as "
                "05131955-6651-40e2-9feb-a9ee0c0cd87b, with the database backend, and 32 letters "
                "and digits with ImmediateBackend, DummyBackend and RQ."
            )
        return JsonResponse(answer, status=404)

    return JsonResponse(
        {
            "id": result.id,
            "status": result.status.name,
            "finished": result.is_finished,
            "attempts": result.attempts,
        }
    )
