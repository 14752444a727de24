"""Comparing exports: vanished likes, posts that lost likes, one-sided follows. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
