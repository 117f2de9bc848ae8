"""The documentation site, checked in headless Chromium the way a learner uses it.

Every page is visited: its title, its code and (for lessons) every cell and stored output
must render, its links must lead somewhere, the browser console must stay clean, and no
request may leave the local server (the site has to work offline, in a workshop room).
Search must find each lesson by a word that only that lesson contains.
"""

import re
import urllib.error
import urllib.request

import nbformat
import pytest
from playwright.sync_api import expect

from site_builder import REPO

DOCS = REPO / "docs"
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
# The same patterns as the nav in mkdocs.yml: NN-name.ipynb lessons, then the exercises.
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXERCISES = sorted(NOTEBOOKS.glob("exercises/*.ipynb"))
MARKDOWN_PAGES = sorted(DOCS.rglob("*.md"))
SITE_NAME = "tasklab"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def url_path(source):
    """Where a source file is published (MkDocs' directory URLs; notebooks/ is lessons/)."""
    if source.suffix == ".ipynb":
        return f"lessons/{source.relative_to(NOTEBOOKS).with_suffix('').as_posix()}/"
    relative = source.relative_to(DOCS).with_suffix("")
    return "" if relative.name == "index" else f"{relative.as_posix()}/"


def page_id(source):
    return source.relative_to(REPO).as_posix()


def squeeze(text):
    return " ".join(text.split())


def first_heading(notebook):
    """The notebook's `# ` heading as the page shows it (without Markdown marks)."""
    match = re.search(r"^#\s+(.+)$", notebook.cells[0].source, re.M)
    return re.sub(r"[`*_]", "", match.group(1)).strip()


def heading_text(page):
    return page.locator(".md-content h1").first.inner_text().replace("¶", "").strip()


def visit(page, path):
    page.console_errors.clear()
    page.requests.clear()
    response = page.goto(page.site_url + path)
    page.wait_for_load_state("networkidle")
    assert response.ok, f"{path}: HTTP {response.status}"


def assert_clean(page, path):
    assert page.console_errors == [], f"{path}: errors in the browser console"
    outside = [url for url in page.requests if not url.startswith(page.site_url)]
    assert outside == [], f"{path}: requests that leave the local server"


_link_status = {}  # each URL is fetched once per session


def assert_links_resolve(page, path):
    """Every link to another page or file of this site answers 200 (fragments aside)."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    broken = []
    for href in sorted({h.split("#")[0] for h in hrefs if h.startswith(page.site_url)}):
        if href not in _link_status:
            try:
                with urllib.request.urlopen(href) as answer:
                    _link_status[href] = answer.status
            except urllib.error.HTTPError as error:
                _link_status[href] = error.code
        if _link_status[href] != 200:
            broken.append(f"{href} ({_link_status[href]})")
    assert broken == [], f"{path}: broken links"


def menu_links(page):
    """The pages of the menu, in order (each page once, without in-page anchors)."""
    hrefs = page.eval_on_selector_all(
        ".md-nav--primary a.md-nav__link[href]", "links => links.map(a => a.href)"
    )
    return list(dict.fromkeys(h for h in hrefs if "#" not in h))


def assert_footer_links(page, path):
    """Previous and next lead to the neighbours in the menu (none before the first page)."""
    menu = menu_links(page)
    here = menu.index(page.site_url + path)
    for direction, neighbour in (("prev", here - 1), ("next", here + 1)):
        link = page.locator(f"a.md-footer__link--{direction}")
        if 0 <= neighbour < len(menu):
            assert link.count() == 1, f"{path}: no {direction} link in the footer"
            assert link.evaluate("a => a.href") == menu[neighbour], (
                f"{path}: the footer's {direction} link does not lead to {menu[neighbour]}"
            )
        else:
            assert link.count() == 0, f"{path}: a {direction} link past the end of the menu"


def test_the_site_publishes_exactly_the_expected_pages(site_dir):
    built = {p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.rglob("index.html")}
    built = {"" if p == "./" else p for p in built}
    expected = {url_path(s) for s in [*MARKDOWN_PAGES, *LESSONS, *EXERCISES]}
    assert built == expected
    solutions = [p for p in site_dir.rglob("*") if "solutions" in p.relative_to(site_dir).parts]
    assert solutions == [], "solutions must never be published"


def test_the_menu_lists_every_lesson_in_order(site_page):
    visit(site_page, "")
    menu = menu_links(site_page)
    published = [site_page.site_url + url_path(s) for s in [*LESSONS, *EXERCISES]]
    assert LESSONS, "no lesson found in notebooks/"
    assert [url for url in menu if url in published] == published
    sections = site_page.locator(".md-nav--primary > .md-nav__list > .md-nav__item--section")
    titles = [squeeze(t) for t in sections.locator(":scope > label").all_inner_texts()]
    assert titles[0] == "Lessons"
    assert ("Exercises" in titles) == bool(EXERCISES)


@pytest.mark.parametrize("source", MARKDOWN_PAGES, ids=page_id)
def test_page_renders(site_page, source):
    path = url_path(source)
    visit(site_page, path)

    heading = heading_text(site_page)
    assert heading, f"{path}: no heading"
    expected_title = SITE_NAME if path == "" else f"{heading} - {SITE_NAME}"
    assert site_page.title() == expected_title

    blocks = site_page.locator(".md-content pre > code")
    copy_buttons = site_page.locator(".md-content pre button[data-md-type=copy]")
    assert copy_buttons.count() == blocks.count(), f"{path}: a code block has no copy button"
    written = len(re.findall(r"^\s*(?:!!!|\?\?\?\+?) ", source.read_text(), re.M))
    shown = site_page.locator(".md-content .admonition, .md-content details").count()
    assert shown == written, f"{path}: {written} admonitions written, {shown} shown"

    assert_footer_links(site_page, path)
    assert_links_resolve(site_page, path)
    assert_clean(site_page, path)


def assert_cell_renders(cell, html_cell, where):
    kind = "jp-CodeCell" if cell.cell_type == "code" else "jp-MarkdownCell"
    assert kind in html_cell.get_attribute("class"), f"{where}: not a {cell.cell_type} cell"
    if cell.cell_type != "code":
        return
    shown = html_cell.locator(".clipboard-copy-txt").text_content()
    assert shown.strip() == cell.source.strip(), f"{where}: the code differs from the notebook"
    assert html_cell.locator("clipboard-copy").count() == 1, f"{where}: no copy button"
    rendered = squeeze(" ".join(html_cell.locator(".jp-OutputArea").all_inner_texts()))
    outputs = html_cell.locator(".jp-OutputArea-output")
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.output_type == "stream":
            expected = output.text
        elif output.output_type == "error":
            expected = output.ename
        elif "text/html" in data:
            html_outputs = html_cell.locator('.jp-OutputArea-output[data-mime-type="text/html"]')
            assert html_outputs.count(), f"{where}: an HTML output is missing"
            continue
        elif "image/png" in data:
            assert outputs.locator("img").count(), f"{where}: an image output is missing"
            continue
        else:
            expected = data.get("text/plain", "")
        for line in ANSI.sub("", expected).splitlines():
            assert squeeze(line) in rendered, f"{where}: output line not shown: {line!r}"
    if cell.get("outputs"):
        assert outputs.first.is_visible(), f"{where}: the outputs are not visible"


@pytest.mark.parametrize("source", [*LESSONS, *EXERCISES], ids=page_id)
def test_lesson_renders_every_cell_and_output(site_page, source):
    path = url_path(source)
    notebook = nbformat.read(source, as_version=4)
    visit(site_page, path)

    assert heading_text(site_page) == first_heading(notebook)
    assert site_page.title() == f"{first_heading(notebook)} - {SITE_NAME}"

    html_cells = site_page.locator(".jp-Notebook > .jp-Cell")
    assert html_cells.count() == len(notebook.cells), f"{path}: cells missing"
    for index, cell in enumerate(notebook.cells):
        assert_cell_renders(cell, html_cells.nth(index), f"{path} cell {index + 1}")
    assert site_page.locator(".jp-OutputArea-output").count() > 0, f"{path}: no outputs at all"

    download = site_page.locator("a[download]").first
    with urllib.request.urlopen(download.evaluate("a => a.href")) as answer:
        assert answer.read() == source.read_bytes(), f"{path}: the download is not the notebook"
    notebook_path = source.relative_to(NOTEBOOKS).as_posix()
    lab_links = site_page.locator(f'a[href="http://127.0.0.1:8888/lab/tree/{notebook_path}"]')
    assert lab_links.count() >= 1, f"{path}: no link into JupyterLab"

    assert_footer_links(site_page, path)
    assert_links_resolve(site_page, path)
    assert_clean(site_page, path)
    if source == LESSONS[0]:
        ARTIFACTS.mkdir(exist_ok=True)
        site_page.screenshot(path=ARTIFACTS / f"docs-{source.stem}.png", full_page=True)


def minutes_of(text):
    """'1 h 05 min' -> 65, '15 min' -> 15."""
    hours = re.search(r"(\d+) h", text)
    return (int(hours.group(1)) * 60 if hours else 0) + int(re.search(r"(\d+) min", text).group(1))


@pytest.mark.parametrize("path", ["", "workshop/"])
def test_the_agenda_lists_every_lesson_with_its_time(site_page, path):
    visit(site_page, path)
    rows = site_page.locator(".md-content table:has(th:text-is('Lesson')) tbody tr")
    assert rows.count() == len(LESSONS) + 1, f"{path}: the agenda does not list every lesson"
    for row, lesson in zip(rows.all(), LESSONS):
        link, time = row.locator("td").all()
        notebook = nbformat.read(lesson, as_version=4)
        assert link.inner_text() == first_heading(notebook)
        assert link.locator("a").evaluate("a => a.href") == site_page.site_url + url_path(lesson)
        announced = re.search(
            rf"Time:?\*\*[^\n]*?\b{minutes_of(time.inner_text())} min", notebook.cells[0].source
        )
        assert announced, f"{lesson.name}: the agenda shows {time.inner_text()!r}"
    total = rows.last.locator("td").last.inner_text()
    assert minutes_of(total) == sum(minutes_of(r.locator("td").last.inner_text()) for r in rows.all()[:-1])
    assert_clean(site_page, path)


def words(text):
    return set(re.findall(r"[a-z]{6,}", text.lower()))


def notebook_text(path):
    """Everything a notebook's page can show: its cells and their text outputs."""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts += [output.get("text", ""), *map(str, output.get("data", {}).values())]
    return " ".join(parts)


def a_word_only_in(lesson):
    """The longest word of the lesson's prose that no other page contains."""
    notebook = nbformat.read(lesson, as_version=4)
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    # Plain prose only: words inside code spans and blocks are tokenised differently by search.
    prose = re.sub(r"```.*?```|`[^`]*`", " ", prose, flags=re.S)
    others = [p.read_text() for p in MARKDOWN_PAGES]
    others += [notebook_text(n) for n in NOTEBOOKS.rglob("*.ipynb") if n != lesson]
    # Every lesson's title is on the home page and the workshop guide (the agenda).
    others += [first_heading(nbformat.read(n, as_version=4)) for n in LESSONS]
    # The search splits CamelCase words ("APScheduler" is "AP" and "Scheduler"): plain words only.
    plain = {word.lower() for word in re.findall(r"\b[A-Za-z][a-z]{5,}\b", prose)}
    unique = plain - words(" ".join(others))
    assert unique, f"{lesson.name} has no word of its own to search for"
    return sorted(unique, key=lambda word: (-len(word), word))[0]


@pytest.mark.parametrize("lesson", LESSONS, ids=page_id)
def test_search_finds_a_lesson_by_a_word_only_it_contains(site_page, lesson):
    word = a_word_only_in(lesson)
    visit(site_page, "")
    search = site_page.locator("input.md-search__input")
    search.click()
    expect(site_page.locator(".md-search-result__meta")).to_have_text("Type to start searching")
    search.press_sequentially(word)
    expect(site_page.locator(".md-search-result__meta")).to_contain_text("matching")
    found = site_page.eval_on_selector_all(
        ".md-search-result__link", "links => links.map(a => a.href.split('?')[0])"
    )
    assert site_page.site_url + url_path(lesson) in found, f"searching {word!r} found {found}"
    assert_clean(site_page, f"search {word!r}")


def test_dark_mode_toggle_sticks_across_pages(site_page):
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    visit(site_page, "")
    assert site_page.evaluate(scheme) == "default"
    site_page.locator("form[data-md-component=palette] label:visible").click()
    assert site_page.evaluate(scheme) == "slate"
    visit(site_page, url_path(LESSONS[0]))
    assert site_page.evaluate(scheme) == "slate"
    assert_clean(site_page, "dark mode")


def test_copy_buttons_copy_the_code(site_page):
    site_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    clipboard = "navigator.clipboard.readText()"

    visit(site_page, "cheatsheet/")
    site_page.locator(".md-content pre button[data-md-type=copy]").first.click()
    first_block = site_page.locator(".md-content pre > code").first.inner_text()
    assert site_page.evaluate(clipboard).strip() == first_block.strip()

    lesson = LESSONS[0]
    first_code = next(c for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "code")
    visit(site_page, url_path(lesson))
    site_page.locator(".jp-Notebook > .jp-CodeCell clipboard-copy").first.click()
    assert site_page.evaluate(clipboard).strip() == first_code.source.strip()
    assert_clean(site_page, "copy buttons")


def test_every_page_footer_names_the_licences(site_dir):
    """A course author must see what they may reuse, on whichever page they land."""
    pages = sorted(site_dir.rglob("index.html"))
    missing = [
        str(p.relative_to(site_dir))
        for p in pages
        if not re.search(r'class="md-copyright".*?CC BY 4\.0.*?BSD 3-Clause', p.read_text(), re.S)
    ]
    assert pages and missing == []
