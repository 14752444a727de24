"""What the home screen lists of each guide, kept between starts.

Listing the guides means reading and building every guide file, and importing the
content model, loader and validator to do it: about a tenth of the app's launch. The
list is kept in a small JSON file and reused while no guide file has changed (same
files, sizes and modification times) and the wizard's version is the same. It holds
only what is shown before a guide is opened; opening one always uses the guide loaded
and fully validated from its file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import __version__
from wizard.cachefile import read_json, write_json

if TYPE_CHECKING:
    from wizard.content.model import Guide

FORMAT = 1
"""Bumped when what is kept changes shape."""


@dataclass(frozen=True, slots=True)
class GuideEntry:
    """A guide as the home screen shows it."""

    id: str
    title: str
    summary: str
    headings: Mapping[str, str]
    """Each step's heading by node id, to say where an unfinished walk stopped."""

    @classmethod
    def of(cls, guide: Guide) -> GuideEntry:
        """The entry for a loaded guide."""
        return cls(
            guide.id,
            guide.title,
            guide.summary,
            {node_id: node.heading for node_id, node in guide.nodes.items()},
        )


def entries_of(guides: Iterable[Guide]) -> dict[str, GuideEntry]:
    """Entries by guide id."""
    return {guide.id: GuideEntry.of(guide) for guide in guides}


def file_stamps(files: Iterable[Path]) -> list[list[Any]]:
    """Each file's path, size and modification time: what says the list is still right."""
    stamps: list[list[Any]] = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            stamps.append([str(path), None, None])
        else:
            stamps.append([str(path), stat.st_size, stat.st_mtime_ns])
    return stamps


def read(cache: Path, stamps: list[list[Any]]) -> dict[str, GuideEntry] | None:
    """The kept entries if ``cache`` was written for exactly these files, else None."""
    stored = read_json(cache)
    try:
        if (
            stored.get("format") != FORMAT
            or stored.get("version") != __version__
            or stored.get("files") != stamps
        ):
            return None
        return {
            e["id"]: GuideEntry(e["id"], e["title"], e["summary"], dict(e["headings"]))
            for e in stored["guides"]
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def write(cache: Path, stamps: list[list[Any]], entries: Mapping[str, GuideEntry]) -> None:
    """Keep ``entries`` for these files (or nothing, when the folder cannot be written)."""
    write_json(
        cache,
        {
            "format": FORMAT,
            "version": __version__,
            "files": stamps,
            "guides": [
                {"id": e.id, "title": e.title, "summary": e.summary, "headings": dict(e.headings)}
                for e in entries.values()
            ],
        },
    )
