"""Writes realistic TikTok data exports of any size, in every known layout.

Everything is invented: user names from syllables, video ids from a seeded random source.
Each export also carries the private things a real one has (device identifiers, login
IP addresses) so that tests can prove they are never shown.

    python -m tests.exportgen OUT.zip --layout json-new --likes 200000 --following 20000
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

LAYOUTS = ("json-new", "json-old", "txt")
SYLLABLES = [
    "ka",
    "mi",
    "to",
    "ra",
    "ne",
    "lo",
    "vi",
    "su",
    "be",
    "do",
    "ya",
    "zu",
    "fi",
    "po",
    "le",
]
DEVICE_IDS = {
    "IDFA": "6D92078A-8246-4BA4-AE5B-76104861E7DC",
    "GAID": "38400000-8cf0-11bd-b23e-10b96e40000d",
    "Android ID": "9774d56d682e549c",
    "IDFV": "E621E1F8-C36C-495A-93FC-0C247A3E6E5F",
    "Web ID": "7301234567890123456",
}
LOGIN_IP = "203.0.113.77"


@dataclass
class Account:
    """An invented account's export contents."""

    likes: list[tuple[str, str]] = field(default_factory=list)
    followers: list[tuple[str, str]] = field(default_factory=list)
    following: list[tuple[str, str]] = field(default_factory=list)
    videos: list[tuple[str, str, int]] = field(default_factory=list)
    app_version: str = "37.5.4"
    liked_private: bool | None = None


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) + str(
        rng.randint(1, 9999)
    )


def _date(rng: random.Random, start: datetime) -> str:
    return (start + timedelta(seconds=rng.randint(0, 3 * 365 * 86400))).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def make_account(
    likes: int = 500,
    followers: int = 120,
    following: int = 150,
    videos: int = 30,
    seed: int = 1,
    mutual: float = 0.6,
) -> Account:
    """An account with the given counts; ``mutual`` of the followed accounts follow back."""
    rng = random.Random(seed)
    start = datetime(2021, 1, 1)
    like_ids = rng.sample(range(7_000_000_000_000_000_000, 7_400_000_000_000_000_000), likes)
    acc = Account()
    acc.likes = sorted(
        ((_date(rng, start), f"https://www.tiktokv.com/share/video/{vid}/") for vid in like_ids),
        reverse=True,
    )
    names = list({_name(rng) for _ in range(int((following + followers) * 1.2) + 10)})
    rng.shuffle(names)
    acc.following = [(_date(rng, start), n) for n in names[:following]]
    both = int(following * mutual)
    fans = names[:both] + names[following : following + max(0, followers - both)]
    acc.followers = [(_date(rng, start), n) for n in fans[:followers]]
    acc.videos = [
        (
            _date(rng, start),
            f"https://www.tiktokv.com/share/video/{7_500_000_000_000_000_000 + i}/",
            rng.randint(0, 50_000),
        )
        for i in range(videos)
    ]
    acc.liked_private = rng.random() < 0.5
    return acc


def later(
    acc: Account, *, unliked: int = 0, video_drops: int = 0, liked: int = 0, seed: int = 2
) -> Account:
    """The same account some time later: ``unliked`` likes gone, ``video_drops`` posts lost
    likes, and ``liked`` new likes from the days after its newest entry."""
    rng = random.Random(seed)
    gone = set(rng.sample(range(len(acc.likes)), unliked)) if unliked else set()
    dates = [d for d, *_ in (*acc.likes, *acc.followers, *acc.following, *acc.videos)]
    newest = datetime.strptime(max(dates), "%Y-%m-%d %H:%M:%S") if dates else datetime(2024, 1, 1)
    fresh = sorted(
        (
            (newest + timedelta(days=3, seconds=rng.randint(0, 7 * 86400))).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            f"https://www.tiktokv.com/share/video/{7_450_000_000_000_000_000 + i}/",
        )
        for i in range(liked)
    )[::-1]
    videos = list(acc.videos)
    for index in rng.sample(range(len(videos)), video_drops) if video_drops else []:
        date, link, count = videos[index]
        videos[index] = (date, link, max(0, count - rng.randint(1, max(1, count // 3))))
    kept = [x for i, x in enumerate(acc.likes) if i not in gone]
    return replace(acc, likes=fresh + kept, videos=videos)


def _json(acc: Account, layout: str) -> tuple[str, dict[str, Any]]:
    old = layout == "json-old"
    date_key, link_key = ("Date", "Link") if old else ("date", "link")
    likes = {"ItemFavoriteList": [{date_key: d, link_key: link} for d, link in acc.likes]}
    fans = {"FansList": [{"Date": d, "UserName": n} for d, n in acc.followers]}
    follows = {"Following": [{"Date": d, "UserName": n} for d, n in acc.following]}
    posts = {"VideoList": [{"Date": d, "Link": link, "Likes": str(c)} for d, link, c in acc.videos]}
    status = {
        "Status List": [{"Resolution": "1170x2532", "App Version": acc.app_version, **DEVICE_IDS}]
    }
    logins = {
        "LoginHistoryList": [
            {"Date": "2024-05-01 10:00:00", "IP": LOGIN_IP, "DeviceModel": "iPhone14,5"}
        ]
    }
    settings = {
        "Settings": {"SettingsMap": {"Private Liked Videos": "On" if acc.liked_private else "Off"}}
    }
    if old:
        return "user_data.json", {
            "Activity": {
                "Like List": likes,
                "Follower List": fans,
                "Following List": follows,
                "Status": status,
                "Login History": logins,
            },
            "Video": {"Videos": posts},
            "App Settings": settings,
        }
    return "user_data_tiktok.json", {
        "Your Activity": {
            "Follower": fans,
            "Following": follows,
            "Status": status,
            "Login History": logins,
        },
        "Likes and Favorites": {"Like List": likes},
        "Post": {"Posts": posts},
        "App Settings": settings,
    }


def _txt(acc: Account) -> dict[str, str]:
    def block(rows: list[dict[str, str]]) -> str:
        return "\n\n".join("\n".join(f"{k}: {v}" for k, v in row.items()) for row in rows) + "\n"

    return {
        "Activity/Like List.txt": block([{"Date": d, "Link": link} for d, link in acc.likes]),
        "Activity/Follower List.txt": block([{"Date": d, "Username": n} for d, n in acc.followers]),
        "Activity/Following List.txt": block(
            [{"Date": d, "Username": n} for d, n in acc.following]
        ),
        "Activity/Status.txt": block([{"App Version": acc.app_version, **DEVICE_IDS}]),
        "Activity/Login History.txt": block([{"Date": "2024-05-01 10:00:00", "IP": LOGIN_IP}]),
        "Video/Videos.txt": block(
            [{"Date": d, "Link": link, "Likes": str(c)} for d, link, c in acc.videos]
        ),
    }


def write_export(acc: Account, path: Path, layout: str = "json-new", zipped: bool = True) -> Path:
    """Write ``acc`` as an export at ``path`` (a .zip, or a folder when not zipped)."""
    if layout == "txt":
        files = _txt(acc)
    else:
        name, data = _json(acc, layout)
        files = {name: json.dumps(data, indent=2)}
    if zipped:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        for name, text in files.items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    return path


def write_repeated_zip(path: Path, names: list[str], member: bytes) -> Path:
    """A zip whose members all hold ``member``, packed once and written as often as needed.

    Builds the zip by hand, so that a zip of thousands of tightly packed members (the
    shape of a zip bomb) takes milliseconds, not the time to compress each one.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(member) + packer.flush()
    crc = zlib.crc32(member)
    central = bytearray()
    with path.open("wb") as out:
        for name in names:
            raw = name.encode()
            offset = out.tell()
            # method (deflate), time, date (1980-01-01), crc, sizes, name length
            common = (8, 0, 0x21, crc, len(packed), len(member), len(raw))
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *common, 0))
            out.write(raw + packed)
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *common, 0, 0, 0, 0, 0, offset
            )
            central += raw
        start = out.tell()
        out.write(central)
        out.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names), len(central), start, 0
            )
        )
    return path


def main() -> None:
    """Write one export from the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--layout", choices=LAYOUTS, default="json-new")
    parser.add_argument("--likes", type=int, default=500)
    parser.add_argument("--followers", type=int, default=120)
    parser.add_argument("--following", type=int, default=150)
    parser.add_argument("--videos", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", action="store_true", help="write a folder instead of a zip")
    args = parser.parse_args()
    acc = make_account(args.likes, args.followers, args.following, args.videos, args.seed)
    write_export(acc, args.out, args.layout, zipped=not args.folder)


if __name__ == "__main__":
    main()
