"""Nav entries may be glob patterns, so that every new lesson appears on the site by itself.

In mkdocs.yml, `- Lessons: lessons/[0-9][0-9]-*.ipynb` becomes one entry per matching page,
in file-name order (the NN- prefix is the reading order), each titled by its notebook's
first heading. A pattern matches only inside its own folder, and a section whose pattern
matches nothing (Exercises, before any exist) is left out. Patterns are matched against
the pages MkDocs will build, so whatever `exclude_docs` hides (the solutions) never gets in.
"""

import fnmatch
import posixpath

GLOB_CHARACTERS = set("*?[")


def on_files(files, config):
    if config["nav"]:
        pages = sorted(page.src_uri for page in files.documentation_pages())
        config["nav"] = _expand(config["nav"], pages)
    return files


def _expand(entries, pages):
    expanded = []
    for entry in entries:
        if isinstance(entry, dict):
            ((title, value),) = entry.items()
            if isinstance(value, list):
                value = _expand(value, pages)
            elif _is_pattern(value):
                value = _matches(value, pages)
            if value != []:
                expanded.append({title: value})
        elif _is_pattern(entry):
            expanded.extend(_matches(entry, pages))
        else:
            expanded.append(entry)
    return expanded


def _is_pattern(value):
    return isinstance(value, str) and not GLOB_CHARACTERS.isdisjoint(value)


def _matches(pattern, pages):
    folder, name = posixpath.split(pattern)
    return [
        page
        for page in pages
        if posixpath.dirname(page) == folder and fnmatch.fnmatchcase(posixpath.basename(page), name)
    ]
