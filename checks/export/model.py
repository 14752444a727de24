"""What we keep of a TikTok data export: only the sections the wizard needs, compactly.

Device identifiers (IDFA, GAID, Android ID, IDFV, Web ID) and login IP addresses are never
read into these records, so they cannot be shown or exported by mistake. The records are
named tuples: an export holds hundreds of thousands of them, and tuples are cheap to make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

SECTIONS = ("likes", "followers", "following", "videos", "status")


class Like(NamedTuple):
    """A video the user liked."""

    link: str
    date: str


class Account(NamedTuple):
    """An account in the followers or following list."""

    username: str
    date: str


class Video(NamedTuple):
    """One of the user's own posts."""

    link: str
    date: str
    likes: int | None


@dataclass
class ExportData:
    """The sections found in one export, and which ones were missing."""

    source: str
    layout: str
    """``json`` (either file name) or ``txt``."""
    likes: list[Like] = field(default_factory=list)
    followers: list[Account] = field(default_factory=list)
    following: list[Account] = field(default_factory=list)
    videos: list[Video] = field(default_factory=list)
    app_versions: list[str] = field(default_factory=list)
    liked_privacy: str | None = None
    """``public`` or ``private`` when the export states who can see liked videos."""
    found: set[str] = field(default_factory=set)

    @property
    def missing(self) -> list[str]:
        """Sections this export does not have."""
        return [s for s in SECTIONS if s not in self.found]

    def date_range(self) -> tuple[str, str] | None:
        """The earliest and latest date seen in likes, follows and posts."""
        dates = [d for d in self._dates() if d]
        return (min(dates), max(dates)) if dates else None

    def _dates(self) -> list[str]:
        return (
            [x.date for x in self.likes]
            + [x.date for x in self.followers]
            + [x.date for x in self.following]
            + [x.date for x in self.videos]
        )


class ExportError(Exception):
    """An export we cannot read, explained in words."""


class ExportTooLarge(ExportError):
    """An export that unpacks to more than the limit allows."""
