"""Cheap guards on the lessons' prose: references a learner can follow, no unseen texts."""

import json
import re

import pytest

from tasklab.paths import REPO_DIR

LESSONS = sorted((REPO_DIR / "notebooks").glob("[0-9][0-9]-*.ipynb"))
NOTEBOOKS = sorted(
    p for p in (REPO_DIR / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
PAGES = sorted((REPO_DIR / "docs").glob("*.md"))
# "lesson 7", "lessons 5 and 10", "lessons 16-18", "lessons 1–7"
LESSON_NUMBERS = re.compile(r"\blessons? (\d+)(?:(?:,| and|-|–| to) (\d+))*")
VAGUE = re.compile(r"\b(a later lesson|an earlier lesson|the lesson on \w+|the scaling lessons)\b", re.I)


def prose(path):
    """The Markdown a learner reads: a page, or a notebook's Markdown cells."""
    if path.suffix == ".md":
        return path.read_text()
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def numbers_in(text):
    for match in LESSON_NUMBERS.finditer(text):
        yield from (int(n) for n in re.findall(r"\d+", match.group(0)))


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: str(p.relative_to(REPO_DIR)))
def test_references_name_a_lesson_that_exists(path):
    text = prose(path)
    numbers = {int(lesson.name[:2]) for lesson in LESSONS}
    missing = sorted(set(numbers_in(text)) - numbers)
    assert not missing, f"{path.name} names lessons {missing}; there are lessons {sorted(numbers)}"
    vague = sorted({m.group(0) for m in VAGUE.finditer(text)})
    assert not vague, f"{path.name} points to {vague}: name the lesson by its number"


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: str(p.relative_to(REPO_DIR)))
def test_no_lesson_or_page_leans_on_a_text_the_learner_has_not_read(path):
    """Lessons teach what is true, and name late-2025 introductions in one agreed form."""
    found = re.findall(r"[^.\n]*\bthe seed\b[^.\n]*", prose(path), re.I)
    assert not found, f"{path.name} says 'the seed': {found[:2]}"


def test_the_checks_can_fail():
    assert list(numbers_in("see lessons 5 and 10, then lesson 19")) == [5, 10, 19]
    assert VAGUE.search("a later lesson shows it")
