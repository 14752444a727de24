"""Comparing exports: vanished likes, posts that lost likes, one-sided follows. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from checks.export.model import Account, ExportData, Like

_VIDEO_ID = re.compile(r"(\d{8,})")


def _video_key(link: str) -> str:
    """The video id in a link, so that share links and web links of one video match."""
    tail = link.partition("?")[0].rstrip("/").rpartition("/")[2]
    if tail.isdigit():
        return tail
    ids = _VIDEO_ID.findall(link)
    return ids[-1] if ids else link.strip().rstrip("/").lower()


def vanished_likes(previous: ExportData, current: ExportData) -> list[Like]:
    """Likes in the earlier export that the later one no longer has, newest first.

    Links are compared as they are; only the few that match nothing on either side are
    compared again by video id, in case TikTok changed the form of its links in between.
    """
    before = {like.link for like in previous.likes}
    after = {like.link for like in current.likes}
    gone = [like for like in previous.likes if like.link not in after]
    if gone:
        new_keys = {_video_key(like.link) for like in current.likes if like.link not in before}
        gone = [like for like in gone if _video_key(like.link) not in new_keys]
    return sorted(gone, key=lambda like: like.date, reverse=True)


@dataclass(frozen=True, slots=True)
class LikeDrop:
    """One of the user's posts whose like count fell."""

    link: str
    date: str
    before: int
    after: int

    @property
    def drop(self) -> int:
        """How many likes were lost."""
        return self.before - self.after


def dropped_video_likes(previous: ExportData, current: ExportData) -> list[LikeDrop]:
    """Posts with fewer likes in the later export, largest drop first."""
    later = {_video_key(v.link): v for v in current.videos if v.likes is not None}
    drops = []
    for video in previous.videos:
        now = later.get(_video_key(video.link))
        if (
            video.likes is not None
            and now is not None
            and now.likes is not None
            and now.likes < video.likes
        ):
            drops.append(LikeDrop(video.link, video.date, video.likes, now.likes))
    return sorted(drops, key=lambda d: (-d.drop, d.link))


def one_sided_follows(export: ExportData) -> tuple[list[Account], list[Account]]:
    """(accounts you follow that do not follow you, followers you do not follow back)."""
    followers = {a.username.lower() for a in export.followers}
    following = {a.username.lower() for a in export.following}
    not_back = sorted(
        (a for a in export.following if a.username.lower() not in followers),
        key=lambda a: a.username.lower(),
    )
    fans_only = sorted(
        (a for a in export.followers if a.username.lower() not in following),
        key=lambda a: a.username.lower(),
    )
    return not_back, fans_only


def when(text: str) -> datetime | None:
    """An export's date (``2024-05-01 10:00:00``), None when it is not one."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        return None


def same_content(a: ExportData, b: ExportData) -> bool:
    """Whether two exports hold the very same sections, likes, follows and posts (with
    their like counts): the same export, or copies of it, whatever its layout."""
    return a.found == b.found and all(
        len(x) == len(y) and sorted(x) == sorted(y)
        for x, y in (
            (a.likes, b.likes),
            (a.followers, b.followers),
            (a.following, b.following),
            (a.videos, b.videos),
        )
    )


_LINKED = ("likes", "videos")


def _keys(export: ExportData, section: str) -> set[str]:
    """The identities in a section: links of likes and posts, lower-cased account names."""
    items = getattr(export, section)
    if section in _LINKED:
        return {x[0] for x in items}
    return {x[0].lower() for x in items}


def newest_entry(export: ExportData, sections: set[str]) -> datetime | None:
    """The date of the newest entry in ``sections`` of ``export``."""
    dates = [
        max(x.date for x in getattr(export, s))
        for s in sorted(sections - {"status"})
        if getattr(export, s)
    ]
    return when(max(dates)) if dates else None


def out_of_place(earlier: ExportData, later: ExportData, lag: timedelta) -> int:
    """How many entries ``later`` has that ``earlier`` lacks although they are dated well
    before ``earlier``'s newest entry (more than ``lag``, what an export can lack of its
    last days). Such entries existed when ``earlier`` was made, so were it really the
    earlier export it would hold them: a count above 0 says the two are the other way round.
    Only the sections both exports have count; links are matched as in
    :func:`vanished_likes`."""
    shared = earlier.found & later.found - {"status"}
    newest = newest_entry(earlier, shared)
    if newest is None:
        return 0
    # Dates are compared as text first (an export writes them one way), parsed only then.
    cutoff = (newest - lag).strftime("%Y-%m-%d %H:%M:%S")
    count = 0
    for section in sorted(shared):
        known = _keys(earlier, section)
        linked = section in _LINKED
        stray = [
            key
            for key, date in (
                (x[0] if linked else x[0].lower(), x[1])
                for x in getattr(later, section)
                if x[1] < cutoff
            )
            if key not in known and when(date) is not None
        ]
        if stray and linked:
            other_form = {_video_key(key) for key in known - _keys(later, section)}
            stray = [key for key in stray if _video_key(key) not in other_form]
        count += len(stray)
    return count


def looks_swapped(previous: ExportData, current: ExportData, lag: timedelta) -> bool:
    """Whether the export given as the earlier one is the later of the two.

    Read the other way round the pair must make sense (nothing out of place); read as given
    it must not: entries out of place, or an "earlier" export whose newest entry is more
    than ``lag`` later than anything in the "newer" one (in the sections both have).
    """
    if out_of_place(current, previous, lag):
        return False
    if out_of_place(previous, current, lag):
        return True
    shared = previous.found & current.found
    newest_before, newest_after = newest_entry(previous, shared), newest_entry(current, shared)
    return (
        newest_before is not None
        and newest_after is not None
        and newest_before - newest_after > lag
    )
