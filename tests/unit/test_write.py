"""The export writer: only a regular file is replaced, modes kept, nothing left half-written."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.report.write import WriteError, write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path, umask: None) -> None:
    write_atomic(tmp_path / "open.md", b"x")
    os.umask(0o077)
    write_atomic(tmp_path / "private.md", b"x")
    assert (_mode(tmp_path / "open.md"), _mode(tmp_path / "private.md")) == (0o644, 0o600)


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "r.md"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new" and _mode(target) == 0o600


def test_an_existing_name_is_refused_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_bytes(b"mine")
    with pytest.raises(WriteError, match="already exists") as caught:
        write_atomic(target, b"new")
    assert caught.value.exists and target.read_bytes() == b"mine"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling-symlink", "read-only", "device"])
@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "force"])
def test_only_a_regular_writable_file_is_ever_replaced(
    tmp_path: Path, kind: str, overwrite: bool
) -> None:
    target = tmp_path / "r.md"
    real = tmp_path / "real.md"
    real.write_bytes(b"mine")
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        target.symlink_to(real)
    elif kind == "dangling-symlink":
        target.symlink_to(tmp_path / "nowhere")
    elif kind == "read-only":
        target.write_bytes(b"mine")
        target.chmod(0o444)
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = target.lstat()
    words = {
        "fifo": "named pipe",
        "symlink": "symbolic link to",
        "dangling-symlink": "symbolic link",
        "read-only": "read-only" if overwrite else "already exists",
        "device": "is a character device",
    }[kind]
    with pytest.raises(WriteError, match=words):
        write_atomic(target, b"new", overwrite=overwrite)
    after = target.lstat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert real.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r.md", "real.md"])


def test_a_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(WriteError, match="is a file, not a folder"):
        write_atomic(tmp_path / "file" / "r.md", b"x")
    with pytest.raises(WriteError, match="not a folder"):
        write_atomic(tmp_path / "file" / "deeper" / "r.md", b"x")


def test_a_file_size_limit_leaves_nothing_behind(tmp_path: Path) -> None:
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from wizard.report.write import WriteError, write_atomic\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    write_atomic(Path(sys.argv[1]) / 'r.json', b'x' * 100_000)\n"
        "except WriteError as exc:\n"
        "    print(exc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "r.json is larger than a file may be here" in proc.stdout
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Ctrl-C cannot be made to land at one exact moment; the flush to disk stands in.
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "r.md", b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_appears_while_writing_is_never_clobbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.md"
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        target.write_bytes(b"theirs")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    with pytest.raises(WriteError, match="appeared while writing") as caught:
        write_atomic(target, b"mine")
    assert caught.value.exists and target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_without_hard_links_the_name_is_still_never_clobbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some file systems (FAT, some network mounts) have no hard links.
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_atomic(tmp_path / "new.md", b"mine")
    assert (tmp_path / "new.md").read_bytes() == b"mine"
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        (tmp_path / "race.md").write_bytes(b"theirs")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    with pytest.raises(WriteError, match="appeared while writing"):
        write_atomic(tmp_path / "race.md", b"mine")
    assert (tmp_path / "race.md").read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "race.md"]
