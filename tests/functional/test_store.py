"""The store: saved as it goes, resumed after SIGKILL, shared by two processes, corrupt files."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import PLUGINS
from wizard.content.library import load_library
from wizard.engine import Session, event_from_dict
from wizard.registry import CheckRegistry
from wizard.saved import SavedSession
from wizard.store import DB_NAME, MIGRATIONS, SCHEMA_VERSION, Store, open_store

KILLABLE = Path(__file__).resolve().parent.parent / "fixtures" / "killable"
ANSWERS = ["a1=one", "a2=two", "a3=y", "a4=four", "a5=five", "f1=no"]


def killable_guide():
    import wizard_test_checks as tc

    registry = CheckRegistry()
    registry.add(tc.SlowCheck)
    library = load_library([KILLABLE], registry.specs())
    return library.guides["killable"]


def run_args(data_dir: Path) -> list[str]:
    args = ["run", "killable", "--content", str(KILLABLE), "--data-dir", str(data_dir)]
    for answer in ANSWERS:
        args += ["--answer", answer]
    return args


def _wait_for(path: Path, proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> bool:
    """Wait until ``path`` exists (True) or the process has ended without it (False)."""
    deadline = time.monotonic() + 60
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            return path.exists()
        time.sleep(0.01)
    return True


def reference_states() -> tuple[list[tuple[str, dict[str, str]]], float]:
    """(node, facts) after each number of events, from a walk nobody interrupts, and how
    long that walk ran once its store existed (so kills can be timed from that moment,
    whatever the machine's load does to start-up)."""
    import shutil

    env = dict(os.environ, PYTHONPATH=str(PLUGINS))
    tmp = Path(os.environ["WIZARD_DATA_DIR"]) / "reference"
    proc = subprocess.Popen(
        [shutil.which("wizard") or "wizard", *run_args(tmp), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    _wait_for(tmp / DB_NAME, proc)
    stored = time.monotonic()
    out, err = proc.communicate(timeout=60)
    walk_s = time.monotonic() - stored
    assert proc.returncode == 0, err
    assert json.loads(out)["status"] == "report"
    with open_store(tmp) as store:
        events = store.events(store.latest().id)  # type: ignore[union-attr]
    guide = killable_guide()
    session = Session(guide)
    states = [(session.current, dict(session.facts))]
    for event in events:
        session.apply(event_from_dict(event))
        states.append((session.current, dict(session.facts)))
    return states, walk_s


def test_sigkill_at_random_moments_resumes_on_the_right_node(isolated_env: Path) -> None:
    import shutil

    reference, walk_s = reference_states()
    exe = shutil.which("wizard")
    assert exe
    env = dict(os.environ, PYTHONPATH=str(PLUGINS))
    rng = random.Random(20)
    landed = 0
    seen_counts = set()
    for attempt in range(20):
        data_dir = isolated_env / f"kill{attempt}"
        proc = subprocess.Popen(
            [exe, *run_args(data_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        # Killed at a random moment of the walk itself: start-up, however slow on a
        # loaded machine, is waited out first.
        _wait_for(data_dir / DB_NAME, proc)
        time.sleep(rng.uniform(0.0, walk_s))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if not (data_dir / DB_NAME).exists():
            continue  # killed before the store was created: nothing to resume, nothing lost
        with open_store(data_dir) as store:
            row = store.latest()
            if row is None:
                continue
            count = len(store.events(row.id))
            saved = SavedSession.resume({"killable": killable_guide()}, store, row.id)
        node, facts = reference[count]
        assert saved.session.current == node, f"attempt {attempt}: {count} events"
        assert saved.session.facts == facts
        assert row.current_node == node
        landed += 1
        seen_counts.add(count)
    assert landed >= 15, "too few kills landed after the store existed"
    assert len(seen_counts) >= 3, f"kills landed at too few different events: {seen_counts}"


def test_two_processes_writing_at_once(isolated_env: Path) -> None:
    import shutil

    exe = shutil.which("wizard")
    assert exe
    data_dir = isolated_env / "shared"
    env = dict(os.environ, PYTHONPATH=str(PLUGINS))
    procs = [
        subprocess.Popen(
            [exe, *run_args(data_dir), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    ids = {json.loads(out)["session"] for out, _ in outs}
    assert len(ids) == 4
    with open_store(data_dir) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for session_id in ids:
            events = store.events(session_id)
            session = Session.replay(killable_guide(), [event_from_dict(e) for e in events])
            assert session.status == "report"
        assert len(store.check_history("slow", 100)) == 20


def test_corrupt_database_is_moved_aside_never_deleted(tmp_path: Path) -> None:
    db = tmp_path / DB_NAME
    db.write_bytes(b"this is not a database, just some words " * 100)
    with open_store(tmp_path) as store:
        assert (
            store.notice and "moved aside" in store.notice and "Nothing was deleted" in store.notice
        )
        assert store.sessions() == []
        store.create_session("g", "start")
    aside = list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes().startswith(b"this is not a database")


def test_an_old_schema_is_migrated_keeping_its_data(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO sessions (id, guide, started_at, updated_at) VALUES ('abc', 'g', 't0', 't1')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with open_store(tmp_path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        row = store.session("abc")
        assert row is not None and row.guide == "g" and row.ended_at is None


def test_a_newer_schema_is_refused_with_words(tmp_path: Path) -> None:
    from wizard.store import StoreError

    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="written by a newer wizard"):
        Store(tmp_path)


def test_cli_resume_history_and_report(wizard_cli, isolated_env: Path) -> None:
    data = isolated_env / "cli"
    base = ["--content", str(KILLABLE), "--data-dir", str(data)]
    first = wizard_cli(
        "run", "killable", *base, "--answer", "a1=one", "--answer", "a2=two", "--json"
    )
    assert first.code == 3
    state = json.loads(first.out)
    assert state["stopped"]["node"] == "a3"
    resumed = wizard_cli(
        "resume",
        *base,
        "--answer",
        "a3=x",
        "--answer",
        "a4=4",
        "--answer",
        "a5=5",
        "--answer",
        "f1=yes",
        "--json",
    )
    assert resumed.code == 0, resumed.err
    done = json.loads(resumed.out)
    assert done["session"] == state["session"] and done["status"] == "solved"
    assert done["facts"] == {
        "first": "one",
        "second": "two",
        "third": "x",
        "fourth": "4",
        "fifth": "5",
    }
    history = json.loads(wizard_cli("history", "--json", *base).out)
    assert history["sessions"][0]["outcome"] == "solved" and history["sessions"][0]["ended"]
    assert len(history["checks"]) == 5
    out = isolated_env / "report.md"
    written = wizard_cli("report", state["session"][:6], *base, "--format", "md", "-o", str(out))
    assert written.code == 0, written.err
    assert out.read_text().startswith("# Solved: A walk with pauses")
    again = wizard_cli("report", *base, "--format", "md", "-o", str(out))
    assert again.code == 5 and "already exists" in again.err
    forced = wizard_cli("report", *base, "--format", "json", "-o", str(out), "--force")
    assert forced.code == 0 and json.loads(out.read_text())["outcome"] == "solved"
    # Without --format, the file's extension picks it; stdout and other names get the short
    # plain text for the in-app form.
    for name, starts in (
        ("r.txt", "Solved:"),
        ("r.EML", "Subject: TikTok problem solved"),
        ("r.log", "Solved:"),
    ):
        named = wizard_cli("report", *base, "-o", str(isolated_env / name))
        assert named.code == 0, named.err
        assert (isolated_env / name).read_text().startswith(starts), name
    assert wizard_cli("report", *base).out.startswith("Solved:")
    nothing = wizard_cli("resume", "--data-dir", str(isolated_env / "empty"))
    assert nothing.code == 2 and "no unfinished session" in nothing.err
