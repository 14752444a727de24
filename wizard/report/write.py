"""Writing an export: all or nothing, and never over anything the user did not name.

The bytes go to a temporary file in the target's own folder, are flushed to disk, then
take the target's name: with ``os.link`` (which fails if the name exists, so a file that
appeared meanwhile is never overwritten) or, when replacing was asked for, ``os.replace``.
Only a regular file the user may write is ever replaced, and it keeps its mode; a new
file gets the mode the umask allows. The temporary file is removed on any failure,
Ctrl-C included.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from checks.api import file_kind
from wizard.report.formats import FORMAT_INFO as FORMATS

_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EOPNOTSUPP, errno.EMLINK)


class WriteError(Exception):
    """Why an export could not be written, in words.

    ``exists`` is set when the only problem is that the file is already there, so that a
    front end can say how to allow replacing it (``--force``, a checkbox).
    """

    def __init__(self, message: str, *, exists: bool = False) -> None:
        super().__init__(message)
        self.exists = exists


def _explain(exc: OSError, target: Path) -> WriteError:
    folder = target.parent
    if exc.errno == errno.ENOSPC:
        return WriteError(f"the disk is full: {target.name} could not be written to {folder}")
    if exc.errno == errno.EDQUOT:
        return WriteError(f"the disk quota is used up: {target.name} could not be written")
    if exc.errno == errno.EFBIG:
        return WriteError(f"{target.name} is larger than a file may be here; nothing was written")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteError(f"cannot write into {folder}: permission denied (is it read-only?)")
    if exc.errno == errno.ENOENT:
        return WriteError(f"the folder {folder} does not exist")
    if exc.errno == errno.ENOTDIR:
        return WriteError(f"{folder} is not a folder")
    if exc.errno == errno.ENAMETOOLONG:
        return WriteError(f"the name {target} is too long")
    return WriteError(f"could not write {target}: {exc.strerror or exc}")


def _check_folder(folder: Path) -> None:
    try:
        info = folder.stat()
    except FileNotFoundError:
        raise WriteError(f"the folder {folder} does not exist") from None
    except NotADirectoryError:
        raise WriteError(f"{folder} is not a folder: a part of it is a file") from None
    except OSError as exc:
        raise WriteError(f"cannot use the folder {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise WriteError(f"{folder} is a file, not a folder")


def _existing(target: Path, overwrite: bool) -> os.stat_result | None:
    """The file ``target`` names now, if any, after refusing what may not be replaced."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"cannot use {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(f"{target} is a folder; give a file name")
    if stat.S_ISLNK(info.st_mode):
        try:
            where = f" to {os.readlink(target)}"
        except OSError:
            where = ""
        raise WriteError(
            f"{target} is a symbolic link{where}; only a regular file is replaced, "
            "so name the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"{target} is {file_kind(info.st_mode)}, not a file; nothing was written")
    if not overwrite:
        raise WriteError(f"{target} already exists; nothing was replaced", exists=True)
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteError(f"{target} is read-only; nothing was replaced")
    return info


def _open_temporary(target: Path) -> tuple[int, Path]:
    # O_EXCL and O_NOFOLLOW: the name is new and ours; mode 0o666 lets the umask decide.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        tmp = target.with_name(f".{target.name[:64]}.{secrets.token_hex(4)}.part")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _fill(fd: int, data: bytes, like: os.stat_result | None) -> None:
    """Write ``data`` to the open temporary file and flush it to disk."""
    if like is not None:
        if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.fchown(fd, like.st_uid, like.st_gid)
        os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o777)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _place(tmp: Path, target: Path, replaced: os.stat_result | None) -> None:
    """Give the written temporary file the target's name."""
    if replaced is not None:
        try:
            now = target.lstat()
        except FileNotFoundError:
            now = None
        if now is not None:
            if (now.st_dev, now.st_ino) != (replaced.st_dev, replaced.st_ino):
                raise WriteError(f"{target} changed while writing; nothing was replaced")
            os.replace(tmp, target)
            return
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise WriteError(
            f"{target} appeared while writing; nothing was replaced", exists=True
        ) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    # No hard links on this file system: hold the name with an empty file of our own
    # (O_EXCL fails if anything has it), then rename over that placeholder.
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except FileExistsError:
        raise WriteError(
            f"{target} appeared while writing; nothing was replaced", exists=True
        ) from None
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(target: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``target`` in one step.

    An existing name is refused unless ``overwrite``; even then only a regular file the
    user may write is replaced (never a link, a device, a pipe or a read-only file), and it
    keeps its mode. An :class:`WriteError` says why nothing was written.
    """
    try:
        target = target.expanduser()
    except RuntimeError:
        raise WriteError(f"{target}: there is no such user's home folder") from None
    _check_folder(target.parent)
    replaced = _existing(target, overwrite)
    tmp: Path | None = None
    try:
        fd, tmp = _open_temporary(target)
        try:
            _fill(fd, data, replaced)
        finally:
            os.close(fd)
        _place(tmp, target, replaced)
    except OSError as exc:
        raise _explain(exc, target) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    _sync_folder(target.parent)
    return target


def format_of(name: str) -> str | None:
    """The export format a file name's extension names (``notes.TXT`` → ``txt``), if any."""
    suffix = Path(name).suffix.lower().removeprefix(".")
    if suffix in FORMATS:
        return suffix
    return next((f.key for f in FORMATS.values() if f.extension == suffix), None)


def export_target(typed: str, selected: str, stem: str = "report") -> tuple[str, Path]:
    """The format and file for a name the user typed: a known extension picks the format
    (``notes.md`` is Markdown whatever was selected); no extension gets ``selected``'s; a
    folder (one that is there, or a name ending in a slash) gets ``stem`` inside it."""
    path = Path(typed)
    with contextlib.suppress(RuntimeError):  # an unknown ~user is left for the writer to name
        path = path.expanduser()
    if typed.endswith(("/", os.sep)) or path.is_dir():
        return selected, path / f"{stem}.{FORMATS[selected].extension}"
    named = format_of(path.name)
    if named is not None:
        # The short text and the whole text share .txt: the one selected is kept.
        if FORMATS[named].extension == FORMATS[selected].extension:
            return selected, path
        return named, path
    if not path.suffix:
        return selected, path.with_name(f"{path.name}.{FORMATS[selected].extension}")
    return selected, path
