"""`Cell`: one check's answer for one backend, as the matrix shows it and JSON stores it."""

from dataclasses import asdict, dataclass


@dataclass
class Cell:
    check: str  # the check's name, e.g. "priorities"
    value: str  # what the matrix shows: "yes", "no", "stuck RUNNING", ...
    detail: str  # why, from the run
    title: str = ""  # the matrix row's title, filled in by the runner

    def as_dict(self):
        return asdict(self)
