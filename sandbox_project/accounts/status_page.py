"""A page where a visitor starts a long task and watches it live, and the status it polls.

The curl lessons' `/task/<id>/` tells anyone who has an id how that task is doing. Here each
visitor's session keeps the ids of the tasks they started, and both the page and its JSON
answer only for those: another visitor's id, and an id that never existed, get the same
404, so the endpoint reveals nothing about tasks that are not yours.
"""

from django import forms
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.tasks import default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist

from .progress import progress_of
from .tasks import process_then_fail, process_with_progress

SESSION_KEY = "status_page_task_ids"
REMEMBERED = 20  # a session keeps the ids of this many of its latest tasks
STEP_SECONDS = 0.3  # slow enough for a person to watch the bar move
NOT_FOUND = {"error": "Task not found"}


class LongTaskForm(forms.Form):
    steps = forms.IntegerField(
        min_value=1, max_value=50, initial=10, help_text="From 1 to 50; each step takes 0.3 s."
    )
    fail = forms.BooleanField(required=False, label="Make it fail halfway")


def start(request):
    """GET: the form. POST: enqueue the task, remember it for this visitor, show its page."""
    if request.method != "POST":
        return _page(request, form=LongTaskForm())
    form = LongTaskForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)

    steps = form.cleaned_data["steps"]
    if form.cleaned_data["fail"]:
        result = process_then_fail.enqueue(steps=steps, step_seconds=STEP_SECONDS, fail_after=steps // 2)
    else:
        result = process_with_progress.enqueue(steps=steps, step_seconds=STEP_SECONDS)
    _remember(request, result.id)
    return redirect("job", task_id=result.id)


def task_page(request, task_id):
    """The page that follows one of the visitor's tasks (its script polls `task_status`)."""
    result = _own_result(request, task_id)
    if result is None:
        return _page(request, form=LongTaskForm(), not_found=True, status=404)
    return _page(request, form=LongTaskForm(), task=describe(result))


def task_status(request, task_id):
    """The JSON the page polls, for the visitor's own tasks only."""
    result = _own_result(request, task_id)
    if result is None:
        return JsonResponse(NOT_FOUND, status=404)
    return JsonResponse(describe(result))


def describe(result):
    """What the visitor sees: status, percent done (None: unknown) and a plain message.

    A failed task's error and traceback stay in its result for the developers; the
    visitor gets a sentence that says what to do next.
    """
    status = result.status.name
    progress = progress_of(result.id)
    if progress is not None:
        percent = progress.percent
    else:
        percent = {"READY": 0, "SUCCESSFUL": 100, "FAILED": 0}.get(status)
    return {
        "id": str(result.id),
        "status": status,
        "finished": result.is_finished,
        "percent": percent,
        "message": _message(status, progress),
    }


def _message(status, progress):
    steps = f"{progress.done} of {progress.total} steps" if progress else None
    if status == "READY":
        return "Waiting for a worker to start your task."
    if status == "RUNNING":
        return f"Working: {steps} done." if steps else "Working on it."
    if status == "SUCCESSFUL":
        return f"Done: all {progress.total} steps finished." if progress else "Done."
    where = f" after {steps}" if steps else ""
    return f"Sorry, your task failed{where}. Nothing else was affected: you can start it again."


def _remember(request, task_id):
    ids = [*request.session.get(SESSION_KEY, []), str(task_id)]
    request.session[SESSION_KEY] = ids[-REMEMBERED:]


def _own_result(request, task_id):
    """The task's result if this visitor started it, else None (whether it exists or not)."""
    if task_id not in request.session.get(SESSION_KEY, []):
        return None
    try:
        return default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:  # pruned since it was started
        return None


def _page(request, *, status=200, **context):
    return render(request, "accounts/jobs.html", context, status=status)
