"""The documentation site, built once per session and served on 127.0.0.1 for the browser.

The site is built here with `mkdocs build --strict`, into a temporary folder: the tests
always check the pages that the current notebooks and docs make, never a stale site/.
"""

import fcntl
import functools
import http.server
import threading

import pytest

from site_builder import REPO, build_site


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, worker_id):
    """Built once per run: with pytest-xdist, the first process builds, the others wait for it."""
    if worker_id == "master":
        return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every xdist process
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "site.built").exists():
            build_site(REPO / "mkdocs.yml", shared / "site")
            (shared / "site.built").touch()
    return shared / "site"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site on a free port of 127.0.0.1, stopped at the end of the session."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def site_page(page, site_url):
    """The `page` fixture on the built site, also recording every URL the page requests."""
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.site_url = site_url
    return page
