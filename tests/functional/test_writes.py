"""What the real ``wizard`` command writes: report files, and standard output that fails."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

TITLE = "\x1b]0;owned\x07\x1b[2J"
GUIDE = """\
id: evil
title: "\\e]0;owned\\a\\e[2J"
summary: "Says \\e[31mred\\e[0m and \\u202eevil"
start: welcome
nodes:
  welcome: {kind: info, title: Welcome, text: Hello., next: support}
  support: {kind: report, title: Contact support, text: We prepare a report.}
"""


def _wizard(
    *args: str,
    stdout: int | None = subprocess.PIPE,
    umask: int | None = None,
) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("wizard")
    assert exe, "the wizard console script is not installed (pip install -e .)"
    return subprocess.run(
        [exe, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        timeout=60,
        preexec_fn=None if umask is None else (lambda: os.umask(umask) and None),
    )


@pytest.fixture
def guide(tmp_path: Path) -> list[str]:
    """The ``--content`` option of a guide whose title holds escape sequences, walked once."""
    path = tmp_path / "evil.yaml"
    path.write_text(GUIDE, "utf-8")
    content = ["--content", str(path)]
    walked = _wizard(*content, "run", "evil")
    assert walked.returncode == 0, walked.stderr
    return content


def _err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode()


# --- report files --------------------------------------------------------------------------


def test_without_force_an_existing_file_is_refused_and_force_is_named(
    guide: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "r.md"
    target.write_text("mine")
    refused = _wizard(*guide, "report", "-o", str(target))
    assert refused.returncode == 5
    assert "already exists" in _err(refused) and "--force replaces it" in _err(refused)
    assert target.read_text() == "mine"


@pytest.mark.parametrize("kind", ["device", "fifo", "symlink", "read-only"])
def test_force_replaces_only_a_regular_file(guide: list[str], tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out" / "r.md"
    target.parent.mkdir()
    real = tmp_path / "real.md"
    real.write_text("mine")
    if kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # like /dev/full
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        target.symlink_to(real)
    else:
        target.write_text("mine")
        target.chmod(0o444)
    before = target.lstat()
    proc = _wizard(*guide, "report", "-o", str(target), "--force")
    assert proc.returncode == 5
    words = {
        "device": "is a character device",
        "fifo": "is a named pipe",
        "symlink": "is a symbolic link",
        "read-only": "is read-only",
    }[kind]
    assert words in _err(proc) and "Traceback" not in _err(proc)
    assert len(_err(proc).splitlines()) == 1
    after = target.lstat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert [p.name for p in target.parent.iterdir()] == ["r.md"]
    assert real.read_text() == "mine"


def test_modes_follow_the_umask_and_a_replaced_file_keeps_its_own(
    guide: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "r.md"
    assert _wizard(*guide, "report", "-o", str(target), umask=0o077).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    shared = tmp_path / "shared.md"
    assert _wizard(*guide, "report", "-o", str(shared), umask=0o002).returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    assert _wizard(*guide, "report", "-o", str(target), "--force", umask=0o022).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("# Support request:")


@pytest.mark.parametrize(
    ("name", "words"), [("nope/r.md", "does not exist"), ("file/r.md", "is a file, not a folder")]
)
def test_a_folder_that_is_missing_or_a_file_is_named(
    guide: list[str], tmp_path: Path, name: str, words: str
) -> None:
    (tmp_path / "file").write_text("")
    proc = _wizard(*guide, "report", "-o", str(tmp_path / name))
    assert proc.returncode == 5 and words in _err(proc)


def test_a_full_disk_leaves_no_partial_file(guide: list[str], tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)]).returncode:
        pytest.skip("tmpfs could not be mounted")
    try:
        with (mount / "filler").open("wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"x" * 4096)
            except OSError:
                pass
        proc = _wizard(*guide, "report", "-o", str(mount / "r.md"))
        assert proc.returncode == 5 and "the disk is full" in _err(proc)
        assert [p.name for p in mount.iterdir()] == ["filler"]
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# --- standard output -----------------------------------------------------------------------

COMMANDS = [("report",), ("report", "--format", "json"), ("guides",), ("guides", "--json")]


@pytest.mark.parametrize("command", [*COMMANDS, ("--help",)], ids=" ".join)
def test_a_full_standard_output_is_exit_5_in_one_line(
    guide: list[str], command: tuple[str, ...]
) -> None:
    with open("/dev/full", "wb") as full:
        proc = _wizard(*guide, *command, stdout=full.fileno())
    assert proc.returncode == 5, _err(proc)
    assert _err(proc) == "wizard: could not write to standard output: No space left on device\n"


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_closed_pipe_ends_quietly(
    guide: list[str], tmp_path: Path, command: tuple[str, ...], long: bool
) -> None:
    if long:  # more than a buffer's worth: the pipe fails while the command still prints
        big = tmp_path / "big.yaml"
        big.write_text(GUIDE.replace("id: evil", "id: big").replace("Says", "x" * 200_000))
        guide = [*guide, "--content", str(big)]
    read, write = os.pipe()
    os.close(read)  # like `| head` that has already gone
    try:
        proc = _wizard(*guide, *command, stdout=write)
    finally:
        os.close(write)
    assert (proc.returncode, _err(proc)) == (0, "")


def test_no_escape_sequence_from_content_reaches_standard_output(guide: list[str]) -> None:
    listed = _wizard(*guide, "guides").stdout
    assert b"\x1b" not in listed and b"\\x1b]0;owned\\x07\\x1b[2J" in listed
    assert "\u202e".encode() not in listed and b"\\u202eevil" in listed
    for fmt in ("md", "txt", "eml"):
        report = _wizard(*guide, "report", "--format", fmt)
        assert report.returncode == 0 and report.stdout, _err(report)
        assert b"\x1b" not in report.stdout and b"\x07" not in report.stdout, fmt


@pytest.mark.parametrize("command", [("guides", "--json"), ("report", "--format", "json")])
def test_json_output_stays_json_with_the_text_intact(
    guide: list[str], command: tuple[str, ...]
) -> None:
    import json

    out = _wizard(*guide, *command).stdout
    assert b"\x1b" not in out and "\u202e".encode() not in out
    strings: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads(out))
    assert TITLE in strings
    assert any("\u202eevil" in s for s in strings) or command[0] == "report"


# --- refresh-versions -o -----------------------------------------------------------------


def test_refresh_versions_writes_like_a_report(tmp_path: Path) -> None:
    import json

    from checks.app_version import SHIPPED_SNAPSHOT
    from tests.servers import http_server, respond
    from tests.world import LOOKUP

    target = tmp_path / "versions.json"
    shutil.copy(SHIPPED_SNAPSHOT, target)
    target.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    body = json.dumps(LOOKUP).encode()
    with http_server({"/lookup": respond(200, body, {"Content-Type": "application/json"})}) as srv:
        url = ["--set", f"app_version.lookup_url={srv.url('/lookup')}"]
        refused = _wizard("refresh-versions", "-o", str(link), *url)
        assert refused.returncode == 5 and "is a symbolic link" in _err(refused)
        assert link.is_symlink()
        done = _wizard("refresh-versions", "-o", str(target), *url)
    assert done.returncode == 0, _err(done)
    assert json.loads(target.read_text())["ios"]["latest"] == "41.2.0"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
