"""Finding the sections we need in any of the export's known layouts.

TikTok has changed its export more than once: the JSON file is ``user_data.json`` or
``user_data_tiktok.json``; its sections hang under ``Activity``, ``Your Activity``,
``Likes and Favorites``, ``Profile And Settings``, ``Video`` or ``Post``; keys are
``Date``/``Link`` in old exports and ``date``/``link`` in new ones. So we do not follow one
path: we look for each section's pair of keys (``Like List`` → ``ItemFavoriteList``,
``Follower`` or ``Follower List`` → ``FansList``, …) anywhere near the top, ignoring case
and spaces, and say which sections were not there.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePath
from typing import Any

from checks.export.model import Account, ExportData, ExportError, Like, Video

MAX_DEPTH = 5
# (names of the section's mapping, names of the list inside it)
JSON_SECTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "likes": (frozenset({"likelist", "likes"}), frozenset({"itemfavoritelist"})),
    "followers": (frozenset({"followerlist", "follower", "followers"}), frozenset({"fanslist"})),
    "following": (frozenset({"followinglist", "following"}), frozenset({"following"})),
    "videos": (frozenset({"videos", "posts", "video", "post"}), frozenset({"videolist"})),
    "status": (frozenset({"status", "statuslist"}), frozenset({"statuslist"})),
}
TXT_SECTIONS: dict[str, frozenset[str]] = {
    "likes": frozenset({"likelist", "likes", "likedvideos"}),
    "followers": frozenset({"followerlist", "follower", "followers"}),
    "following": frozenset({"followinglist", "following"}),
    "videos": frozenset({"videos", "video", "posts", "post", "videolist"}),
    "status": frozenset({"status", "statuslist"}),
}


def norm(key: str) -> str:
    """``"Item Favorite List"`` → ``"itemfavoritelist"``: compare keys this way."""
    return re.sub(r"[\s_\-()]", "", key).lower()


def _key_for(items: list[Any], *names: str) -> str | None:
    """The actual key (any case or spacing) that ``names`` go by in these items.

    Resolved once per list from its first items, not per item: exports hold hundreds of
    thousands of records, all with the same keys.
    """
    for item in items[:20]:
        if isinstance(item, Mapping):
            for key in item:
                if norm(str(key)) in names:
                    return str(key)
    return None


def _count(text: str) -> int | None:
    digits = re.sub(r"[^\d]", "", text)
    return int(digits) if digits else None


def _near_top(data: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) of the mappings within MAX_DEPTH of the top, breadth first."""
    queue: deque[tuple[Any, int]] = deque([(data, 0)])
    while queue:
        node, depth = queue.popleft()
        if not isinstance(node, Mapping) or depth > MAX_DEPTH:
            continue
        for key, value in node.items():
            yield str(key), value
            if isinstance(value, Mapping):
                queue.append((value, depth + 1))


def _find_list(data: Any, parents: frozenset[str], children: frozenset[str]) -> list[Any] | None:
    for key, value in _near_top(data):
        if norm(key) not in parents:
            continue
        if isinstance(value, Mapping):
            for inner_key, inner in value.items():
                if norm(str(inner_key)) in children and isinstance(inner, list):
                    return inner
        elif isinstance(value, list) and norm(key) in children:
            return value
    return None


def privacy_word(key: str, value: object) -> str | None:
    """``public``/``private`` for a liked-videos setting's value, or None if it says neither.

    A key about *private* liked videos turns the meaning of on/off around.
    """
    text = str(value).strip().lower()
    inverted = "private" in norm(key)
    if "only me" in text or text in ("onlyme", "private", "myself"):
        return "private"
    if "everyone" in text or text == "public":
        return "public"
    if text in ("on", "true", "yes", "enabled"):
        return "private" if inverted else "public"
    if text in ("off", "false", "no", "disabled"):
        return "public" if inverted else "private"
    return None


def _privacy(data: Any) -> str | None:
    """Who can see liked videos, where the export's settings say (else None)."""
    for key, value in _near_top(data):
        if "liked" in norm(key) and isinstance(value, str | bool):
            word = privacy_word(key, value)
            if word is not None:
                return word
    return None


def _scalar(value: object) -> str:
    if value is None or isinstance(value, list | dict):
        return ""
    return str(value)


def _fill(export: ExportData, section: str, raw: list[Any]) -> None:
    # Comprehensions with the keys resolved up front: these lists run to 10^5 records.
    export.found.add(section)
    items = [i for i in raw if isinstance(i, dict)]
    if any(not isinstance(v, str) for i in items[:50] for v in i.values()):
        # Not the plain strings of a real export: make every value a string first. A list
        # or mapping is no date, link or name (and one nested deep cannot be printed).
        items = [{k: _scalar(v) for k, v in i.items()} for i in items]
    date = _key_for(items, "date")
    if section == "likes":
        link = _key_for(items, "link", "videolink", "url")
        export.likes = [Like(i.get(link) or "", i.get(date) or "") for i in items]
    elif section in ("followers", "following"):
        name = _key_for(items, "username", "uniqueid", "name")
        accounts = [Account(i.get(name) or "", i.get(date) or "") for i in items]
        setattr(export, section, accounts)
    elif section == "videos":
        link = _key_for(items, "link", "videolink", "url")
        likes = _key_for(items, "likes", "like", "likecount")
        export.videos = [
            Video(str(i.get(link) or ""), str(i.get(date) or ""), _count(str(i.get(likes) or "")))
            for i in items
        ]
    elif section == "status":
        version = _key_for(items, "appversion")
        export.app_versions = sorted({str(i.get(version) or "").strip() for i in items} - {""})


def from_json(data: Any, source: str) -> ExportData:
    """The sections of a JSON export."""
    if not isinstance(data, Mapping):
        raise ExportError(
            f"{source} is not a TikTok export (its JSON is not an object of sections)"
        )
    export = ExportData(source=source, layout="json")
    for section, (parents, children) in JSON_SECTIONS.items():
        items = _find_list(data, parents, children)
        if items is not None:
            _fill(export, section, items)
    export.liked_privacy = _privacy(data)
    if not export.found:
        raise ExportError(
            f"{source} has none of the sections of a TikTok export (likes, followers, "
            "following, posts): is it an export of something else?"
        )
    return export


def wanted_txt(name: str) -> bool:
    """Whether a text file of this name holds a section (or the settings) we read."""
    stem = norm(PurePath(name).stem)
    return "setting" in stem or any(stem in names for names in TXT_SECTIONS.values())


def _records(lines: Iterable[str]) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            if current:
                records.append(current)
                current = {}
            continue
        key, sep, value = line.partition(":")
        if sep:
            current[key.strip()] = value.strip()
    if current:
        records.append(current)
    return records


def from_txt_files(texts: Mapping[str, Iterable[str]], source: str) -> ExportData:
    """The sections of a TXT export: one file per section, records separated by blank lines.

    ``texts`` maps each file's name to its lines, which are read only if the file is one
    of the sections (so they can come lazily, one file at a time, from a zip or a folder).
    """
    export = ExportData(source=source, layout="txt")
    for name, lines in texts.items():
        stem = norm(PurePath(name).stem)
        section = next((s for s, names in TXT_SECTIONS.items() if stem in names), None)
        if section is not None:
            if section not in export.found:
                _fill(export, section, _records(lines))
        elif "setting" in stem and export.liked_privacy is None:
            merged = {k: v for r in _records(lines) for k, v in r.items()}
            export.liked_privacy = _privacy(merged)
    if not export.found:
        raise ExportError(
            f"none of the text files of {source} is a section of a TikTok export "
            "(Like List, Follower, Following, Videos)"
        )
    return export
