"""Fake programs for tests that look for programs on PATH (the doctor, the Chromium finder)."""


def fake(folder, name, script="exit 0"):
    """An executable shell script `folder/name` that runs `script`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return path
