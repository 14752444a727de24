"""The store under faults: read-only, full, locked, damaged; never lose a database.

Read-only cases drop root's override capabilities with setpriv (or mount read-only), a full
disk is a small tmpfs: both need root and are skipped with a message otherwise.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PLUGINS
from tests.world import World
from wizard.engine import Input, Note
from wizard.saved import SavedSession
from wizard.store import DB_NAME, Store, open_store

from .test_store import killable_guide

CONTENT = ["--content", str(FIXTURES / "guides")]
SAMPLE = ["run", "sample", *CONTENT]
UNPRIVILEGED = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def wizard(
    *args: str, data: Path, drop: bool = False, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed wizard (without root's file overrides when ``drop``)."""
    exe = shutil.which("wizard")
    assert exe
    env = dict(os.environ, PYTHONPATH=str(PLUGINS), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [*(UNPRIVILEGED if drop else []), exe, *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def needs_setpriv() -> None:
    if not ROOT or shutil.which("setpriv") is None:
        pytest.skip("read-only cases need root and setpriv to drop the override capabilities")


def saved_store(data: Path) -> str:
    """A data folder with one saved session; its id."""
    done = wizard(*SAMPLE, "--answer", "which=likes", "--json", data=data)
    assert done.returncode == 3, done.stderr
    with open_store(data) as store:
        row = store.latest()
        assert row is not None
        return row.id


def damage(db: Path) -> bytes:
    """Overwrite bytes 4096-8191 (the second page) with random data; the file's bytes."""
    with db.open("r+b") as f:
        f.seek(4096)
        f.write(os.urandom(4096))
    return db.read_bytes()


def moved_aside(data: Path) -> list[Path]:
    """The moved-aside databases (not their -wal and -shm)."""
    return sorted(
        p for p in data.glob(f"{DB_NAME}.corrupt-*") if not p.name.endswith(("-wal", "-shm"))
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr


# -- read-only


def test_read_only_file_reads_history_and_walks_unsaved(isolated_env: Path) -> None:
    needs_setpriv()
    data = isolated_env / "ro-file"
    session = saved_store(data)
    (data / DB_NAME).chmod(0o444)
    before = (data / DB_NAME).read_bytes()

    history = wizard("history", "--json", data=data, drop=True)
    no_traceback(history)
    assert history.returncode == 0 and session in history.stdout
    report = wizard("report", session, *CONTENT, data=data, drop=True)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("Support request: ")  # the short text, by default
    walk = wizard(*SAMPLE, data=data, drop=True)
    no_traceback(walk)
    assert walk.returncode == 3, walk.stderr
    assert walk.stderr.count("will not be saved") == 1
    assert f"{data / DB_NAME} is read-only; this walk will not be saved" in walk.stderr
    assert "wizard resume" not in walk.stdout  # nothing to resume
    device = wizard("check", "device", data=data, drop=True)
    assert device.returncode == 0 and "device" in device.stdout, device.stderr
    assert "not added to the history" in device.stderr
    assert (data / DB_NAME).read_bytes() == before and moved_aside(data) == []


def test_read_only_folder_reads_history_and_walks_unsaved(isolated_env: Path) -> None:
    needs_setpriv()
    data = isolated_env / "ro-folder"
    session = saved_store(data)
    data.chmod(0o555)
    try:
        history = wizard("history", data=data, drop=True)
        no_traceback(history)
        assert history.returncode == 0 and session in history.stdout, history.stderr
        resume = wizard(
            "resume", session, *CONTENT, "--answer", "which=other", data=data, drop=True
        )
        no_traceback(resume)
        assert f"the data folder {data} is read-only; this walk will not be saved" in resume.stderr
        walk = wizard(*SAMPLE, data=data, drop=True)
        assert walk.returncode == 3 and "read-only; this walk will not be saved" in walk.stderr
        device = wizard("check", "device", data=data, drop=True)
        assert device.returncode == 0 and "device" in device.stdout, device.stderr
    finally:
        data.chmod(0o755)
    assert sorted(p.name for p in data.iterdir()) == [DB_NAME]


# -- damaged


def test_damaged_page_on_open_is_moved_aside_with_words(isolated_env: Path) -> None:
    data = isolated_env / "damaged"
    saved_store(data)
    original = damage(data / DB_NAME)
    history = wizard("history", data=data)
    no_traceback(history)
    assert history.returncode == 0
    (aside,) = moved_aside(data)
    assert aside.read_bytes() == original
    assert f"moved aside to {aside}" in history.stderr and "Nothing was deleted" in history.stderr
    assert "No saved sessions yet." in history.stdout
    again = wizard("history", data=data)
    assert again.returncode == 0 and again.stderr == ""  # told once


def test_damaged_page_found_mid_walk_keeps_the_walk(tmp_path: Path) -> None:
    told: list[str] = []
    store = Store(tmp_path)
    saved = SavedSession.start(
        killable_guide(), store, "2026-01-01T00:00:00+00:00", tell=told.append
    )
    saved.apply(Input("a1", "one", at="2026-01-01T00:00:01+00:00"))
    for n in range(5):
        saved.apply(Note("words " * 200 + str(n), at="2026-01-01T00:00:02+00:00"))
    # Another connection checkpoints (so the pages are in the file and this one's cache is
    # stale), then a page goes bad under the open store.
    other = sqlite3.connect(tmp_path / DB_NAME)
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other.close()
    damage(tmp_path / DB_NAME)

    saved.apply(Note("after the damage", at="2026-01-01T00:00:03+00:00"))
    saved.apply(Note("and one more", at="2026-01-01T00:00:04+00:00"))
    assert len(told) == 1 and "moved aside" in told[0], told
    assert len(moved_aside(tmp_path)) == 1
    assert saved.unsaved is None and saved.id is not None
    events = store.events(saved.id)
    assert [e.get("text") for e in events][-2:] == ["after the damage", "and one more"]
    assert len(events) == len(saved.session.events) == 8
    store.close()


def test_two_damaged_databases_in_one_second_are_both_kept(tmp_path: Path) -> None:
    contents = []
    for n in range(2):
        body = f"not a database, number {n} ".encode() * 200
        (tmp_path / DB_NAME).write_bytes(body)
        contents.append(body)
        with open_store(tmp_path) as store:
            assert store.notice and "moved aside" in store.notice
    assert sorted(p.read_bytes() for p in moved_aside(tmp_path)) == sorted(contents)


def test_ten_processes_open_one_damaged_database(isolated_env: Path) -> None:
    data = isolated_env / "ten"
    saved_store(data)
    original = damage(data / DB_NAME)
    exe = shutil.which("wizard")
    assert exe
    env = dict(os.environ, PYTHONPATH=str(PLUGINS))
    procs = [
        subprocess.Popen(
            [exe, *SAMPLE, "--answer", "which=likes", "--json", "--data-dir", str(data)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(10)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 3 for p in procs), [err for _, err in outs]
    assert sum("moved aside" in err for _, err in outs) == 1, [err for _, err in outs]
    (aside,) = moved_aside(data)
    assert aside.read_bytes() == original
    with open_store(data) as store:
        assert store.notice is None
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(store.sessions()) == 10  # no walk was saved into a database then lost


# -- full disk, locked


@contextmanager
def small_disk(where: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs at ``where`` (root only)."""
    if not ROOT or sys.platform != "linux":
        pytest.skip("a full disk is a small tmpfs, which needs root on Linux")
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> None:
    """Write to the disk until it says it is full."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def test_full_disk_on_open_reads_and_walks_unsaved(isolated_env: Path) -> None:
    with small_disk(isolated_env / "disk") as disk:
        data = disk / "data"
        session = saved_store(data)
        fill(disk)
        walk = wizard(*SAMPLE, data=data)
        no_traceback(walk)
        assert walk.returncode == 3
        assert f"the disk that holds the data folder {data} is full" in walk.stderr
        assert walk.stderr.count("this walk will not be saved") == 1
        history = wizard("history", data=data)
        assert history.returncode == 0 and session in history.stdout, history.stderr
        assert moved_aside(data) == []


def test_disk_full_mid_walk_goes_on_unsaved(isolated_env: Path) -> None:
    with small_disk(isolated_env / "disk") as disk:
        told: list[str] = []
        store = Store(disk / "data")
        saved = SavedSession.start(killable_guide(), store, tell=told.append)
        saved.apply(Input("a1", "one", at="2026-01-01T00:00:01+00:00"))
        fill(disk)
        for n in range(40):
            saved.apply(Note("words " * 500 + str(n), at="2026-01-01T00:00:02+00:00"))
        assert len(told) == 1 and "is full; this walk will not be saved" in told[0], told
        assert len(saved.session.events) == 41 and saved.unsaved
        (disk / "filler").unlink()
        assert store.events(saved.id or "")[0]["value"] == "one"
        store.close()
        assert moved_aside(disk / "data") == []


def test_lock_held_past_the_timeout_is_not_damage(isolated_env: Path) -> None:
    data = isolated_env / "locked"
    session = saved_store(data)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "db.execute('BEGIN EXCLUSIVE')\n"
            "print('held', flush=True)\n"
            "time.sleep(120)\n",
            str(data / DB_NAME),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        store = Store(data, timeout=0.3)
        assert store.read_only == f"{data / DB_NAME} is locked by another program"
        assert [s.id for s in store.sessions()] == [session]  # WAL: reading goes on
        store.close()
        walk = wizard(*SAMPLE, data=data)
        no_traceback(walk)
        assert walk.returncode == 3
        assert f"{data / DB_NAME} is locked by another program" in walk.stderr
        assert "this walk will not be saved" in walk.stderr
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()
    history = wizard("history", data=data)
    assert session in history.stdout and moved_aside(data) == []


# -- the app


@contextmanager
def read_only_mount(folder: Path) -> Iterator[Path]:
    """``folder`` bind-mounted read-only onto itself (root only)."""
    if not ROOT or sys.platform != "linux":
        pytest.skip("a read-only bind mount needs root on Linux")
    if subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode:
        pytest.skip("cannot bind-mount here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)]).returncode:
            pytest.skip("cannot remount read-only here")
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


async def test_app_on_a_read_only_store_says_so_on_its_home_screen(
    world: World, isolated_env: Path
) -> None:
    from textual.widgets import Static

    from checks.api import CheckResult, Status
    from tests.functional.test_tui import make_app
    from wizard.tui.screens.home import HomeScreen
    from wizard.tui.screens.walk import WalkScreen

    data = isolated_env / "ro-app"
    saved_store(data)
    with open_store(data) as store:  # a history long enough to make the home page scroll
        for _ in range(6):
            store.add_check_result(None, CheckResult("device", "ok", Status.OK, "Fine."))
    with read_only_mount(data):
        app = make_app(world, data)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            line = app.screen.query_one("#unsaved", Static)
            assert "Walks will not be saved" in str(line.render())
            # In view at once, even at 80x24 where the page scrolls to the guide list.
            assert line.region.height >= 1 and 0 < line.region.y < 12, line.region
            assert "read-only file system" in str(line.render())
            app.start_guide("disappearing-likes")
            await pilot.pause()
            assert isinstance(app.screen, WalkScreen)
            await pilot.press("1")
            await pilot.pause()
            assert app.screen.saved.unsaved and app.screen.saved.store is None


async def test_app_on_a_damaged_store_starts_and_moves_it_aside(
    world: World, isolated_env: Path
) -> None:
    from tests.functional.test_tui import SIZE, make_app
    from wizard.tui.screens.home import HomeScreen

    data = isolated_env / "damaged-app"
    saved_store(data)
    original = damage(data / DB_NAME)
    app = make_app(world, data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("moved aside" in n.message for n in app._notifications)
        assert not app.screen.query("#unsaved")
    (aside,) = moved_aside(data)
    assert aside.read_bytes() == original
