"""Opening the files of an export: regular files only, inside the export, within a budget.

A FIFO, a device or a socket is never opened (opening a FIFO waits for a writer, reading
``/dev/zero`` never ends), a link inside a folder export is followed only while it stays in
that folder, and every byte read is counted against one budget for the whole export.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from checks.api import file_kind
from checks.export.model import ExportError, ExportTooLarge

HINT = "give the .zip or folder TikTok sent"
MAX_ENTRIES = 20_000
"""Entries looked at in a folder export: TikTok's has a handful."""
MAX_DEPTH = 16
"""Folders below this depth of a folder export are not looked into."""
MB = 2**20


def not_a_file(path: Path | str, mode: int) -> ExportError:
    """The refusal of ``path``, which is a FIFO, a device or a socket."""
    return ExportError(f"{path} is {file_kind(mode)}, not a file; {HINT}")


def unreadable(path: Path | str, exc: OSError) -> ExportError:
    """The refusal of ``path``, which the system would not let us read."""
    return ExportError(f"{path} could not be read ({exc.strerror or exc})")


class Budget:
    """The bytes an export may still unpack to, shared by every file read from it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def check(self, size: int, name: Path | str, verb: str = "is") -> None:
        """Refuse ``name`` now if its ``size`` would exceed what is left of the budget."""
        if self.used + size > self.limit:
            raise too_large(name, self.used + size, self.limit, verb=verb)

    def take(self, size: int, name: Path | str) -> None:
        """Count ``size`` bytes read from ``name``; refuse once the budget is spent."""
        self.used += size
        if self.used > self.limit:
            raise too_large(name, self.used, self.limit, verb="unpacks to", at_least=True)


def too_large(
    name: Path | str, size: int, limit: int, *, verb: str = "is", at_least: bool = False
) -> ExportTooLarge:
    """The refusal of an export that is (or unpacks to) more than ``limit`` bytes."""
    amount = f"more than {limit / MB:,.0f} MB" if at_least else f"{size / MB:,.0f} MB"
    return ExportTooLarge(
        f"{name} {verb} {amount}, over the limit of {limit / MB:,.0f} MB; "
        "a TikTok export is far smaller"
    )


def open_regular(path: Path, *, follow: bool = True, name: Path | None = None) -> IO[bytes]:
    """Open ``path`` for reading if it is a regular file, else refuse it in words.

    The file is looked at before it is opened, and opened without blocking (so a FIFO
    swapped in between cannot hang us), then looked at again through the open handle.
    Refusals call the file ``name`` (the path as the user knows it), else ``path``.
    """
    shown = name or path
    try:
        info = os.stat(path, follow_symlinks=follow)
        if not stat.S_ISREG(info.st_mode):
            raise not_a_file(shown, info.st_mode)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0)
        if not follow:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ExportError(f"{shown} does not exist") from None
    except OSError as exc:
        raise unreadable(shown, exc) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise not_a_file(shown, opened.st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(handle: IO[bytes], budget: Budget, name: Path | str) -> bytes:
    """All of ``handle``, counted against ``budget``; never more than the budget allows."""
    data = handle.read(budget.limit - budget.used + 1)
    budget.take(len(data), name)
    return data


def lines_capped(handle: IO[bytes], budget: Budget, name: Path | str) -> Iterator[str]:
    """The text lines of ``handle`` one at a time, counted against ``budget``."""
    first = True
    while True:
        raw = handle.readline(budget.limit - budget.used + 1)
        if not raw:
            return
        budget.take(len(raw), name)
        if first:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            first = False
        yield from raw.decode("utf-8", errors="replace").splitlines()


def inside(root: Path, path: Path) -> Path | None:
    """Where ``path`` really is, if that is inside ``root`` (already resolved); else None."""
    real = Path(os.path.realpath(path))
    return real if real == root or root in real.parents else None


def walk(folder: Path) -> Iterator[Path]:
    """The files of a folder export, in a stable order, without following links to folders.

    Yields every entry that is not a folder (links, FIFOs included: the caller opens only
    the ones it wants, through :func:`open_regular`). Iterative, so a deep tree cannot
    exhaust the stack, and bounded, so a user's whole home folder is refused quickly.
    """
    seen = 0
    stack: list[tuple[Path, int]] = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            with os.scandir(current) as entries:
                found = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            raise unreadable(current, exc) from None
        seen += len(found)
        if seen > MAX_ENTRIES:
            raise ExportError(
                f"{folder} holds more than {MAX_ENTRIES:,} files; a TikTok export has far "
                f"fewer: {HINT}"
            )
        folders = []
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_DEPTH:
                    folders.append((Path(entry.path), depth + 1))
            else:
                yield Path(entry.path)
        stack.extend(reversed(folders))
