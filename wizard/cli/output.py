"""Standard output and standard error for the CLI: control characters escaped, write errors caught.

:func:`guarded_streams` puts a thin wrapper around both streams for one command. Text
written through it has its terminal control characters written out
(:func:`wizard.terminaltext.escape_controls`), so a guide title or a report cannot set
the window title or clear the screen, on a terminal or in a file a user later ``cat``\\ s.
Text the CLI has already made safe (its own progress line, JSON) goes past the escaping
with :func:`write_verbatim`. A write that fails raises :class:`OutputError`, which no
command catches by mistake (it is not an ``OSError``), so ``main()`` ends every command
the same way.
"""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast

from wizard.terminaltext import escape_controls


class OutputError(Exception):
    """Standard output or standard error could not be written."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"could not write to standard {stream}: {error.strerror or error}")
        self.stream = stream
        self.broken_pipe = error.errno == errno.EPIPE


class EscapingStream:
    """A text stream that escapes control characters and turns write errors into
    :class:`OutputError`; everything else is the wrapped stream's."""

    def __init__(self, inner: TextIO, name: str) -> None:
        self.inner = inner
        self.name = name

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters escaped."""
        return self.write_verbatim(escape_controls(text))

    def write_verbatim(self, text: str) -> int:
        """Write ``text`` as it is: only for text already safe to show."""
        try:
            return self.inner.write(text)
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def write_bytes(self, data: bytes) -> None:
        """Write bytes already safe to show, after any text still buffered."""
        try:
            self.inner.flush()
            self.inner.buffer.write(data)
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def writelines(self, lines: Any) -> None:
        """Write each of ``lines``, escaped."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        try:
            self.inner.flush()
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def write_verbatim(stream: TextIO, text: str) -> None:
    """Write ``text`` to ``stream`` past the escaping, if ``stream`` is wrapped."""
    if isinstance(stream, EscapingStream):
        stream.write_verbatim(text)
    else:
        stream.write(text)


def write_bytes(stream: TextIO, data: bytes) -> None:
    """Write bytes that are safe to show to ``stream`` (standard output's binary layer)."""
    if isinstance(stream, EscapingStream):
        stream.write_bytes(data)
    else:
        stream.flush()
        stream.buffer.write(data)


def _silence(stream: TextIO) -> None:
    """Close a stream that failed, dropping what it still holds, so that the interpreter's
    own flush at exit finds nothing to write and prints no "Exception ignored"."""
    with contextlib.suppress(OSError, ValueError):
        stream.close()


def say(line: str) -> None:
    """One line on standard error (escaped when wrapped), if it can still be written."""
    try:
        print(line, file=sys.stderr, flush=True)
    except (OutputError, OSError):
        _silence(getattr(sys.stderr, "inner", sys.stderr))
    except ValueError:  # already closed
        pass


@contextlib.contextmanager
def guarded_streams() -> Iterator[None]:
    """Wrap standard output and standard error for the length of the block, and flush
    them at its end; a stream that failed is closed so nothing more is tried on it.

    :class:`OutputError` (from the block or the final flush) comes out of the block for
    the caller to turn into an exit code.
    """
    out, err = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, EscapingStream(out, "output"))
    sys.stderr = cast(TextIO, EscapingStream(err, "error"))
    try:
        try:
            yield
        finally:
            sys.stdout.flush()
    except OutputError as exc:
        _silence(out if exc.stream == "output" else err)
        raise
    finally:
        sys.stdout, sys.stderr = out, err
