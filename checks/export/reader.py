"""Reading an export from a .zip, a folder or a single file, within firm limits.

A zip is checked before anything is unpacked: the number of members, the total unpacked
size and each member's compression ratio (a zip bomb fails all three). Only ``.json`` and
``.txt`` members are read, one at a time, and never more than their declared size.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from checks.export.layout import from_json, from_txt_files
from checks.export.model import ExportData, ExportError

JSON_NAMES = ("user_data_tiktok.json", "user_data.json")
MAX_MEMBERS = 20_000
MAX_RATIO = 200
MAX_MEMBER_BYTES = 1024 * 1024 * 1024


def read_export(path: Path, max_unpacked: int) -> ExportData:
    """Read the export at ``path`` (zip, folder, JSON file or TXT file)."""
    if not path.exists():
        raise ExportError(f"{path} does not exist")
    if path.is_dir():
        return _from_folder(path, max_unpacked)
    if zipfile.is_zipfile(path):
        return _from_zip(path, max_unpacked)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return from_json(_load_json(path.read_bytes(), str(path)), str(path))
    if suffix == ".txt":
        return from_txt_files({path.name: _text(path.read_bytes())}, str(path))
    head = path.read_bytes()[:4]
    if head.startswith(b"PK"):
        raise ExportError(f"{path.name} looks like a damaged zip file; download the export again")
    raise ExportError(
        f"{path.name} is not a TikTok data export: expected a .zip, a folder, "
        "user_data_tiktok.json or the .txt files of the export"
    )


def _load_json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExportError(f"{name} is not valid JSON ({exc})") from None


def _text(raw: bytes) -> str:
    return raw.decode("utf-8-sig", errors="replace")


def _from_folder(folder: Path, max_unpacked: int) -> ExportData:
    for name in JSON_NAMES:
        found = next(iter(sorted(folder.rglob(name))), None)
        if found is not None:
            if found.stat().st_size > max_unpacked:
                raise ExportError(
                    f"{found.name} is larger than the limit of {max_unpacked // 2**20} MB"
                )
            return from_json(_load_json(found.read_bytes(), found.name), str(folder))
    texts = {}
    total = 0
    for file in sorted(folder.rglob("*.txt")):
        total += file.stat().st_size
        if total > max_unpacked:
            raise ExportError(f"the export's text files are larger than {max_unpacked // 2**20} MB")
        texts[str(file.relative_to(folder))] = _text(file.read_bytes())
    if not texts:
        raise ExportError(
            f"{folder} holds no TikTok export (no user_data_tiktok.json and no .txt files)"
        )
    return from_txt_files(texts, str(folder))


def _safe_members(archive: zipfile.ZipFile, max_unpacked: int) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ExportError(f"the zip has {len(members):,} files; a TikTok export has far fewer")
    total = 0
    for info in members:
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 2**20
        ):
            raise ExportError(
                f"{info.filename} unpacks {info.file_size / info.compress_size:.0f}× larger than it "
                "is packed: this looks like a zip bomb, not an export"
            )
    if total > max_unpacked:
        raise ExportError(
            f"the zip unpacks to {total / 2**20:.0f} MB, over the limit of {max_unpacked // 2**20} MB "
            "(a zip bomb, or not an export)"
        )
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(min(info.file_size, MAX_MEMBER_BYTES) + 1)
    if len(data) > info.file_size:
        raise ExportError(f"{info.filename} is larger than the zip says: the file is damaged")
    return data


def _from_zip(path: Path, max_unpacked: int) -> ExportData:
    try:
        with zipfile.ZipFile(path) as archive:
            members = _safe_members(archive, max_unpacked)
            by_name = {PurePosixPath(m.filename).name.lower(): m for m in members if not m.is_dir()}
            for name in JSON_NAMES:
                if name in by_name:
                    data = _load_json(_read_member(archive, by_name[name]), name)
                    return from_json(data, str(path))
            texts = {
                m.filename: _text(_read_member(archive, m))
                for m in members
                if m.filename.lower().endswith(".txt") and not m.is_dir()
            }
    except zipfile.BadZipFile as exc:
        raise ExportError(f"{path.name} is a damaged zip file ({exc})") from None
    except (OSError, RuntimeError, NotImplementedError) as exc:
        raise ExportError(f"{path.name} could not be unpacked ({exc})") from None
    if not texts:
        raise ExportError(
            f"{path.name} is a zip, but not a TikTok export: it has no user_data_tiktok.json "
            "and no .txt sections"
        )
    return from_txt_files(texts, str(path))
