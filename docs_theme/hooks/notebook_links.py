"""Make a lesson's links to the site's pages work on the site as they do in JupyterLab.

A notebook links a page by its file, relative to the notebook: `../docs/changes.md` from
`notebooks/`, `../../docs/changes.md` from `notebooks/exercises/`. JupyterLab (and GitHub)
open that file. On the site the same page lives at another address (`changes/`), and
mkdocs-jupyter leaves notebook links as they are, so this hook rewrites them. A link to a
page that does not exist is a warning, which fails `mkdocs build --strict` (`make test-docs`).
"""

import logging
import re

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.notebook_links")
DOCS_LINK = re.compile(r'href="(?:\.\./)+docs/([\w./-]+\.md)(#[\w-]*)?"')


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html

    def to_site(match):
        target = files.get_file_from_path(match[1])
        if target is None:
            log.warning("%s links to docs/%s, which is not a page of the site", page.file.src_uri, match[1])
            return match[0]
        return f'href="{get_relative_url(target.url, page.url)}{match[2] or ""}"'

    return DOCS_LINK.sub(to_site, html)
