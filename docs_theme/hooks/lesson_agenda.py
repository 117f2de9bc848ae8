"""The list of lessons with their timings, built from the lessons themselves.

A page containing `<!-- lesson agenda -->` gets, in its place, a table of every lesson in
the nav's Lessons section: its title (the notebook's first heading), a link to it, and
the time its first cell announces (`**Time:** about 15 minutes.`, see CONTRIBUTING.md),
with the total. A lesson that announces no time is a build warning (an error under
`mkdocs build --strict`), so the agenda cannot silently fall behind the lessons.
"""

import json
import logging
import posixpath
import re

MARKER = "<!-- lesson agenda -->"
SECTION = "Lessons"
HEADING = re.compile(r"^#\s+(.+?)\s*$", re.M)
MINUTES = re.compile(r"\*\*Time:?\*\*:?\s*(?:about\s+|~\s*)?(\d+)\s*min", re.I)

log = logging.getLogger("mkdocs.hooks.lesson_agenda")


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return None
    here = posixpath.dirname(page.file.src_uri)
    rows, total = [], 0
    for path in _lesson_paths(config["nav"]):
        title, minutes = _title_and_minutes(files.get_file_from_path(path).abs_src_path)
        if minutes is None:
            log.warning(
                f"{path}: its first cell announces no time. Add a line such as "
                f"'**Time:** about 15 minutes.' (CONTRIBUTING.md): the lesson agenda needs it."
            )
            continue
        total += minutes
        label = title.replace("|", r"\|")
        rows.append(f"| [{label}]({posixpath.relpath(path, here)}) | {minutes} min |")
    table = "\n".join(["| Lesson | Time |", "|---|---:|", *rows, f"| **Total** | **{_hours(total)}** |"])
    return markdown.replace(MARKER, table)


def _lesson_paths(nav):
    for entry in nav or []:
        if isinstance(entry, dict) and SECTION in entry and isinstance(entry[SECTION], list):
            return entry[SECTION]
    return []


def _title_and_minutes(notebook_path):
    with open(notebook_path, encoding="utf-8") as notebook:
        cells = json.load(notebook)["cells"]
    first = "".join(cells[0]["source"]) if cells else ""
    heading, minutes = HEADING.search(first), MINUTES.search(first)
    title = heading.group(1) if heading else posixpath.basename(notebook_path)
    return title, int(minutes.group(1)) if minutes else None


def _hours(minutes):
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
