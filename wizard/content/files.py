"""Which files are guides (apart from loading them, so that listing them imports nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def guide_files(paths: Iterable[Path]) -> list[Path]:
    """Guide files named by ``paths``: files as they are, folders searched for ``*.yaml``."""
    found: list[Path] = []
    for path in paths:
        try:
            folder = path.is_dir()
        except OSError:  # a name the system refuses: reading it as a file says why, by name
            folder = False
        if folder:
            found.extend(sorted(path.rglob("*.yaml")) + sorted(path.rglob("*.yml")))
        else:
            found.append(path)
    return list(dict.fromkeys(found))
