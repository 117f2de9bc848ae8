"""Lesson 1's experiment: one signup, with the slow welcome email sent inline or enqueued.

Both endpoints create the user exactly as `/register/` does; they differ only in when the
email goes out, so timing them shows what moving work to a worker saves the user.
"""

from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from .forms import RegistrationForm
from .tasks import send_welcome_email_slowly


def _create_user(request):
    """The new user, or a response that says what to fix (405 for a GET, 400 for bad fields)."""
    if request.method != "POST":
        answer = HttpResponseNotAllowed(["POST"], content_type="text/plain")
        answer.content = b"Send a POST request with username, email and password to sign up."
        return None, answer
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                return form.save(), None
        except IntegrityError:  # two requests raced for the same username
            form.add_error("username", "A user with that username already exists.")
    problems = "\n".join(
        f"{field}: {message}" for field, messages in form.errors.items() for message in messages
    )
    return None, HttpResponse(problems, status=400, content_type="text/plain")


@csrf_exempt  # called with plain HTTP requests (curl, or Python in the lesson): no CSRF token
def signup_inline(request):
    """The email is sent inside the request: the user waits for the mail server."""
    user, problem = _create_user(request)
    if problem:
        return problem
    send_welcome_email_slowly.call(user_email=user.email, username=user.username)
    return HttpResponse(f"Welcome, {user.username}! Your welcome email has been sent.")


@csrf_exempt
def signup_queued(request):
    """The email is enqueued: a worker sends it after the response has gone."""
    user, problem = _create_user(request)
    if problem:
        return problem
    # The user's row is committed above (autocommit), so a worker can always find it.
    result = send_welcome_email_slowly.enqueue(user_email=user.email, username=user.username)
    return HttpResponse(f"Welcome, {user.username}! Your welcome email is on its way. Task ID: {result.id}")
