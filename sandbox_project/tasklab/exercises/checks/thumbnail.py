"""Exercise 2: a thumbnail for a new user. The task gets the user's id, not the user."""

from django.contrib.auth.models import User
from django.tasks import TaskResult

from ..feedback import NotYet, call
from ..running import require_success, require_task, run_in_worker
from ..services import thumbnail_path, upload_avatar

# (username, uploaded size, expected thumbnail size): a landscape and a portrait photo.
USERS = [("ada", (640, 480), (64, 48)), ("grace", (300, 600), (32, 64))]
FIX_HINT = "fix that line, run the `%%module avatars` cell again, then check() again."


def _new_user(username, size):
    User.objects.filter(username=username).delete()
    thumbnail_path(username).unlink(missing_ok=True)
    upload_avatar(username, size)
    return User.objects.create_user(username=username, email=f"{username}@example.com")


def _enqueue_for(welcome_new_user, user):
    try:
        result = welcome_new_user(user)
    except TypeError as error:
        if "Unsupported type" in str(error):
            raise NotYet(
                "enqueue() refused a User object: a task's arguments are stored as JSON, "
                "and a model instance is not JSON",
                "pass the user's id, `make_thumbnail.enqueue(user.pk)`, and load the user inside "
                "the task with `User.objects.get(pk=user_id)`.",
            ) from None
        raise
    if not isinstance(result, TaskResult):
        raise NotYet(
            f"welcome_new_user() returned {result!r}, not the task's result",
            "return what `make_thumbnail.enqueue(...)` returns.",
        )
    return result


def _run_and_verify(result, user, expected):
    run_in_worker([result])
    require_success(result, "make_thumbnail", FIX_HINT, call=f"make_thumbnail for {user.username}")
    _check_thumbnail(user.username, expected)
    if result.return_value != list(expected):
        raise NotYet(
            f"make_thumbnail for {user.username} returned {result.return_value!r}, not the thumbnail's "
            f"size {list(expected)}",
            "return `list(image.size)` after `image.thumbnail(...)`: a list, because results are stored as JSON.",
        )


def check(make_thumbnail, welcome_new_user):
    require_task(make_thumbnail, "make_thumbnail", "avatars")
    (first, first_size, first_expected), (second, second_size, second_expected) = USERS
    # The task first, enqueued by the check; then the learner's own enqueue.
    user = _new_user(first, first_size)
    _run_and_verify(make_thumbnail.enqueue(user.pk), user, first_expected)
    user = _new_user(second, second_size)
    result = call(_enqueue_for, welcome_new_user, user, what="welcome_new_user(user)",
                  hint="it should only enqueue make_thumbnail with the user's id, and return the result.")
    _run_and_verify(result, user, second_expected)
    return (
        "make_thumbnail ran in a real worker, given only each user's id: ada's 640x480 avatar became "
        "a 64x48 thumbnail, and welcome_new_user() got grace's 300x600 one made into a 32x64 thumbnail."
    )


def _check_thumbnail(username, expected):
    from PIL import Image

    path = thumbnail_path(username)
    if not path.exists():
        raise NotYet(
            f"there is no thumbnail for {username} at thumbnail_path({username!r})",
            "save the thumbnail with `image.save(thumbnail_path(user.username))` (create its folder first).",
        )
    with Image.open(path) as image:
        size, kind = image.size, image.format
    if kind != "PNG":
        raise NotYet(f"{username}'s thumbnail is a {kind} file, not a PNG", "save it under its `.png` path.")
    if size != expected:
        squashed = max(size) <= 64 and size[0] == size[1]
        raise NotYet(
            f"{username}'s thumbnail is {size[0]}x{size[1]}, but a {expected[0]}x{expected[1]} one was expected",
            "`image.resize((64, 64))` squashes the picture; `image.thumbnail((64, 64))` shrinks it to fit, "
            "keeping its shape." if squashed else "shrink it with `image.thumbnail((64, 64))`, which keeps its shape.",
        )
