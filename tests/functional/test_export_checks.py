"""data_export, privacy_liked_videos and app_version against real files and a local server."""

from __future__ import annotations

import json
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from checks.api import CheckContext
from checks.app_version import SHIPPED_SNAPSHOT, AppVersionCheck
from checks.data_export import DataExportCheck
from checks.export.reader import read_export
from checks.privacy import PrivacyLikedVideosCheck
from tests.exportgen import DEVICE_IDS, LAYOUTS, LOGIN_IP, later, make_account, write_export
from tests.servers import dead_port, http_server, respond
from tests.world import LOOKUP
from wizard.runner import run_check

LIMIT = 2**31


@pytest.fixture(scope="module")
def account():
    return make_account(likes=800, followers=150, following=200, videos=40, seed=11, mutual=0.55)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])
def test_every_layout_parses_with_the_right_counts(
    tmp_path: Path, account, layout: str, zipped: bool
) -> None:
    path = write_export(account, tmp_path / ("export.zip" if zipped else "export"), layout, zipped)
    export = read_export(path, LIMIT)
    assert (
        len(export.likes),
        len(export.followers),
        len(export.following),
        len(export.videos),
    ) == (800, 150, 200, 40)
    assert export.missing == []
    assert export.app_versions == ["37.5.4"]
    assert export.likes[0].link.startswith("https://www.tiktokv.com/share/video/")
    assert export.videos[0].likes == account.videos[0][2]


def test_single_json_file_and_single_txt_file(tmp_path: Path, account) -> None:
    folder = write_export(account, tmp_path / "j", "json-old", zipped=False)
    export = read_export(folder / "user_data.json", LIMIT)
    assert len(export.likes) == 800 and export.layout == "json"
    txt = write_export(account, tmp_path / "t", "txt", zipped=False)
    only_likes = read_export(txt / "Activity" / "Like List.txt", LIMIT)
    assert len(only_likes.likes) == 800
    assert set(only_likes.missing) == {"followers", "following", "videos", "status"}


async def run(check, **params: str):
    return await run_check(check, CheckContext(params=params, deadline=time.monotonic() + 30))


async def test_vanished_likes_between_two_exports(tmp_path: Path, account) -> None:
    before = write_export(account, tmp_path / "a.zip", "json-new")
    after = write_export(later(account, unliked=37, seed=5), tmp_path / "b.zip", "txt")
    result = await run(DataExportCheck(), export=str(after), previous=str(before))
    assert result.outcome == "likes_vanished"
    assert result.summary.startswith("37 of 800 likes")
    gone = result.details["vanished"]
    assert len(gone) == 37 and gone == sorted(gone, key=lambda g: g["date"], reverse=True)
    intact = await run(DataExportCheck(), export=str(before), previous=str(after))
    assert intact.outcome != "likes_intact", "the older export given as the newer is said"


def grown(account, tmp_path: Path, name: str) -> Path:
    """The account's export some days on: five new likes, and more likes on every post."""
    from dataclasses import replace

    videos = [(d, link, count + 7) for d, link, count in account.videos]
    return write_export(replace(later(account, liked=5), videos=videos), tmp_path / name)


@pytest.mark.parametrize("mode", ["likes", "videos"])
async def test_one_export_given_twice_is_the_same_export(
    tmp_path: Path, account, mode: str
) -> None:
    """The same file, the same folder, a copy, or the zip and its unpacked folder: one
    export, which compared with itself would say nothing was lost."""
    import shutil

    export = write_export(account, tmp_path / "a.zip", "json-new")
    copy = tmp_path / "copy of a.zip"
    shutil.copy(export, copy)
    folder = write_export(account, tmp_path / "unpacked", "json-new", zipped=False)
    link = tmp_path / "link.zip"
    link.symlink_to(export)
    pairs = [(export, export), (folder, folder), (link, export), (copy, export), (folder, export)]
    for newer, older in pairs:
        result = await run(DataExportCheck(), export=str(newer), previous=str(older), mode=mode)
        assert result.outcome == "same_export", (newer, older, result.summary)
        assert "The two exports are the same export" in result.summary
        assert "another day" in (result.advice or "")
    same_path = await run(DataExportCheck(), export=str(link), previous=str(export), mode=mode)
    assert "the same file or folder" in same_path.summary
    span = read_export(export, LIMIT).date_range()
    assert span is not None
    copied = await run(DataExportCheck(), export=str(copy), previous=str(export), mode=mode)
    assert f"up to the same last entry ({span[1][:10]})" in copied.summary


def test_the_same_export_twice_from_the_command(wizard_cli, tmp_path: Path, account) -> None:
    export = write_export(account, tmp_path / "a", "txt", zipped=False)
    done = wizard_cli(
        "check", "data_export", "--param", f"export={export}", "--param", f"previous={export}"
    )
    assert "same export" in done.err + done.out and "has not lost" not in done.err + done.out


@pytest.mark.parametrize("mode", ["likes", "videos"])
async def test_exports_given_the_wrong_way_round_are_said(
    tmp_path: Path, account, mode: str
) -> None:
    """The older export as the newer: new likes would read as vanished, likes gained on
    posts as lost, and likes that did vanish as intact. Said instead, either way it shows."""
    old = write_export(account, tmp_path / "old.zip", "json-new")
    lost = write_export(later(account, unliked=12, video_drops=3), tmp_path / "lost.zip", "txt")
    more = grown(account, tmp_path, "more.zip")
    for newer in (lost, more):
        result = await run(DataExportCheck(), export=str(old), previous=str(newer), mode=mode)
        assert result.outcome == "swapped_exports", (newer, result.summary)
        assert "look the wrong way round" in result.summary
        assert "other way round" in (result.advice or "")
    by_date = await run(DataExportCheck(), export=str(old), previous=str(more), mode=mode)
    assert "the one you gave as the older (more.zip) has entries up to" in by_date.summary
    by_entries = await run(DataExportCheck(), export=str(old), previous=str(lost), mode=mode)
    assert "holds 12 likes, follows or posts" in by_entries.summary
    right = await run(DataExportCheck(), export=str(lost), previous=str(old), mode=mode)
    assert right.outcome == ("likes_vanished" if mode == "likes" else "likes_dropped")
    grew = await run(DataExportCheck(), export=str(more), previous=str(old), mode=mode)
    assert grew.outcome == ("likes_intact" if mode == "likes" else "likes_steady")


async def test_a_vanished_like_from_the_newer_export_s_last_two_days_is_flagged(
    tmp_path: Path, account
) -> None:
    """An export can lack its last day or two of data: a like that recent may only look gone."""
    from dataclasses import replace

    recent = ("2030-01-01 08:00:00", "https://www.tiktokv.com/share/video/7000000000000000001/")
    newest = ("2030-01-02 20:00:00", "https://www.tiktokv.com/share/video/7000000000000000002/")
    before = write_export(replace(account, likes=[*account.likes, recent]), tmp_path / "a.zip")
    after = write_export(replace(account, likes=[*account.likes, newest]), tmp_path / "b.zip")
    result = await run(DataExportCheck(), export=str(after), previous=str(before))
    assert result.outcome == "likes_vanished" and result.details["recent_may_be_missing"]
    assert "within 48 hours" in result.advice
    old = await run(
        DataExportCheck(),
        export=str(write_export(later(account, unliked=3), tmp_path / "c.zip")),
        previous=str(write_export(account, tmp_path / "d.zip")),
    )
    assert old.outcome == "likes_vanished" and not old.details["recent_may_be_missing"]
    assert "48 hours" not in old.advice


async def test_videos_that_lost_likes_largest_drop_first(tmp_path: Path, account) -> None:
    before = write_export(account, tmp_path / "a.zip", "json-old")
    after = write_export(later(account, video_drops=6, seed=3), tmp_path / "b.zip", "json-new")
    result = await run(DataExportCheck(), export=str(after), previous=str(before), mode="videos")
    assert result.outcome == "likes_dropped"
    drops = result.details["drops"]
    assert len(drops) == 6
    lost = [d["before"] - d["after"] for d in drops]
    assert lost == sorted(lost, reverse=True) and all(x > 0 for x in lost)


async def test_one_sided_follows(tmp_path: Path, account) -> None:
    path = write_export(account, tmp_path / "a.zip", "json-new")
    result = await run(DataExportCheck(), export=str(path), mode="follows")
    assert result.outcome == "one_sided"
    followers = {n for _, n in account.followers}
    following = {n for _, n in account.following}
    assert set(result.details["not_following_back"]) == following - followers
    assert set(result.details["not_followed_back"]) == followers - following


async def test_summary_of_one_export(tmp_path: Path, account) -> None:
    path = write_export(account, tmp_path / "a.zip", "txt")
    result = await run(DataExportCheck(), export=str(path))
    assert result.outcome == "summary"
    assert "800 liked videos, 150 followers, 200 following and 40 posts" in result.summary
    assert result.details["app_versions"] == ["37.5.4"]


async def test_missing_section_is_named(tmp_path: Path, account) -> None:
    folder = write_export(account, tmp_path / "t", "txt", zipped=False)
    (folder / "Activity" / "Like List.txt").unlink()
    other = write_export(account, tmp_path / "full.zip", "json-new")
    result = await run(DataExportCheck(), export=str(folder), previous=str(other))
    assert result.outcome == "missing_section" and "no likes section" in result.summary
    summary = await run(DataExportCheck(), export=str(folder))
    assert "Missing sections: likes" in summary.summary


def _file(name: str, data: bytes):
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("user_data_tiktok.json", b"\x00" * (300 * 2**20))
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_file("x.zip", b"PK\x03\x04 garbage"), "damaged zip"),
        (_file("x.json", b"{not json"), "not valid JSON"),
        (_file("x.json", b'{"hello": "world"}'), "something else"),
        (_file("x.pdf", b"%PDF-1.7"), "not a TikTok data export"),
        (lambda p: p / "nowhere.zip", "does not exist"),
        (lambda p: _bomb(p / "bomb.zip"), "zip bomb"),
    ],
    ids=["bad-zip", "bad-json", "other-json", "pdf", "missing", "zip-bomb"],
)
async def test_bad_input_gets_a_clear_message(tmp_path: Path, make, words: str) -> None:
    path = make(tmp_path)
    started = time.monotonic()
    result = await run(DataExportCheck(), export=str(path))
    assert result.outcome == "invalid_export"
    assert words in result.summary
    assert time.monotonic() - started < 5


async def test_zip_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8\xff")
    result = await run(DataExportCheck(), export=str(path))
    assert result.outcome == "invalid_export" and "not a TikTok export" in result.summary


@pytest.mark.parametrize("layout", LAYOUTS)
async def test_device_ids_and_login_ips_never_leave_the_check(
    tmp_path: Path, account, layout: str
) -> None:
    before = write_export(account, tmp_path / "a.zip", layout)
    after = write_export(later(account, unliked=5, video_drops=2), tmp_path / "b.zip", layout)
    shown = []
    for mode in ("summary", "likes", "videos", "follows"):
        result = await run(DataExportCheck(), export=str(after), previous=str(before), mode=mode)
        shown.append(json.dumps(result.to_dict()))
    privacy = await run(PrivacyLikedVideosCheck(), export=str(after))
    shown.append(json.dumps(privacy.to_dict()))
    text = "\n".join(shown)
    for secret in [*DEVICE_IDS.values(), LOGIN_IP]:
        assert secret not in text


@pytest.mark.parametrize(("private", "outcome"), [(True, "private"), (False, "public")])
async def test_privacy_from_the_export(
    tmp_path: Path, account, private: bool, outcome: str
) -> None:
    account.liked_private = private
    path = write_export(account, tmp_path / "a.zip", "json-new")
    result = await run(PrivacyLikedVideosCheck(), export=str(path))
    assert result.outcome == outcome


@pytest.mark.parametrize(
    ("setting", "outcome"),
    [
        ("Only me", "private"),
        ("only me", "private"),
        ("Everyone", "public"),
        ("", "unknown"),
        ("Friends", "unknown"),
    ],
)
async def test_privacy_from_what_the_user_reads(setting: str, outcome: str) -> None:
    result = await run(PrivacyLikedVideosCheck(), setting=setting)
    assert result.outcome == outcome
    if outcome == "private":
        assert "looks as if your likes disappeared" in result.advice


async def test_a_public_setting_is_not_advised_either_way() -> None:
    """One guide asks for the likes to be seen, another for them to be hidden: the check
    says where the setting is and leaves what to do with it to the guide."""
    result = await run(PrivacyLikedVideosCheck(), setting="Everyone")
    assert "Liked videos" in result.advice
    assert "Only me" not in result.advice and "yourself" not in result.advice


# --- app_version -------------------------------------------------------------------------


def version_context(tmp_path: Path, url: str, **params: str) -> CheckContext:
    return CheckContext(
        params=params,
        config={"lookup_url": url, "cache_hours": 24.0},
        cache_dir=tmp_path / "cache",
        deadline=time.monotonic() + 8,
    )


@pytest.fixture
def lookup():
    with http_server(
        {"/lookup": respond(200, json.dumps(LOOKUP).encode(), {"Content-Type": "application/json"})}
    ) as server:
        yield server


async def test_ios_up_to_date_and_outdated(tmp_path: Path, lookup) -> None:
    url = lookup.url("/lookup?id=835599320")
    current = await run_check(
        AppVersionCheck(), version_context(tmp_path, url, platform="ios", version="41.2.0")
    )
    assert current.outcome == "up_to_date" and current.details["source"] == "live"
    old = await run_check(
        AppVersionCheck(), version_context(tmp_path, url, platform="ios", version="40.9.1")
    )
    assert old.outcome == "outdated" and "the latest is 41.2.0" in old.summary
    assert old.details["source"] == "cache"
    assert old.details["update_available_days"] >= 0


async def test_ios_offline_without_cache_falls_back_to_the_snapshot(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{dead_port()}/lookup"
    result = await run_check(
        AppVersionCheck(), version_context(tmp_path, url, platform="ios", version="40.0.0")
    )
    assert result.outcome == "unknown_latest"
    assert "2024-11-15" in result.summary and "lookup failed" in result.details["note"]
    # The list is too old to call anything up to date, but not to call 30.1.0 outdated.
    older = await run_check(
        AppVersionCheck(), version_context(tmp_path, url, platform="ios", version="30.1.0")
    )
    assert older.outcome == "outdated"
    assert "even our version list, from 2024-11-15" in older.summary
    # 37.5.0 is only the list's newest, not the latest: no "since the latest" figures.
    assert older.metrics == () and older.details["update_available_days"] is None


async def test_ios_offline_with_a_stale_cache_uses_it(tmp_path: Path, lookup) -> None:
    url = lookup.url("/lookup")
    await run_check(
        AppVersionCheck(), version_context(tmp_path, url, platform="ios", version="41.2.0")
    )
    ctx = version_context(
        tmp_path, f"http://127.0.0.1:{dead_port()}/lookup", platform="ios", version="41.0.0"
    )
    ctx.config = {**ctx.config, "cache_hours": 0.0}
    result = await run_check(AppVersionCheck(), ctx)
    assert result.outcome == "outdated" and result.details["source"] == "cache"


def todays_list(tmp_path: Path, latest: str, *older: str) -> Path:
    """A version list dated today whose Android latest is ``latest``; its history has
    ``latest`` and ``older`` when any are given (none: only the latest is known)."""
    today = time.strftime("%Y-%m-%d")
    history = [{"version": v} for v in (latest, *older)] if older else []
    snapshot = tmp_path / "versions.json"
    snapshot.write_text(
        json.dumps(
            {"updated": today, "android": {"latest": latest, "released": today}, "history": history}
        )
    )
    return snapshot


async def test_android_uses_the_snapshot_when_fresh(tmp_path: Path) -> None:
    snapshot = todays_list(tmp_path, "41.1.3", "41.0.0", "40.9.0")
    ctx = CheckContext(
        params={"platform": "android", "version": "40.8.0"},
        config={"snapshot": str(snapshot)},
        deadline=time.monotonic() + 5,
    )
    result = await run_check(AppVersionCheck(), ctx)
    assert result.outcome == "outdated" and result.details["releases_behind"] == 3
    stale = await run_check(
        AppVersionCheck(),
        CheckContext(
            params={"platform": "android", "version": "40.8.0"},
            deadline=time.monotonic() + 5,
        ),
    )
    assert stale.outcome == "unknown_latest" and "the list is out of date" in stale.summary
    behind_even_the_old_list = await run_check(
        AppVersionCheck(),
        CheckContext(
            params={"platform": "android", "version": "30.1.2"},
            deadline=time.monotonic() + 5,
        ),
    )
    assert behind_even_the_old_list.outcome == "outdated"
    assert "even our version list" in behind_even_the_old_list.summary


@pytest.mark.parametrize("version", ["37", "latest", "37.5", "a.b.c", ""])
async def test_invalid_versions(tmp_path: Path, version: str) -> None:
    result = await run_check(
        AppVersionCheck(),
        version_context(tmp_path, "http://127.0.0.1:9/", platform="ios", version=version),
    )
    assert result.outcome == "invalid_version"


def test_cli(wizard_cli, tmp_path: Path, account, lookup) -> None:
    path = write_export(account, tmp_path / "a.zip", "json-new")
    result = wizard_cli("check", "data_export", "--param", f"export={path}", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["outcome"] == "summary"
    version = wizard_cli(
        "check",
        "app_version",
        "--param",
        "platform=ios",
        "--param",
        "version=41.2.0",
        "--set",
        f"app_version.lookup_url={lookup.url('/lookup')}",
        "--json",
    )
    assert json.loads(version.out)["outcome"] == "up_to_date"
    refreshed = tmp_path / "versions.json"
    ok = wizard_cli(
        "refresh-versions",
        "-o",
        str(refreshed),
        "--set",
        f"app_version.lookup_url={lookup.url('/lookup')}",
    )
    assert ok.code == 0, ok.err
    assert json.loads(refreshed.read_text())["ios"]["latest"] == "41.2.0"


async def test_only_the_latest_known_says_major_versions_not_one_release(tmp_path: Path) -> None:
    """30.1.0 against 37.5.0 with no release history is not "1 release behind"."""
    snapshot = todays_list(tmp_path, "37.5.0")
    ctx = CheckContext(
        params={"platform": "android", "version": "30.1.0"},
        config={"snapshot": str(snapshot)},
        deadline=time.monotonic() + 5,
    )
    result = await run_check(AppVersionCheck(), ctx)
    assert result.outcome == "outdated" and result.details["releases_behind"] is None
    assert "7 major versions behind" in result.summary and "1 releases" not in result.summary
    labels = [m.label for m in result.metrics]
    assert labels == ["days since the latest came out"]


def test_the_snapshot_setting_names_the_list_to_read_and_refresh(
    wizard_cli, tmp_path: Path, lookup
) -> None:
    """``app_version.snapshot`` points the check, and ``refresh-versions``, at another list."""
    snapshot = todays_list(tmp_path, "41.1.3", "41.0.0")
    setting = f"app_version.snapshot={snapshot}"
    checked = wizard_cli(
        "check",
        "app_version",
        "--param",
        "platform=android",
        "--param",
        "version=40.8.0",
        "--set",
        setting,
        "--json",
    )
    result = json.loads(checked.out)
    assert result["outcome"] == "outdated" and result["details"]["releases_behind"] == 2
    refreshed = wizard_cli(
        "refresh-versions",
        "--set",
        setting,
        "--set",
        f"app_version.lookup_url={lookup.url('/lookup')}",
    )
    assert refreshed.code == 0, refreshed.err
    assert str(snapshot) in refreshed.out
    assert json.loads(snapshot.read_text())["ios"]["latest"] == "41.2.0"


def dated_list(tmp_path: Path, days_old: int, latest: str, *history: str) -> Path:
    """A version list made ``days_old`` days ago, whose newest version (both platforms)
    came out the day before; ``history`` lists the releases it knows."""
    made = datetime.now(UTC).date() - timedelta(days=days_old)
    entry = {"latest": latest, "released": (made - timedelta(days=1)).isoformat()}
    path = tmp_path / f"versions-{days_old}.json"
    path.write_text(
        json.dumps(
            {
                "updated": made.isoformat(),
                "ios": entry,
                "android": entry,
                "history": [{"version": v} for v in history],
            }
        )
    )
    return path


def check_version(wizard_cli, platform: str, version: str, *sets: str, data: Path) -> dict:
    args = ["check", "app_version", "--param", f"platform={platform}"]
    args += ["--param", f"version={version}", "--json"]
    for item in sets:
        args += ["--set", item]
    done = wizard_cli(*args, env={"WIZARD_DATA_DIR": str(data)})
    assert done.out, done.err
    return json.loads(done.out)


def test_every_figure_comes_from_the_source_of_the_latest(
    wizard_cli, tmp_path: Path, lookup
) -> None:
    """The lookup's 41.2.0 is counted in its own days, not the old list's; the old list's
    history does not reach 41.2.0, so no release count is made from it; and when only the
    old list is left, its newest version gets no "since the latest" figure at all."""
    old_list = dated_list(tmp_path, 400, "37.5.0", "37.5.0", "37.4.0", "37.3.0")
    snapshot = f"app_version.snapshot={old_list}"
    live = check_version(
        wizard_cli,
        "ios",
        "37.3.0",
        snapshot,
        f"app_version.lookup_url={lookup.url('/lookup')}",
        data=tmp_path / "online",
    )
    released = date.fromisoformat(LOOKUP["results"][0]["currentVersionReleaseDate"][:10])
    days = (datetime.now(UTC).date() - released).days
    assert live["outcome"] == "outdated" and live["details"]["latest"] == "41.2.0"
    assert live["details"]["releases_behind"] is None
    assert [(m["label"], m["value"]) for m in live["metrics"]] == [
        ("days since the latest came out", days)
    ]
    assert f"41.2.0 came out {days} days ago" in live["summary"]
    offline = check_version(
        wizard_cli,
        "ios",
        "30.1.0",
        snapshot,
        f"app_version.lookup_url=http://127.0.0.1:{dead_port()}/lookup",
        data=tmp_path / "offline",
    )
    assert offline["outcome"] == "outdated" and offline["metrics"] == []
    assert offline["details"]["latest"] is None
    assert offline["details"]["list_newest"]["version"] == "37.5.0"
    assert "400 days ago" in offline["summary"] and "latest is 37.5.0" not in offline["summary"]
    assert "We could not check with the App Store" in offline["summary"]


def test_a_version_newer_than_the_list_says_the_list_is_behind(wizard_cli, tmp_path: Path) -> None:
    """Newer than the list's newest: the list is out of date, the user neither up to date
    (we cannot know) nor wrong; an old list is never called "the latest"."""
    shipped = json.loads(SHIPPED_SNAPSHOT.read_text())
    age = (datetime.now(UTC).date() - date.fromisoformat(shipped["updated"])).days
    android = check_version(wizard_cli, "android", "41.2.0", data=tmp_path / "d")
    assert android["outcome"] == "unknown_latest"
    assert (
        f"newer than the newest version on our list ({shipped['android']['latest']})"
        in android["summary"]
    )
    assert f"from {shipped['updated']}, {age} days ago" in android["summary"]
    assert "up to date" not in android["summary"]
    ios = check_version(
        wizard_cli,
        "ios",
        "41.0.0",
        f"app_version.lookup_url=http://127.0.0.1:{dead_port()}/lookup",
        data=tmp_path / "d",
    )
    assert ios["outcome"] == "unknown_latest" and "is the latest" not in ios["summary"]
    assert "newer than the newest version on our list" in ios["summary"]
    fresh = dated_list(tmp_path, 3, "41.1.3", "41.1.3", "41.0.0")
    ahead = check_version(
        wizard_cli, "android", "41.2.0", f"app_version.snapshot={fresh}", data=tmp_path / "d"
    )
    assert ahead["outcome"] == "unknown_latest" and "3 days ago" in ahead["summary"]
    same = dated_list(tmp_path, 90, "41.1.3")
    level = check_version(
        wizard_cli, "android", "41.1.3", f"app_version.snapshot={same}", data=tmp_path / "d"
    )
    assert level["outcome"] == "unknown_latest"
    assert "90 days ago: too old to tell" in level["summary"]
    assert "is the latest" not in level["summary"]
