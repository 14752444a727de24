"""Reading an export from a .zip, a folder or a single file, within firm limits.

Only regular files are opened (never a FIFO, a device or a socket), and in a folder
export only files that really are inside that folder. Every byte read counts against one
limit for the whole export. A zip is checked before anything is unpacked: the number of
members, the total unpacked size, and the compression ratio of each member and of the
archive as a whole (a zip bomb fails them). Only the files that hold a section are read,
the text ones line by line.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from checks.export.files import (
    HINT,
    MB,
    Budget,
    inside,
    lines_capped,
    open_regular,
    read_capped,
    unreadable,
    walk,
)
from checks.export.layout import from_json, from_txt_files, wanted_txt
from checks.export.model import ExportData, ExportError

JSON_NAMES = ("user_data_tiktok.json", "user_data.json")
MAX_MEMBERS = 20_000
MAX_RATIO = 200
SMALL = 2**20
"""Below this, a member or an archive may be packed tightly without looking like a bomb."""


def read_export(path: Path, max_unpacked: int) -> ExportData:
    """Read the export at ``path`` (zip, folder, JSON file or TXT file).

    Refuses, with an :class:`ExportError` in words, anything that is not an export or
    that unpacks to more than ``max_unpacked`` bytes.
    """
    try:
        return _read(path, Budget(max_unpacked))
    except RecursionError:
        raise ExportError(f"{path} is nested too deeply to be a TikTok export") from None
    except OSError as exc:
        raise unreadable(path, exc) from None


def _read(path: Path, budget: Budget) -> ExportData:
    try:
        is_folder = stat.S_ISDIR(os.stat(path).st_mode)
    except FileNotFoundError:
        raise ExportError(f"{path} does not exist") from None
    except OSError as exc:
        raise unreadable(path, exc) from None
    if is_folder:
        return _from_folder(path, budget)
    with open_regular(path) as handle:
        budget.check(os.fstat(handle.fileno()).st_size, path)
        if zipfile.is_zipfile(handle):
            return _from_zip(path, handle, budget)
        handle.seek(0)
        return _from_file(path, handle, budget)


def _from_file(path: Path, handle: IO[bytes], budget: Budget) -> ExportData:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return from_json(_load_json(read_capped(handle, budget, path), path), str(path))
    if suffix == ".txt":
        return from_txt_files({path.name: lines_capped(handle, budget, path)}, str(path))
    if handle.read(4).startswith(b"PK"):
        raise ExportError(f"{path} looks like a damaged zip file; download the export again")
    raise ExportError(
        f"{path} is not a TikTok data export: expected a .zip, a folder, "
        "user_data_tiktok.json or the .txt files of the export"
    )


def _load_json(raw: bytes, name: Path | str) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:
        raise ExportError(
            f"{name} is nested too deeply to be a TikTok export (a real one is a few levels deep)"
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExportError(f"{name} is not valid JSON ({exc})") from None


def _open_inside(root: Path, file: Path) -> IO[bytes]:
    real = inside(root, file)
    if real is None:
        raise ExportError(
            f"{file} is a link to a file outside the export's folder, so it was not read; {HINT}"
        )
    return open_regular(real, follow=False, name=file)


def _file_lines(root: Path, file: Path, budget: Budget) -> Iterator[str]:
    with _open_inside(root, file) as handle:
        budget.check(os.fstat(handle.fileno()).st_size, file)
        yield from lines_capped(handle, budget, file)


def _from_folder(folder: Path, budget: Budget) -> ExportData:
    root = Path(os.path.realpath(folder))
    jsons: dict[str, list[Path]] = {}
    texts: list[Path] = []
    for file in walk(folder):
        lower = file.name.lower()
        if lower in JSON_NAMES:
            jsons.setdefault(lower, []).append(file)
        elif lower.endswith(".txt") and wanted_txt(file.name):
            texts.append(file)
    for name in JSON_NAMES:
        if name in jsons:
            found = min(jsons[name])
            with _open_inside(root, found) as handle:
                budget.check(os.fstat(handle.fileno()).st_size, found)
                raw = read_capped(handle, budget, found)
            return from_json(_load_json(raw, found), str(folder))
    if not texts:
        raise ExportError(
            f"{folder} holds no TikTok export (no user_data_tiktok.json and no .txt files "
            "of its sections)"
        )
    lines = {str(f.relative_to(folder)): _file_lines(root, f, budget) for f in sorted(texts)}
    return from_txt_files(lines, str(folder))


def _safe_members(
    archive: zipfile.ZipFile, path: Path, size: int, budget: Budget
) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ExportError(f"{path} has {len(members):,} files; a TikTok export has far fewer")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > SMALL and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ExportError(
                f"{path}: {info.filename} unpacks "
                f"{info.file_size / max(info.compress_size, 1):,.0f}× larger than it is packed: "
                "this looks like a zip bomb, not an export"
            )
    archive_size = max(size, 1)
    if total > SMALL and total > MAX_RATIO * archive_size:
        raise ExportError(
            f"{path} unpacks to {total / MB:,.0f} MB from {archive_size / MB:,.1f} MB, "
            f"{total / archive_size:,.0f}× larger than it is packed: this looks like a zip bomb, "
            "not an export"
        )
    budget.check(total, path, verb="unpacks to")
    return members


def _member_lines(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, name: str
) -> Iterator[str]:
    with archive.open(info) as handle:
        yield from lines_capped(handle, budget, name)


def _from_zip(path: Path, handle: IO[bytes], budget: Budget) -> ExportData:
    try:
        with zipfile.ZipFile(handle) as archive:
            size = os.fstat(handle.fileno()).st_size
            members = [m for m in _safe_members(archive, path, size, budget) if not m.is_dir()]
            by_name = {PurePosixPath(m.filename).name.lower(): m for m in members}
            for name in JSON_NAMES:
                if name in by_name:
                    where = f"{path}: {by_name[name].filename}"
                    with archive.open(by_name[name]) as member:
                        raw = read_capped(member, budget, where)
                    return from_json(_load_json(raw, where), str(path))
            texts = {
                m.filename: _member_lines(archive, m, budget, f"{path}: {m.filename}")
                for m in members
                if m.filename.lower().endswith(".txt") and wanted_txt(m.filename)
            }
            if not texts:
                raise ExportError(
                    f"{path} is a zip, but not a TikTok export: it has no user_data_tiktok.json "
                    "and no .txt sections"
                )
            return from_txt_files(texts, str(path))
    except zipfile.BadZipFile as exc:
        raise ExportError(f"{path} is a damaged zip file ({exc})") from None
    except (OSError, RuntimeError, NotImplementedError, EOFError, zlib.error) as exc:
        if isinstance(exc, RecursionError):
            raise
        raise ExportError(f"{path} could not be unpacked ({exc})") from None
