"""Builds the documentation site the way `make docs` does, for the tests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_strict_build(config_file, site_dir):
    """`mkdocs build --strict` (any warning fails it), run beside its mkdocs.yml."""
    # Material's notice that MkDocs 1.x is no longer maintained: we pin mkdocs<2 knowingly.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(config_file),
            "--site-dir",
            str(site_dir),
        ],
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
    )


def build_site(config_file, site_dir):
    """Build the site; fail the test with MkDocs' own output if the build warns."""
    done = run_strict_build(config_file, site_dir)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}", pytrace=False)
    return site_dir
