"""Comparing exports: vanished likes, posts that lost likes, one-sided follows. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from checks.export.model import Account, ExportData, Like


def _video_key(link: str) -> str:
    """The video id in a link, so that share links and web links of one video match."""
    digits = [
        part for part in link.replace("?", "/").split("/") if part.isdigit() and len(part) >= 8
    ]
    return digits[-1] if digits else link.strip().rstrip("/").lower()


def vanished_likes(previous: ExportData, current: ExportData) -> list[Like]:
    """Likes in the earlier export that the later one no longer has, newest first."""
    now = {_video_key(like.link) for like in current.likes}
    gone = [like for like in previous.likes if _video_key(like.link) not in now]
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
