"""Reading a content file into plain data, remembering where its values stood.

A file is read by the fast reader of plain YAML (:mod:`wizard.content.plainyaml`) when
it can, else by the full one (:mod:`wizard.content.fullyaml`), which is also the one that
reports errors. Both bound nesting depth, size and values, refuse duplicate keys and
make only plain data: no tags, no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.content.errors import ContentError
from wizard.content.plainyaml import read_plain

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 400_000
"""Values built in all: far more than the largest real guide."""
MAX_ALIAS_VALUES = 20_000
"""Values built by replaying aliases: an alias bomb reaches this at once."""

Key = str | int
PathKey = tuple[Key, ...]


def format_path(path: PathKey) -> str:
    """``("nodes", "start", "options", 0)`` as ``nodes.start.options[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass(slots=True)
class Document:
    """A content file's data and where each value stood in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    text: str | None = None
    """Set while ``lines`` holds only the top levels: the text to find the others in."""

    def line(self, path: PathKey) -> int:
        """The line of the value at ``path``, or of its nearest ancestor that has one."""
        if self.text is not None and path not in self.lines:
            from wizard.content.fullyaml import read_full

            self.lines = read_full(self.text, self.file).lines
            self.text = None
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: PathKey, message: str) -> ContentError:
        """A :class:`ContentError` located at ``path``."""
        return ContentError(self.file, self.line(path), format_path(path) if path else "", message)


def read_document(path: Path) -> Document:
    """Read and parse one content file; raise :class:`ContentError` on any problem."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ContentError(name, 0, "", f"cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise ContentError(
            name,
            1,
            "",
            f"the file is {size / 1e6:.1f} MB; content files may be at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(name, 0, "", f"cannot read the file: {exc.strerror or exc}") from None
    return parse_document(raw, name)


def parse_document(raw: bytes, name: str) -> Document:
    """Parse the bytes of a content file named ``name``."""
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(name, 1, "", "the file is too large for a content file")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise ContentError(name, line, "", "this is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            name,
            line,
            "",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    fast = read_plain(text, MAX_DEPTH, MAX_VALUES)
    if fast is not None:
        return Document(name, fast[0], fast[1], text)
    from wizard.content.fullyaml import read_full

    return read_full(text, name)
