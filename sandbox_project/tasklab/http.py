"""`get()` and `post()`: real HTTP requests to the dev server, each with its curl equivalent.

Tutorials talk to the server with `curl`, which a fresh Debian does not ship. The
lessons send the same requests with the standard library and print the curl command
that does the same, so a learner can paste it into a terminal. Like curl, an answer of
400 or 404 is returned (not raised): the status is part of what the lesson shows.
"""

import json
import shlex
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import TasklabError


@dataclass(frozen=True)
class Reply:
    """What the server answered, and the curl command that asks the same."""

    status: int
    text: str
    content_type: str
    command: str

    def json(self):
        return json.loads(self.text)

    def __str__(self):
        return self.text


def get(url, *, timeout=10):
    """GET `url`; like `curl URL`."""
    return _send(urllib.request.Request(url), f"curl {shlex.quote(url)}", timeout)


def post(url, data, *, timeout=10):
    """POST the form fields `data` (a dict) to `url`; like `curl -X POST URL -d name=value ...`."""
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    return _send(request, curl_post(url, data), timeout)


def curl_post(url, data):
    """The curl command for a form POST, one field per line."""
    lines = [f"curl -X POST {shlex.quote(url)}"]
    for name, value in data.items():
        field = f"{name}={value}"
        # -d sends the text as it is; a value with spaces or symbols needs encoding.
        flag = "-d" if urllib.parse.quote(str(value), safe="@.-_") == str(value) else "--data-urlencode"
        lines.append(f"  {flag} {shlex.quote(field)}")
    return " \\\n".join(lines)


def _send(request, command, timeout):
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _reply(response.status, response, command)
    except urllib.error.HTTPError as answer:  # 4xx/5xx: an answer all the same
        with answer:
            return _reply(answer.code, answer, command)
    except urllib.error.URLError as error:
        raise TasklabError(
            f"Nothing answered at {request.full_url} ({error.reason}). Is the server running? "
            "Start one with `server = tasklab.Server().start()` and use `server.url`."
        ) from None


def _reply(status, response, command):
    charset = response.headers.get_content_charset() or "utf-8"
    return Reply(
        status=status,
        text=response.read().decode(charset, errors="replace"),
        content_type=response.headers.get_content_type(),
        command=command,
    )
