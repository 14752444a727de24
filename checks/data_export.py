"""``data_export``: what TikTok's own "Download your data" export shows.

Modes: ``summary`` of one export; ``likes`` that vanished between two exports; ``videos``
of the user's whose like counts fell between two exports; ``follows``: one-sided follows.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from checks.api import (
    Check,
    CheckContext,
    CheckError,
    CheckResult,
    Metric,
    Param,
    Status,
    Table,
    run_blocking,
)
from checks.export.load import MAX_UNPACKED_MB, load_export
from checks.export.model import ExportData

MODES = ("summary", "likes", "videos", "follows")
SHOWN_ROWS = 50
EXPORT_LAG = timedelta(hours=48)
"""How much of the newest data an export can lack: likes this recent may only look gone."""
RECENT_ADVICE = (
    " The newest of them is from within 48 hours of the newer export's latest entry, and an "
    "export can lack the last day or two of some data: those likes may only look vanished. "
    "An export made a few days later will tell."
)


class DataExportCheck(Check):
    """Reads one or two TikTok data exports and compares them."""

    id = "data_export"
    title = "Your TikTok data export"
    description = (
        "Reads the file TikTok gives you under Settings → Account → Download your data (.zip, "
        "folder, JSON or TXT) and shows which likes vanished, which of your videos lost likes, "
        "or who does not follow you back."
    )
    outcomes = (
        "summary",
        "likes_vanished",
        "likes_intact",
        "likes_dropped",
        "likes_steady",
        "same_export",
        "swapped_exports",
        "one_sided",
        "all_mutual",
        "missing_section",
        "invalid_export",
    )
    params = (
        Param(
            "export",
            "the export: a .zip, its folder, user_data_tiktok.json or a .txt file",
            required=True,
        ),
        Param("previous", "an earlier export, to compare with (modes likes and videos)"),
        Param(
            "mode",
            "summary, likes, videos or follows (default: likes with two exports, summary with one)",
            choices=MODES,
        ),
    )
    settings = (MAX_UNPACKED_MB,)
    timeout_s = 60.0

    async def run(self, context: CheckContext) -> CheckResult:
        export_path = context.param("export")
        if not export_path:
            raise CheckError("give the export with --param export=PATH", outcome="invalid_export")
        previous_path = context.param("previous")
        mode = context.param("mode") or ("likes" if previous_path else "summary")
        if mode not in MODES:
            raise CheckError(
                f"unknown mode {mode!r}; use {', '.join(MODES)}", outcome="invalid_export"
            )
        if mode in ("likes", "videos") and not previous_path:
            raise CheckError(
                f"mode {mode} compares two exports: give the earlier one with --param previous=PATH",
                outcome="invalid_export",
            )
        # One after the other: reading both at once would hold two parsed exports in memory.
        current = await load_export(context, export_path, self.id, "invalid_export")
        if mode in ("likes", "videos") and previous_path and _same_path(export_path, previous_path):
            return self._same(current, current, "you gave the same file or folder for both")
        previous = (
            await load_export(context, previous_path, self.id, "invalid_export")
            if previous_path
            else None
        )
        # Comparing large exports takes a while: off the event loop, like the reading.
        return await run_blocking(self._answer, mode, current, previous)

    def _answer(self, mode: str, current: ExportData, previous: ExportData | None) -> CheckResult:
        if mode in ("likes", "videos") and previous is not None:
            refused = self._unlike_pair(current, previous, mode)
            if refused:
                return refused
        handler = {
            "summary": self._summary,
            "likes": self._likes,
            "videos": self._videos,
            "follows": self._follows,
        }[mode]
        return handler(current, previous)

    def _details(self, *exports: ExportData) -> dict[str, Any]:
        return {
            "exports": [
                {
                    "source": e.source,
                    "layout": e.layout,
                    "missing_sections": e.missing,
                    "likes": len(e.likes),
                    "followers": len(e.followers),
                    "following": len(e.following),
                    "videos": len(e.videos),
                }
                for e in exports
            ]
        }

    def _unlike_pair(
        self, current: ExportData, previous: ExportData, section: str
    ) -> CheckResult | None:
        """Two exports that cannot be compared as given: one export twice, or the older one
        given as the newer. A comparison of them would report nothing lost, or gains as
        losses."""
        from checks.export.compare import looks_swapped, newest_entry, out_of_place, same_content

        if same_content(previous, current):
            span = current.date_range()
            last = f", up to the same last entry ({span[1][:10]})" if span else ""
            return self._same(
                previous,
                current,
                f"both hold exactly the same likes, follows and posts{last}",
            )
        if self._missing(section, previous, current) or not looks_swapped(
            previous, current, EXPORT_LAG
        ):
            return None
        shared = previous.found & current.found
        before, after = newest_entry(previous, shared), newest_entry(current, shared)
        newest_before = before.date().isoformat() if before else "?"
        newest_after = after.date().isoformat() if after else "?"
        details = self._details(previous, current)
        details["newest_entry"] = {"previous": newest_before, "export": newest_after}
        stray = out_of_place(previous, current, EXPORT_LAG)
        details["out_of_place"] = stray
        older, newer = Path(previous.source).name, Path(current.source).name
        evidence = (
            f"the one you gave as the newer ({newer}) holds {stray:,} likes, follows or posts "
            f"from well before the last entry of the one you gave as the older ({older}, "
            f"{newest_before}), which that one lacks"
            if stray
            else f"the one you gave as the older ({older}) has entries up to {newest_before}, "
            f"the one you gave as the newer ({newer}) only up to {newest_after}"
        )
        return self.result(
            "swapped_exports",
            Status.WARNING,
            f"The two exports look the wrong way round: {evidence}. Compared as given, likes "
            "added in between would show as lost, and lost ones would not show.",
            advice="Give them the other way round: the newer export as the export, the older "
            "one as the earlier export. If they really are in this order, the newer export is "
            "missing data it should have: say so to support.",
            details=details,
        )

    def _same(self, previous: ExportData, current: ExportData, why: str) -> CheckResult:
        return self.result(
            "same_export",
            Status.WARNING,
            f"The two exports are the same export: {why}. An export compared with itself "
            "shows nothing lost, so it cannot tell whether TikTok lost any likes.",
            advice="Give as the earlier export one from another day: request a new export "
            "(Settings and privacy → Account → Download your data) and compare it with this "
            "one when it is ready.",
            details=self._details(previous, current),
        )

    def _missing(self, section: str, *exports: ExportData) -> CheckResult | None:
        lacking = [e for e in exports if section not in e.found]
        if not lacking:
            return None
        return self.result(
            "missing_section",
            Status.WARNING,
            f"The export {Path(lacking[0].source).name} has no {section} section, so this "
            "comparison cannot be made.",
            advice="Request a new export with all data selected (Settings and privacy → Account → "
            "Download your data), in JSON format.",
            details=self._details(*exports),
        )

    def _summary(self, export: ExportData, _: ExportData | None) -> CheckResult:
        span = export.date_range()
        details = self._details(export)
        details["date_range"] = list(span) if span else None
        details["app_versions"] = export.app_versions
        details["liked_privacy"] = export.liked_privacy
        missing = f" Missing sections: {', '.join(export.missing)}." if export.missing else ""
        summary = (
            f"{len(export.likes):,} liked videos, {len(export.followers):,} followers, "
            f"{len(export.following):,} following and {len(export.videos):,} posts"
            + (f", from {span[0][:10]} to {span[1][:10]}" if span else "")
            + "."
            + missing
        )
        rows = [
            ("liked videos", f"{len(export.likes):,}"),
            ("followers", f"{len(export.followers):,}"),
            ("following", f"{len(export.following):,}"),
            ("posts", f"{len(export.videos):,}"),
        ]
        if export.app_versions:
            rows.append(("app versions seen", ", ".join(export.app_versions[-5:])))
        return self.result(
            "summary",
            Status.OK,
            summary,
            details=details,
            metrics=(
                Metric("likes", len(export.likes), "", "liked videos"),
                Metric("followers", len(export.followers), "", "followers"),
                Metric("following", len(export.following), "", "following"),
            ),
            tables=(Table("What the export holds", ("section", "count"), tuple(rows)),),
        )

    def _likes(self, current: ExportData, previous: ExportData | None) -> CheckResult:
        from checks.export.compare import vanished_likes

        assert previous is not None
        missing = self._missing("likes", previous, current)
        if missing:
            return missing
        gone = vanished_likes(previous, current)
        details = self._details(previous, current)
        details["vanished"] = [{"date": like.date, "link": like.link} for like in gone]
        table = Table(
            f"Likes that vanished ({len(gone):,})",
            ("liked on", "video"),
            tuple((like.date, like.link) for like in gone[:SHOWN_ROWS]),
        )
        metrics = (
            Metric("vanished", len(gone), "", "likes vanished"),
            Metric("likes_before", len(previous.likes), "", "likes before"),
            Metric("likes_now", len(current.likes), "", "likes now"),
        )
        if not gone:
            return self.result(
                "likes_intact",
                Status.OK,
                f"No likes vanished: all {len(previous.likes):,} earlier likes are still there.",
                details=details,
                metrics=metrics,
            )
        recent = _within_export_lag(gone[0].date if gone else "", current)
        details["recent_may_be_missing"] = recent
        return self.result(
            "likes_vanished",
            Status.WARNING,
            f"{len(gone):,} of {len(previous.likes):,} likes from the earlier export are gone.",
            advice="A like also vanishes when the video is deleted or made private by its author; "
            "open a few of the links to see which it was." + (RECENT_ADVICE if recent else ""),
            details=details,
            metrics=metrics,
            tables=(table,),
        )

    def _videos(self, current: ExportData, previous: ExportData | None) -> CheckResult:
        from checks.export.compare import dropped_video_likes

        assert previous is not None
        missing = self._missing("videos", previous, current)
        if missing:
            return missing
        drops = dropped_video_likes(previous, current)
        details = self._details(previous, current)
        details["drops"] = [
            {"link": d.link, "date": d.date, "before": d.before, "after": d.after} for d in drops
        ]
        lost = sum(d.drop for d in drops)
        metrics = (
            Metric("videos_dropped", len(drops), "", "posts that lost likes"),
            Metric("likes_lost", lost, "", "likes lost"),
        )
        if not drops:
            return self.result(
                "likes_steady",
                Status.OK,
                "None of your posts lost likes between the exports.",
                details=details,
                metrics=metrics,
            )
        table = Table(
            "Posts that lost likes (largest drop first)",
            ("posted", "video", "before", "after", "lost"),
            tuple(
                (d.date, d.link, str(d.before), str(d.after), str(d.drop))
                for d in drops[:SHOWN_ROWS]
            ),
        )
        return self.result(
            "likes_dropped",
            Status.WARNING,
            f"{len(drops):,} of your posts lost {lost:,} likes in all between the exports; "
            f"the largest drop is {drops[0].drop:,}.",
            advice="Small, steady drops are usually TikTok removing likes from fake or inactive "
            "accounts; a sudden large drop on every post is worth a support report.",
            details=details,
            metrics=metrics,
            tables=(table,),
        )

    def _follows(self, current: ExportData, _: ExportData | None) -> CheckResult:
        from checks.export.compare import one_sided_follows

        for section in ("followers", "following"):
            missing = self._missing(section, current)
            if missing:
                return missing
        not_back, fans_only = one_sided_follows(current)
        details = self._details(current)
        details["not_following_back"] = [a.username for a in not_back]
        details["not_followed_back"] = [a.username for a in fans_only]
        metrics = (
            Metric("not_following_back", len(not_back), "", "you follow, they do not"),
            Metric("not_followed_back", len(fans_only), "", "they follow, you do not"),
        )
        tables = (
            Table(
                f"You follow them, they do not follow you ({len(not_back):,})",
                ("account", "followed on"),
                tuple((a.username, a.date) for a in not_back[:SHOWN_ROWS]),
            ),
            Table(
                f"They follow you, you do not follow them ({len(fans_only):,})",
                ("account", "since"),
                tuple((a.username, a.date) for a in fans_only[:SHOWN_ROWS]),
            ),
        )
        if not not_back and not fans_only:
            return self.result(
                "all_mutual",
                Status.OK,
                "Every account you follow follows you back, and "
                "you follow back everyone who follows you.",
                details=details,
                metrics=metrics,
            )
        return self.result(
            "one_sided",
            Status.OK,
            f"{len(not_back):,} accounts you follow do not follow you back; you do not follow "
            f"back {len(fans_only):,} of your followers.",
            details=details,
            metrics=metrics,
            tables=tables,
        )


def _same_path(first: str, second: str) -> bool:
    """Whether two paths name the same file or folder (False when either cannot be found)."""
    try:
        return os.path.samefile(Path(first).expanduser(), Path(second).expanduser())
    except (OSError, ValueError):
        return False


def _within_export_lag(newest_gone: str, current: ExportData) -> bool:
    """Whether the newest vanished like is within :data:`EXPORT_LAG` of the newer export's
    date (the latest date it records, as an export says nothing of when it was made)."""
    from checks.export.compare import when

    span = current.date_range()
    gone_at, exported_at = when(newest_gone), when(span[1]) if span else None
    if gone_at is None or exported_at is None:
        return False
    return exported_at - gone_at <= EXPORT_LAG
