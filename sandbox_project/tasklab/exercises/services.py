"""The pretend outside world that the exercises' tasks talk to: uploaded avatars, a slow
contacts service, a flaky exchange-rate service, a rate-limited geocoder and a daily report
that goes to the whole team.

State lives in files of the current lab (found through `TASKLAB_LOG_DIR`, which a worker
inherits), or for the reports in the lab's database, because the task runs in a worker process
and the checker in the kernel.
"""

import json
import os
import time

from ..paths import log_dir


class ServiceUnavailable(ConnectionError):
    """What the flaky exchange-rate service raises while it is down."""


def lab_dir():
    return log_dir().parent


# -- avatars (exercises 2 and 3) ----------------------------------------------------------


def avatar_path(username):
    """Where the avatar a user uploaded is kept."""
    return lab_dir() / "media" / "avatars" / f"{username}.png"


def thumbnail_path(username):
    """Where a user's thumbnail belongs."""
    return lab_dir() / "media" / "thumbnails" / f"{username}.png"


def preview_path(username):
    """Where a user's grey preview belongs."""
    return lab_dir() / "media" / "previews" / f"{username}.png"


def upload_avatar(username, size=(640, 480)):
    """Pretend `username` uploaded a photo of `size` pixels; returns its path."""
    from PIL import Image

    path = avatar_path(username)
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((200, 60, 40), (width // 4, height // 4, 3 * width // 4, 3 * height // 4))
    image.save(path)
    return path


# -- contacts (exercise 4) ----------------------------------------------------------------

CONTACT_SECONDS = 0.25
HOLD_SECONDS = 30  # the longest a held first contact waits for the check (which never takes so long)


def _contacts_hold():
    return lab_dir() / "contacts-hold"


def _contacts_reached():
    return lab_dir() / "contacts-reached"


def hold_first_contact():
    """Make the next `create_contact()` wait until `release_contacts()`: the check reads the
    progress a task reported before its first contact, however slow the machine is."""
    _contacts_reached().unlink(missing_ok=True)
    _contacts_hold().touch()


def first_contact_reached():
    """True once a task has called `create_contact()` while it was held."""
    return _contacts_reached().exists()


def release_contacts():
    _contacts_hold().unlink(missing_ok=True)


def create_contact(email):
    """Create a user for `email`, as slowly as a remote API would (a quarter of a second)."""
    from django.contrib.auth.models import User

    if _contacts_hold().exists():
        _contacts_reached().touch()
        deadline = time.monotonic() + HOLD_SECONDS
        while _contacts_hold().exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    time.sleep(CONTACT_SECONDS)
    return User.objects.create_user(username=email.split("@")[0], email=email).pk


# -- exchange rates (exercise 7) ----------------------------------------------------------

RATES = {"EUR": 0.92, "GBP": 0.79, "JPY": 151.3}


def _rates_state():
    return lab_dir() / "rates-service.json"


def rates_service_down_for(calls):
    """Make the next `calls` calls fail (a large number: down for good); forget past calls."""
    _rates_state().write_text(json.dumps({"failures_left": calls, "calls": 0}))


def rates_service_calls():
    return json.loads(_rates_state().read_text())["calls"] if _rates_state().exists() else 0


def fetch_rate(currency):
    """The rate of `currency` to the dollar; raises ServiceUnavailable while the service is down."""
    state = (
        json.loads(_rates_state().read_text())
        if _rates_state().exists()
        else {"failures_left": 0, "calls": 0}
    )
    state["calls"] += 1
    failing = state["failures_left"] > 0
    state["failures_left"] -= failing
    _rates_state().write_text(json.dumps(state))
    if failing:
        raise ServiceUnavailable("rates.example.com did not answer (the service is down)")
    return RATES[currency]


# -- a geocoder with a rate limit (exercise 11) -------------------------------------------

GEOCODE_SECONDS = 0.05


def _geocoder_record():
    return lab_dir() / "geocoder-calls.txt"


def forget_geocoder_calls():
    _geocoder_record().unlink(missing_ok=True)


def geocode(address):
    """Where `address` is, as [latitude, longitude]. The geocoder allows only so many calls per
    second: each call appends "<unix time> <pid> <address>" to the lab's record, so the checker
    counts the calls per second, whichever worker made them. (One short line per append is
    atomic, even from many processes.)"""
    with _geocoder_record().open("a") as record:
        record.write(f"{time.time():.6f} {os.getpid()} {address}\n")
    time.sleep(GEOCODE_SECONDS)
    return [51.5 + len(address) / 1000, -0.12]


def geocoder_calls():
    """Every call so far, oldest first: [(unix time, pid, address)]."""
    if not _geocoder_record().exists():
        return []
    rows = [line.split(" ", 2) for line in _geocoder_record().read_text().splitlines()]
    return sorted((float(at), int(pid), address) for at, pid, address in rows)


# -- the daily report (exercise 9) --------------------------------------------------------

REPORT_SECONDS = 1.0


def send_report(day):
    """Send the report of `day` to the whole team, as slowly as a big query and a mail would
    (a second). Each call is one more report in everyone's inbox: a `reports.SentReport` row."""
    from reports.models import SentReport

    time.sleep(REPORT_SECONDS)
    SentReport.objects.create(day=day, pid=os.getpid())


def reports_sent(day):
    """How many times the report of `day` went out."""
    from reports.models import SentReport

    return SentReport.objects.filter(day=day).count()
