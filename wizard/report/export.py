"""Writing an export: all or nothing, and never over an existing file unless asked.

The bytes go to a temporary file in the target's own folder, are flushed to disk, then
take the target's name: with ``os.link`` (which fails if the name exists, so there is no
window in which a file that appeared meanwhile is overwritten) or, when overwriting was
asked for, ``os.replace``. A failure leaves no partial file behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from wizard.report.render import FORMATS


class ExportError(Exception):
    """Why an export could not be written, in words."""


def _explain(exc: OSError, target: Path) -> ExportError:
    folder = target.parent
    if exc.errno == errno.ENOSPC:
        return ExportError(f"the disk is full: {target.name} could not be written to {folder}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(f"cannot write into {folder}: permission denied (is it read-only?)")
    if exc.errno == errno.ENOENT:
        return ExportError(f"the folder {folder} does not exist")
    return ExportError(f"could not write {target}: {exc.strerror or exc}")


def write_atomic(target: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically; refuse to replace a file unless ``overwrite``."""
    target = target.expanduser()
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"the folder {folder} does not exist")
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")
    if target.exists() and not overwrite:
        raise ExportError(
            f"{target} already exists; choose another name or allow overwriting (--force)"
        )
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _explain(exc, target) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise ExportError(
                    f"{target} appeared while writing; nothing was overwritten"
                ) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EOPNOTSUPP):
                    raise
                # No hard links on this file system: fall back to a checked rename.
                if target.exists():
                    raise ExportError(f"{target} already exists; nothing was overwritten") from None
                os.replace(tmp, target)
    except OSError as exc:
        raise _explain(exc, target) from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def format_of(name: str) -> str | None:
    """The export format a file name's extension names (``notes.TXT`` → ``txt``), if any."""
    suffix = Path(name).suffix.lower().removeprefix(".")
    return suffix if suffix in FORMATS else None


def export_target(typed: str, selected: str) -> tuple[str, Path]:
    """The format and file for a name the user typed: a known extension picks the format
    (``notes.txt`` is plain text whatever was selected); no extension gets ``selected``'s."""
    path = Path(typed).expanduser()
    named = format_of(path.name)
    if named is not None:
        return named, path
    if not path.suffix:
        return selected, path.with_name(f"{path.name}.{selected}")
    return selected, path
