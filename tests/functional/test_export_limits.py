"""The export reader against hostile input: FIFOs, devices, sockets, links out, bombs, depth.

Each refusal must be the check's ``invalid_export`` with a sentence naming the file, come
at once (never wait on a FIFO), and stay within a small, measured amount of memory.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from checks.api import CheckContext
from checks.data_export import DataExportCheck
from checks.export.model import ExportError
from checks.export.reader import read_export
from checks.privacy import PrivacyLikedVideosCheck
from tests.exportgen import make_account, write_export, write_repeated_zip
from wizard.runner import run_check

LIMIT = 2**31
PEAK_MB = 300
RECORD = (
    b"Date: 2024-01-01 10:00:00\nLink: https://www.tiktokv.com/share/video/7300000000000000001/\n"
)


@pytest.fixture(scope="module")
def account():
    return make_account(likes=300, followers=40, following=50, videos=10, seed=7)


async def run(check, **params: str):
    return await run_check(check, CheckContext(params=params, deadline=time.monotonic() + 10))


def peak(*args: str) -> tuple[int, int, str]:
    """(exit code, peak memory in MB, output) of ``wizard ARGS``, measured in a fresh parent.

    RUSAGE_CHILDREN keeps the largest child a process ever waited for, so the measure is
    taken by a small python process of its own, not by pytest.
    """
    exe = shutil.which("wizard")
    assert exe
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)\n"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(p.stdout + p.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, exe, *args],
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    first, _, output = done.stdout.partition("\n")
    code, kilobytes = first.split()
    return int(code), int(kilobytes) // 1024, output


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path: a Unix socket's path must fit in about 100 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="wx"))
    yield folder
    shutil.rmtree(folder)


# --- never open what is not a regular file -------------------------------------------------


def test_a_fifo_as_the_export_is_refused_at_once(wizard_cli, tmp_path: Path) -> None:
    fifo = tmp_path / "likes"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = wizard_cli("check", "data_export", "--param", f"export={fifo}", timeout=20)
    assert time.monotonic() - started < 10
    assert result.code == 4
    assert f"{fifo} is a named pipe (FIFO), not a file" in result.out
    assert "give the .zip or folder TikTok sent" in result.out
    assert "invalid_export" in result.out


async def test_a_fifo_as_the_previous_export(tmp_path: Path, account) -> None:
    export = write_export(account, tmp_path / "a.zip")
    fifo = tmp_path / "old.zip"
    os.mkfifo(fifo)
    result = await run(DataExportCheck(), export=str(export), previous=str(fifo))
    assert result.outcome == "invalid_export"
    assert f"{fifo} is a named pipe (FIFO)" in result.summary


@pytest.mark.parametrize("name", ["user_data_tiktok.json", "Activity/Like List.txt"])
async def test_a_fifo_inside_a_folder_export(tmp_path: Path, account, name: str) -> None:
    folder = write_export(account, tmp_path / "export", "txt", zipped=False)
    member = folder / name
    member.unlink(missing_ok=True)
    os.mkfifo(member)
    started = time.monotonic()
    result = await run(DataExportCheck(), export=str(folder))
    assert time.monotonic() - started < 5
    assert result.outcome == "invalid_export"
    assert f"{member} is a named pipe (FIFO), not a file" in result.summary


async def test_a_socket_inside_a_folder_export(short_dir: Path, account) -> None:
    folder = write_export(account, short_dir / "e", "txt", zipped=False)
    member = folder / "Activity" / "Like List.txt"
    member.unlink()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(member))
        result = await run(DataExportCheck(), export=str(folder))
    assert result.outcome == "invalid_export"
    assert f"{member} is a socket, not a file" in result.summary


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_named_for_what_it_is(wizard_cli, device: str) -> None:
    result = wizard_cli("check", "data_export", "--param", f"export={device}", timeout=20)
    assert result.code == 4
    assert f"{device} is a character device, not a file" in result.out
    assert "is not a TikTok data export" not in result.out


async def test_the_privacy_check_refuses_a_fifo_in_words(tmp_path: Path) -> None:
    fifo = tmp_path / "export.zip"
    os.mkfifo(fifo)
    result = await run(PrivacyLikedVideosCheck(), export=str(fifo))
    assert result.outcome == "error"
    assert f"{fifo} is a named pipe (FIFO), not a file" in result.summary


# --- never follow a link out of the export's folder ----------------------------------------


async def test_a_link_out_of_a_folder_export_is_not_followed(tmp_path: Path, account) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_bytes(RECORD * 5)
    folder = write_export(account, tmp_path / "export", "txt", zipped=False)
    member = folder / "Activity" / "Like List.txt"
    member.unlink()
    member.symlink_to(outside)
    result = await run(DataExportCheck(), export=str(folder))
    assert result.outcome == "invalid_export"
    assert f"{member} is a link to a file outside the export's folder" in result.summary
    assert "liked videos" not in result.summary


async def test_a_link_out_through_a_linked_folder_is_not_followed(tmp_path: Path, account) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Like List.txt").write_bytes(RECORD * 5)
    folder = write_export(account, tmp_path / "export", "txt", zipped=False)
    (folder / "Activity" / "Like List.txt").unlink()
    (folder / "More").symlink_to(elsewhere, target_is_directory=True)
    result = await run(DataExportCheck(), export=str(folder))
    assert result.outcome == "summary"
    assert "Missing sections: likes" in result.summary


def test_a_link_that_stays_inside_the_folder_is_read(tmp_path: Path, account) -> None:
    folder = write_export(account, tmp_path / "export", "txt", zipped=False)
    member = folder / "Activity" / "Like List.txt"
    member.rename(folder / "likes.data")
    member.symlink_to(Path("..") / "likes.data")
    assert len(read_export(folder, LIMIT).likes) == 300
    # The export given through a link of its own is fine too.
    (tmp_path / "via").symlink_to(folder, target_is_directory=True)
    assert len(read_export(tmp_path / "via", LIMIT).likes) == 300


# --- firm limits on size and memory ---------------------------------------------------------


def test_a_plain_json_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "user_data_tiktok.json"
    with big.open("wb") as out:
        out.write(b'{"Likes": {"ItemFavoriteList": []}, "pad": "')
        out.truncate(3 * 2**30)  # sparse: takes no room on disk
    code, peak_mb, output = peak("check", "data_export", "--param", f"export={big}")
    assert code == 4, output
    assert f"{big} is 3,072 MB, over the limit of 128 MB" in output
    assert "data_export.max_unpacked_mb" in output
    assert peak_mb < PEAK_MB
    # The default is one a small device can read: 200 MB is already too much.
    with big.open("r+b") as out:
        out.truncate(200 * 2**20)
    code, peak_mb, output = peak("check", "data_export", "--param", f"export={big}")
    assert code == 4 and f"{big} is 200 MB, over the limit of 128 MB" in output
    assert peak_mb < PEAK_MB


@pytest.mark.parametrize("form", ["json", "txt", "folder", "zip"])
async def test_the_limit_applies_to_every_form(tmp_path: Path, account, form: str) -> None:
    folder = write_export(
        account, tmp_path / "export", "txt" if form in ("txt", "folder") else "json-new", False
    )
    path = {
        "json": folder / "user_data_tiktok.json",
        "txt": folder / "Activity" / "Like List.txt",
        "folder": folder,
        "zip": write_export(account, tmp_path / "export.zip", "json-new"),
    }[form]
    context = CheckContext(
        params={"export": str(path)},
        config={"max_unpacked_mb": 0.01},
        deadline=time.monotonic() + 10,
    )
    result = await run_check(DataExportCheck(), context)
    assert result.outcome == "invalid_export"
    assert "over the limit of 0 MB" in result.summary


def test_many_small_members_stay_within_a_small_memory(tmp_path: Path) -> None:
    member = RECORD + b"\n" * (2**20 - len(RECORD))
    names = [f"part{i}/Like List.txt" for i in range(1800)]
    bomb = write_repeated_zip(tmp_path / "export.zip", names, member)
    assert bomb.stat().st_size < 3 * 2**20
    for extra in ([], ["--set", "data_export.max_unpacked_mb=4096"]):
        code, peak_mb, output = peak("check", "data_export", "--param", f"export={bomb}", *extra)
        assert code == 4, output
        assert f"{bomb} unpacks to 1,800 MB" in output and "zip bomb" in output
        assert peak_mb < PEAK_MB


def test_a_zip_over_the_limit_is_refused_before_unpacking(tmp_path: Path) -> None:
    # Packed loosely enough not to look like a bomb, but over the limit in all.
    member = os.urandom(2**14) * 64
    names = [f"part{i}/Like List.txt" for i in range(200)]
    path = write_repeated_zip(tmp_path / "export.zip", names, member)
    assert path.stat().st_size < 10 * 2**20
    with pytest.raises(ExportError, match="unpacks to 200 MB, over the limit of 128 MB"):
        read_export(path, 128 * 2**20)


# --- nesting too deep for Python's parser ---------------------------------------------------

DEEP = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


@pytest.mark.parametrize("form", ["json", "zip", "folder"])
async def test_json_nested_too_deeply_is_said_in_words(tmp_path: Path, form: str) -> None:
    if form == "json":
        path = tmp_path / "user_data_tiktok.json"
        path.write_bytes(DEEP)
    elif form == "zip":
        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("TikTok/user_data_tiktok.json", DEEP)
    else:
        path = tmp_path / "export"
        (path / "TikTok").mkdir(parents=True)
        (path / "TikTok" / "user_data_tiktok.json").write_bytes(DEEP)
    result = await run(DataExportCheck(), export=str(path))
    assert result.outcome == "invalid_export"
    assert "nested too deeply" in result.summary
    assert "Recursion" not in json.dumps(result.to_dict())


async def test_deep_values_inside_records_do_not_escape(tmp_path: Path) -> None:
    # Near the parser's own limit a value parses but is too deep to be turned into text:
    # whichever depth it is, the answer is a summary or "nested too deeply", never an error.
    path = tmp_path / "user_data_tiktok.json"
    for depth in range(950, 1001, 2):
        nested = "[" * depth + "]" * depth
        path.write_text(
            '{"Likes": {"ItemFavoriteList": [{"date": ' + nested + ', "link": 5}]}}', "utf-8"
        )
        result = await run(DataExportCheck(), export=str(path))
        if result.outcome == "summary":
            assert "1 liked videos" in result.summary
        else:
            assert result.outcome == "invalid_export", (depth, result.summary)
            assert "nested too deeply" in result.summary
