"""An exercise's page on the site: its "Stuck?" tips are folded until the learner opens them.

The site shows the learner's copy (notebooks/exercises/), with its stored outputs; those never
hold the answer (tests/test_exercises.py). The tips that may, sit in a `<details>` block of a
markdown cell: it must render folded, with its markdown rendered inside (lists, code), not as
raw text, and open on a click.
"""

import re

import nbformat
import pytest

from test_site import EXERCISES, page_id, url_path, visit

SUMMARY = "Stuck? Open this after you have tried"


def folded_tips(notebook):
    """The markdown of each <details> block in the notebook: what its page must fold."""
    return [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("<details>")
    ]


@pytest.mark.parametrize("source", EXERCISES, ids=page_id)
def test_stuck_is_folded_and_opens_on_a_click(site_page, source):
    notebook = nbformat.read(source, as_version=4)
    written = folded_tips(notebook)
    assert len(written) == 1, f"{source.name}: one folded Stuck? section, under the check"
    cells = [c.cell_type + ("-check" if "exercise.check(" in c.source else "") for c in notebook.cells]
    assert (
        cells[cells.index("code-check") + 1] == "markdown"
        and notebook.cells[cells.index("code-check") + 1].source == written[0]
    ), f"{source.name}: Stuck? must come right after the check, not under a task"

    visit(site_page, url_path(source))
    details = site_page.locator(".jp-MarkdownCell details")
    assert details.count() == 1
    tips = details.first
    assert tips.get_attribute("open") is None, "Stuck? must start folded"
    assert tips.locator("summary").inner_text().strip() == SUMMARY
    items = tips.locator("li")
    first_item = re.sub(r"[`*]", "", re.search(r"^- (.+)$", written[0], re.M).group(1))
    assert items.count() >= 1 and not items.first.is_visible(), "the tips show before the learner opens them"

    tips.locator("summary").click()
    assert tips.get_attribute("open") is not None
    assert items.first.is_visible()
    assert "- `" not in tips.inner_text(), "the markdown inside <details> was not rendered"
    assert " ".join(items.first.inner_text().split()).startswith(" ".join(first_item.split())[:30])
    assert tips.locator("li code").count() >= 1, "code in the tips is rendered as code"
    assert site_page.console_errors == []
