"""The database file itself: why SQLite failed in words, and moving a damaged file aside.

Pure file handling, no SQL: which errors mean the file cannot be *read* (damaged) and which
mean it only cannot be *written* (read-only, full disk, locked), a lock file beside the
database so that one process at a time moves a damaged one aside, and a moved-aside name
that never replaces anything.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 11, 13, 26
SIDE_FILES = ("-wal", "-shm")


def error_code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of ``exc`` (0 when it has none)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says the file cannot be read as a database (not merely written)."""
    return error_code(exc) in (_CORRUPT, _NOTADB)


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether another connection holds a lock on the database."""
    return error_code(exc) in (_BUSY, _LOCKED)


def why_unwritable(path: Path, exc: sqlite3.Error | OSError) -> str:
    """Why ``path`` (a database) cannot be written, in words for the user."""
    folder = path.parent
    code = error_code(exc) if isinstance(exc, sqlite3.Error) else 0
    try:
        fs = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        fs = None
    if (fs is not None and fs.f_flag & os.ST_RDONLY) or getattr(exc, "errno", 0) == errno.EROFS:
        return f"the data folder {folder} is on a read-only file system"
    if code == _FULL or getattr(exc, "errno", 0) == errno.ENOSPC or (fs and fs.f_bavail == 0):
        return f"the disk that holds the data folder {folder} is full"
    if isinstance(exc, sqlite3.Error) and is_busy(exc):
        return f"{path} is locked by another program"
    if not os.access(folder, os.W_OK) or "READONLY_DIRECTORY" in _name(exc):
        return f"the data folder {folder} is read-only"
    if code == _READONLY or (path.exists() and not os.access(path, os.W_OK)):
        return f"{path} is read-only"
    return f"{path} cannot be written ({exc})"


def _name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock file beside ``path`` (``wizard.db.lock``) for a block, waiting for it.

    The file is left in place: removing a lock file lets two processes hold two of them.
    """
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        while True:  # LK_LOCK gives up after ten tries of a second each
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError as exc:
                if exc.errno != errno.EDEADLK:
                    raise
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def move_aside(path: Path) -> Path:
    """Rename ``path`` and its -wal and -shm to ``<name>.corrupt-<time>-<pid>[-n]``; the new name.

    The side files go first, so that a database started in the old place never picks up the
    damaged one's log. Each new name is claimed with O_EXCL before the rename, so nothing that
    already exists is ever replaced, whatever the clock says.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    for n in count():
        stem = f"{path.name}.corrupt-{stamp}-{os.getpid()}" + (f"-{n}" if n else "")
        names = _claim([path.with_name(stem + suffix) for suffix in ("", *SIDE_FILES)])
        if names:
            break
    main, *sides = names
    unused = list(names)  # placeholders not yet replaced by a moved file
    try:
        for suffix, side in zip(SIDE_FILES, sides, strict=True):
            source = Path(f"{path}{suffix}")
            if source.exists():
                source.replace(side)
            else:
                side.unlink()
            unused.remove(side)
        path.replace(main)
    except OSError:
        for name in unused:
            name.unlink(missing_ok=True)
        raise
    return main


def _claim(names: list[Path]) -> list[Path]:
    """Create every name in ``names`` exclusively, or none of them (an empty list)."""
    claimed: list[Path] = []
    try:
        for name in names:
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            claimed.append(name)
    except FileExistsError:
        for name in claimed:
            name.unlink()
        return []
    return claimed
