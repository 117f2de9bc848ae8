"""System programs: a missing one is reported with the command that installs it."""

import pytest

from tasklab import MissingProgram
from tasklab.programs import find_program


def test_a_missing_program_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(
        MissingProgram, match=r"redis-server is not installed .*sudo apt install redis-server"
    ):
        find_program("redis-server")


def test_a_listed_candidate_wins_over_path(tmp_path):
    program = tmp_path / "postgres"
    program.write_text("#!/bin/sh\n")
    assert find_program("postgres", candidates=[tmp_path / "missing", program]) == str(program)
