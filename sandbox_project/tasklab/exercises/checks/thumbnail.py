"""Exercise 2: a thumbnail for a new user. The task gets the user's id, not the user."""

from django.contrib.auth.models import User
from django.tasks import TaskResult

from ..feedback import NotYet, Steps, call
from ..running import require_success, require_task, run_in_worker
from ..services import thumbnail_path, upload_avatar

# (username, uploaded size, expected thumbnail size): a landscape and a portrait photo.
USERS = [("ada", (640, 480), (64, 48)), ("grace", (300, 600), (32, 64))]
FIX_HINT = "fix that line, run the `%%module avatars` cell again, then check() again."
PASS_THE_ID = Steps(
    lesson="lesson 3 (arguments are stored as JSON: pass ids, not objects); lesson 10 goes further.",
    closer="give the task the user's id, and let the task load the user from the database when it runs.",
    answer="`return make_thumbnail.enqueue(user.pk)` in welcome_new_user(), and `user = User.objects.get(pk=user_id)` "
    "in the task.",
)
RETURN_THE_RESULT = Steps(
    lesson="lesson 3 (`.enqueue()` hands a task to the backend, and returns its result).",
    closer="welcome_new_user() should return what `enqueue()` gives back: a TaskResult, which a page can use "
    "to follow the task.",
    answer="`return make_thumbnail.enqueue(user.pk)`.",
)
RETURN_THE_SIZE = Steps(
    lesson="lesson 3 (arguments go through JSON, and so does what a task returns); lesson 10 shows what changes on the way.",
    closer="return the thumbnail's own size once it is shrunk: Pillow gives it as `image.size`, a tuple "
    "(width, height), which comes back from JSON as a list anyway; return a list.",
    answer="`return list(image.size)` after `image.thumbnail((64, 64))`.",
)
SAVE_IT = Steps(
    lesson="TODO 1 asks for a PNG file at `thumbnail_path(user.username)`, where the check looks for it once the "
    "worker has run the task; lesson 6 shows how to read a worker's log (`worker.print_log()`), if you print there.",
    closer="save the shrunk image at that path, after creating its folder: `Path.mkdir()` takes "
    "`parents=True, exist_ok=True`.",
    answer="`path = thumbnail_path(user.username)`, `path.parent.mkdir(parents=True, exist_ok=True)`, then "
    "`image.save(path)`.",
)
KEEP_THE_SHAPE = Steps(
    lesson="compare the shapes: a 640x480 photo must become 64x48, so that it still looks like the photo (TODO 1).",
    closer="Pillow has two ways to make an image smaller: one sets both sides (and squashes it), the other shrinks "
    "it in place to fit in a box, keeping its shape.",
    answer="`image.thumbnail((64, 64))` (not `image.resize((64, 64))`), then `image.save(path)`.",
)


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
                PASS_THE_ID,
            ) from None
        raise
    if not isinstance(result, TaskResult):
        raise NotYet(
            f"welcome_new_user() returned {result!r}, not the task's result",
            RETURN_THE_RESULT,
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
            RETURN_THE_SIZE,
        )


def check(make_thumbnail, welcome_new_user):
    require_task(make_thumbnail, "make_thumbnail", "avatars")
    (first, first_size, first_expected), (second, second_size, second_expected) = USERS
    # The task first, enqueued by the check; then the learner's own enqueue.
    user = _new_user(first, first_size)
    _run_and_verify(make_thumbnail.enqueue(user.pk), user, first_expected)
    user = _new_user(second, second_size)
    result = call(
        _enqueue_for,
        welcome_new_user,
        user,
        what="welcome_new_user(user)",
        hint="it should only enqueue make_thumbnail with the user's id, and return the result.",
    )
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
            SAVE_IT,
        )
    with Image.open(path) as image:
        size, kind = image.size, image.format
    if kind != "PNG":
        raise NotYet(f"{username}'s thumbnail is a {kind} file, not a PNG", "save it under its `.png` path.")
    if size != expected:
        squashed = max(size) <= 64 and size[0] == size[1]
        raise NotYet(
            f"{username}'s thumbnail is {size[0]}x{size[1]}, but a {expected[0]}x{expected[1]} one was expected"
            + (": it was squashed into a square" if squashed else ""),
            KEEP_THE_SHAPE,
        )
