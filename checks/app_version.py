"""``app_version``: is the TikTok app on the user's phone out of date, and by how much?

The latest iOS version comes from the public App Store lookup (cached on disk with the
time it was fetched). Android has no public lookup, so a dated snapshot ships beside this
module (``checks/app-versions.json``); ``wizard refresh-versions`` brings it up to date when
online, and the ``app_version.snapshot`` setting points the check at another list.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from checks.api import Check, CheckContext, CheckResult, Metric, Param, Setting, Status

VERSION = re.compile(r"^\s*[vV]?(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:\.\d{1,6})?\s*$")
SHIPPED_SNAPSHOT = Path(__file__).with_name("app-versions.json")
"""The dated version list shipped with the check."""
CACHE_NAME = "app-version-ios.json"
STORE_ADVICE = (
    "Open the App Store or Google Play, search for TikTok, and update if the button says Update."
)


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``"37.5.4"`` → ``(37, 5, 4)``; None when it is not MAJOR.MINOR.PATCH."""
    match = VERSION.match(text or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


@dataclass(frozen=True, slots=True)
class Latest:
    """The newest version we know of, and where that knowledge came from."""

    version: str
    released: str
    source: str
    """``live``, ``cache`` or ``snapshot``."""
    as_of: str
    minimum_os: str = ""


def snapshot_path(setting: Any) -> Path:
    """The version list to read: the ``snapshot`` setting's path, the shipped one when empty."""
    text = str(setting or "").strip()
    return Path(text).expanduser() if text else SHIPPED_SNAPSHOT


def read_snapshot(path: Path) -> dict[str, Any]:
    """The shipped snapshot (an empty dict when it cannot be read)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def parse_lookup(payload: Any) -> Latest:
    """The App Store lookup's answer → :class:`Latest`; ValueError when it is not one."""
    results = payload.get("results") if isinstance(payload, dict) else None
    if not results or not isinstance(results[0], dict) or "version" not in results[0]:
        raise ValueError("the App Store lookup did not describe an app")
    app = results[0]
    released = str(app.get("currentVersionReleaseDate", ""))[:10]
    return Latest(
        str(app["version"]),
        released,
        "live",
        datetime.now(UTC).isoformat(timespec="seconds"),
        str(app.get("minimumOsVersion", "")),
    )


async def fetch_ios_latest(context: CheckContext, url: str) -> Latest:
    """Ask the App Store lookup for the current iOS version."""
    async with context.http_client(timeout=max(0.5, min(6.0, context.remaining() - 0.5))) as client:
        response = await client.get(url)
        response.raise_for_status()
        return parse_lookup(response.json())


def _write_cache(cache_dir: Path | None, latest: Latest) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / f".{CACHE_NAME}.{os.getpid()}"
        tmp.write_text(
            json.dumps(
                {
                    "version": latest.version,
                    "released": latest.released,
                    "minimum_os": latest.minimum_os,
                    "fetched_at": latest.as_of,
                }
            ),
            "utf-8",
        )
        os.replace(tmp, cache_dir / CACHE_NAME)
    except OSError:
        pass


def _read_cache(cache_dir: Path | None) -> tuple[Latest, float] | None:
    """The cached lookup and its age in hours."""
    if cache_dir is None:
        return None
    try:
        data = json.loads((cache_dir / CACHE_NAME).read_text("utf-8"))
        fetched = datetime.fromisoformat(data["fetched_at"])
        age = (datetime.now(UTC) - fetched).total_seconds() / 3600
        return Latest(
            data["version"],
            data["released"],
            "cache",
            data["fetched_at"],
            data.get("minimum_os", ""),
        ), age
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _days_between(earlier: str, later: str) -> int | None:
    try:
        return (date.fromisoformat(later[:10]) - date.fromisoformat(earlier[:10])).days
    except ValueError:
        return None


def _list_age(latest: Latest, age: int | None) -> str:
    """How old the version list is, in words: "from 2024-11-15, 747 days ago"."""
    when = f"from {latest.as_of}" if latest.as_of else "undated"
    if age is None:
        return when
    return f"{when}, {age} day{'' if age == 1 else 's'} ago" if age else f"{when}, today"


def _sentence(prefix: str, rest: str) -> str:
    """``rest`` after ``prefix``, starting with a capital when there is no prefix."""
    return prefix + rest if prefix else rest[:1].upper() + rest[1:]


class AppVersionCheck(Check):
    """Compares the app version the user reads with the latest one."""

    id = "app_version"
    title = "App version"
    description = "Tells whether the TikTok app is up to date, and if not, how far behind it is."
    outcomes = ("up_to_date", "outdated", "unknown_latest", "invalid_version")
    params = (
        Param("platform", "android, ios or web", required=True, choices=("android", "ios", "web")),
        Param(
            "version",
            "the version shown in the app (Settings and privacy → scroll to the bottom)",
            required=True,
        ),
    )
    settings = (
        Setting(
            "lookup_url",
            "https://itunes.apple.com/lookup?id=835599320",
            "App Store lookup for TikTok.",
        ),
        Setting("cache_hours", 24.0, "How long a looked-up latest version is trusted.", minimum=0),
        Setting(
            "snapshot_max_age_days",
            60.0,
            "The version list is trusted for this many days after its date.",
            minimum=0,
        ),
        Setting(
            "snapshot",
            "",
            "A version list (JSON) to read instead of the one shipped with the check; "
            "empty for the shipped one.",
        ),
    )
    timeout_s = 8.0

    async def run(self, context: CheckContext) -> CheckResult:
        platform = (context.param("platform") or "").lower()
        version_text = context.param("version") or ""
        if platform == "web":
            return self.result(
                "up_to_date",
                Status.OK,
                "On the web there is nothing to update: the site is always the latest.",
                advice="Reload the page (Ctrl+Shift+R, or Cmd+Shift+R on a Mac) to be sure.",
            )
        mine = parse_version(version_text)
        if mine is None:
            return self.result(
                "invalid_version",
                Status.FAILED,
                f"{version_text!r} is not a version number like 37.5.4.",
                advice="In the app: Profile → Menu → Settings and privacy, then scroll to the bottom: "
                "the version is the last line.",
            )
        snapshot = read_snapshot(snapshot_path(context.setting("snapshot")))
        latest, note = await self._latest(context, platform, snapshot)
        if latest is None:
            return self.result(
                "unknown_latest",
                Status.WARNING,
                f"Your version is {version_text.strip()}, but the latest version could not be found out.",
                advice=STORE_ADVICE,
                details={"platform": platform, "version": version_text.strip(), "note": note},
            )
        today = datetime.now(UTC).date().isoformat()
        details: dict[str, Any] = {
            "platform": platform,
            "version": version_text.strip(),
            "latest": latest.version,
            "latest_released": latest.released,
            "source": latest.source,
            "as_of": latest.as_of,
            "minimum_os": latest.minimum_os,
            "note": note,
        }
        mine_text = version_text.strip()
        newest = parse_version(latest.version)
        from_list = latest.source == "snapshot"
        list_age = _days_between(latest.as_of, today) if from_list else None
        details["list_age_days"] = list_age
        stale = from_list and not self._fresh(latest, context)
        if stale:
            # Too old to know the latest: its newest version is kept under its own name.
            details["list_newest"] = {"version": latest.version, "released": latest.released}
            details["latest"] = details["latest_released"] = None
        offline = (
            "We could not check with the App Store, and our version list is all we have: "
            if from_list and platform == "ios"
            else ""
        )
        if newest is None:
            return self.result(
                "unknown_latest",
                Status.WARNING,
                f"Your version is {mine_text}, but the newest version we have, "
                f"{latest.version!r}, is not a version number to compare with.",
                advice=STORE_ADVICE,
                details=details,
            )
        if from_list and mine > newest:
            # A version newer than the list's newest proves the list behind, nothing more.
            return self.result(
                "unknown_latest",
                Status.WARNING,
                _sentence(
                    offline,
                    f"your app ({mine_text}) is newer than the newest version on our list "
                    f"({latest.version}), so the list is out of date (it is "
                    f"{_list_age(latest, list_age)}) and cannot tell whether an even newer "
                    "version has come out.",
                ),
                advice=STORE_ADVICE,
                details=details,
            )
        if stale and mine >= newest:
            return self.result(
                "unknown_latest",
                Status.WARNING,
                _sentence(
                    offline,
                    f"our list's newest version is {latest.version}, like yours, but the list is "
                    f"{_list_age(latest, list_age)}: too old to tell whether a newer version has "
                    "come out since.",
                ),
                advice=STORE_ADVICE,
                details=details,
            )
        if mine >= newest:
            return self.result(
                "up_to_date",
                Status.OK,
                f"Your app ({mine_text}) is up to date ({self._where(latest)}).",
                details=details,
            )
        return self._outdated(mine, mine_text, latest, snapshot, details, stale, list_age, today)

    def _outdated(
        self,
        mine: tuple[int, int, int],
        mine_text: str,
        latest: Latest,
        snapshot: dict[str, Any],
        details: dict[str, Any],
        stale: bool,
        list_age: int | None,
        today: str,
    ) -> CheckResult:
        """Out of date. Every figure comes from the source of the latest it is about: an old
        list's newest version is not the latest, so it gets no "since the latest" figures."""
        newest = parse_version(latest.version) or mine
        behind = None if stale else self._releases_behind(mine, snapshot, latest)
        days = None if stale or not latest.released else _days_between(latest.released, today)
        details["releases_behind"] = behind
        details["update_available_days"] = days
        majors = newest[0] - mine[0]
        how_far = (
            f"{behind} releases behind"
            if behind
            else f"{majors} major versions behind"
            if majors > 1
            else "behind"
        )
        if days is not None:
            how_far += f"; {latest.version} came out {days} days ago"
        summary = (
            f"Your app ({mine_text}) is out of date: the latest is {latest.version} "
            f"({how_far}; {self._where(latest)})."
        )
        if stale:
            summary = (
                f"Your app ({mine_text}) is out of date: even our version list, "
                f"{_list_age(latest, list_age)}, has {latest.version}; it is too old to say "
                "what the latest is now."
            )
            if details["platform"] == "ios":
                summary += " We could not check with the App Store."
        metrics = [Metric("releases_behind", behind, "", "releases behind")] if behind else []
        if days is not None:
            metrics.append(Metric("days_behind", days, "", "days since the latest came out"))
        return self.result(
            "outdated",
            Status.WARNING,
            summary,
            advice="Update TikTok from the App Store or Google Play: likes that do not stick are a "
            "known symptom of old versions.",
            details=details,
            metrics=tuple(metrics),
        )

    async def _latest(
        self, context: CheckContext, platform: str, snapshot: dict[str, Any]
    ) -> tuple[Latest | None, str]:
        from_snapshot = None
        entry = snapshot.get(platform)
        if isinstance(entry, dict) and entry.get("latest"):
            from_snapshot = Latest(
                str(entry["latest"]),
                str(entry.get("released", "")),
                "snapshot",
                str(snapshot.get("updated", "")),
                str(entry.get("minimum_os", "")),
            )
        if platform != "ios":
            return (
                from_snapshot,
                "Android has no public version lookup; this comes from our dated list.",
            )
        cached = _read_cache(context.cache_dir)
        if cached is not None and cached[1] <= float(context.setting("cache_hours")):
            return cached[0], "from the cache of an earlier lookup"
        url = str(context.setting("lookup_url"))
        try:
            latest = await fetch_ios_latest(context, url)
        except Exception as exc:
            reason = f"the App Store lookup failed ({type(exc).__name__})"
            if cached is not None:
                return cached[0], f"{reason}; using the lookup from {cached[0].as_of[:10]}"
            return from_snapshot, f"{reason}, and nothing is cached; using our list"
        _write_cache(context.cache_dir, latest)
        return latest, "looked up just now"

    def _fresh(self, latest: Latest, context: CheckContext) -> bool:
        age = _days_between(latest.as_of, datetime.now(UTC).date().isoformat())
        return age is not None and age <= float(context.setting("snapshot_max_age_days"))

    def _where(self, latest: Latest) -> str:
        return {
            "live": "checked with the App Store just now",
            "cache": f"App Store, checked {latest.as_of[:10]}",
            "snapshot": f"our list of {latest.as_of}",
        }[latest.source]

    def _releases_behind(
        self, mine: tuple[int, int, int], snapshot: dict[str, Any], latest: Latest
    ) -> int | None:
        """How many known releases are newer than ``mine``; None when only the latest is known
        (counting then would say 1 for any old version), or when the list's history does not
        reach the latest looked up (the releases in between are not in it)."""
        newest = parse_version(latest.version)
        seen = {latest.version}
        for item in (
            snapshot.get("history", []) if isinstance(snapshot.get("history"), list) else []
        ):
            if isinstance(item, dict) and item.get("version"):
                seen.add(str(item["version"]))
        if latest.source != "snapshot" and not any(
            isinstance(item, dict) and item.get("version") == latest.version
            for item in snapshot.get("history") or []
        ):
            return None
        versions = [v for v in (parse_version(s) for s in seen) if v is not None]
        if len(versions) < 2:
            return None
        return sum(1 for v in versions if mine < v <= (newest or v))


def refreshed_snapshot(snapshot: dict[str, Any], latest: Latest, today: str) -> dict[str, Any]:
    """The snapshot updated from a live iOS lookup (Android follows iOS's numbering)."""
    history = [h for h in snapshot.get("history", []) if isinstance(h, dict)]
    if not any(h.get("version") == latest.version for h in history):
        history.insert(0, {"version": latest.version, "released": latest.released})
    entry = {"latest": latest.version, "released": latest.released}
    return {
        "updated": today,
        "source": "App Store lookup (Android assumed to follow the same numbering); "
        "refresh with: wizard refresh-versions",
        "ios": {**entry, "minimum_os": latest.minimum_os},
        "android": dict(entry),
        "history": history[:50],
    }
