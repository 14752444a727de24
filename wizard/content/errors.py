"""The error every content problem is reported as."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=True)
class ContentError(Exception):
    """A problem in a content file, located by file, line and key path."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
