"""The site's menu is built from notebooks/ alone: a new lesson needs no edit anywhere.

These build a small copy of the site (the real mkdocs.yml, docs/ and docs_theme/) around
made-up notebooks, so they can add lessons, exercises and solutions freely.
"""

import json
import shutil

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from site_builder import REPO, build_site, run_strict_build


def write_notebook(path, title, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = new_notebook(
        cells=[
            new_markdown_cell(f"# {title}\n\n**Time:** about 10 minutes.\n\n{text}"),
            new_code_cell("print('hello')"),
        ]
    )
    nbformat.write(notebook, path)


@pytest.fixture
def project(tmp_path):
    """A copy of the site's sources whose notebooks/ the test fills itself."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copytree(REPO / "docs_theme", tmp_path / "docs_theme")
    (tmp_path / "notebooks").mkdir()
    return tmp_path


def home_page(site):
    return BeautifulSoup((site / "index.html").read_text(), "html.parser")


def menu(site):
    return [a["href"] for a in home_page(site).select(".md-nav--primary a.md-nav__link[href]")]


def sections(site):
    labels = home_page(site).select(".md-nav--primary .md-nav__item--section > label")
    return [" ".join(label.get_text().split()) for label in labels]


def test_lessons_and_exercises_join_the_menu_in_order_and_solutions_stay_out(project):
    notebooks = project / "notebooks"
    write_notebook(notebooks / "10-later.ipynb", "10. Later", "Tenth.")
    write_notebook(notebooks / "02-second.ipynb", "2. Second", "Second.")
    write_notebook(notebooks / "exercises" / "01-try.ipynb", "Exercise 1", "Try it.")
    write_notebook(notebooks / "solutions" / "01-try.ipynb", "Solution 1", "Zanzibarsecret.")
    write_notebook(notebooks / "exercises" / "solutions" / "01-try.ipynb", "Solution", "Zanzibarsecret.")

    site = build_site(project / "mkdocs.yml", project / "site")

    lessons = [href for href in menu(site) if href.startswith("lessons/")]
    assert lessons == ["lessons/02-second/", "lessons/10-later/", "lessons/exercises/01-try/"]
    assert sections(site) == ["Lessons", "Exercises"]
    assert not [p for p in site.rglob("*") if "solutions" in p.parts]
    assert "zanzibarsecret" not in (site / "search" / "search_index.json").read_text().lower()
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith("lessons/10-later/") for doc in index["docs"])


def test_a_notebook_outside_the_lesson_pattern_fails_the_build(project):
    write_notebook(project / "notebooks" / "06-ok.ipynb", "6. Fine", "Fine.")
    write_notebook(project / "notebooks" / "scratch.ipynb", "Scratch", "Misnamed lesson.")

    done = run_strict_build(project / "mkdocs.yml", project / "site")

    assert done.returncode != 0
    assert "lessons/scratch.ipynb" in done.stderr
