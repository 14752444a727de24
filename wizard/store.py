"""The session store: SQLite (standard library), one database file in the data folder.

Sessions are kept as event logs, one row per event, each written in its own transaction
as it happens, so a crash or Ctrl-C loses nothing: the session is rebuilt by replaying
its events. Check results are kept as history (speed over time, say). WAL lets two
processes write at once. A database that cannot be read is moved aside, never deleted,
and a fresh one is started; :attr:`Store.notice` says so in words.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checks.api import CheckResult


DB_NAME = "wizard.db"
SCHEMA_VERSION = 2

# Each entry upgrades the schema from its index to the next version.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        guide TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        current_node TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE events (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    );
    CREATE TABLE check_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT,
        check_id TEXT NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX check_results_by_check ON check_results(check_id, at);
    """,
    """
    ALTER TABLE sessions ADD COLUMN ended_at TEXT;
    CREATE INDEX sessions_by_update ON sessions(updated_at);
    """,
)


class StoreError(Exception):
    """A store problem, worded for the user."""


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One saved session, as listed in the history."""

    id: str
    guide: str
    started_at: str
    updated_at: str
    ended_at: str | None
    status: str
    current_node: str
    events: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """An open store. Use :func:`open_store` (a context manager)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self.notice: str | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder {folder}: {exc.strerror or exc}"
            ) from None
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as exc:
            self._move_aside(exc)
            self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.DatabaseError(f"could not switch to WAL (journal mode {mode})")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            self._migrate(db)
            db.execute("SELECT count(*) FROM sessions").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer wizard (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); update the wizard or use another --data-dir"
            )
        while version < SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                current = int(db.execute("PRAGMA user_version").fetchone()[0])
                if current == version:
                    for statement in filter(str.strip, MIGRATIONS[version].split(";")):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {version + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            version = int(db.execute("PRAGMA user_version").fetchone()[0])

    def _move_aside(self, exc: Exception) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{DB_NAME}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                source.replace(Path(str(target) + suffix))
        self.notice = (
            f"The history database could not be read ({exc}); it was moved aside to {target} "
            "and a new one was started. Nothing was deleted."
        )

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- sessions

    def create_session(self, guide: str, first_node: str, at: str | None = None) -> str:
        """A new session's id."""
        session_id = uuid.uuid4().hex[:12]
        when = at or _now()
        self.db.execute(
            "INSERT INTO sessions (id, guide, started_at, updated_at, current_node) VALUES (?, ?, ?, ?, ?)",
            (session_id, guide, when, when, first_node),
        )
        return session_id

    def append_event(
        self, session_id: str, event: dict[str, Any], status: str, current_node: str
    ) -> int:
        """Write one event (and the session's new state) in one transaction; its number."""
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        now = event.get("at") or _now()
        ended = now if status != "active" else None
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()
            seq = int(row[0])
            db.execute(
                "INSERT INTO events (session_id, seq, body) VALUES (?, ?, ?)",
                (session_id, seq, body),
            )
            db.execute(
                "UPDATE sessions SET updated_at = ?, status = ?, current_node = ?, ended_at = ? WHERE id = ?",
                (now, status, current_node, ended, session_id),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return seq

    def events(self, session_id: str) -> list[dict[str, Any]]:
        """A session's events in order."""
        rows = self.db.execute(
            "SELECT body FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()
        return [json.loads(body) for (body,) in rows]

    def session(self, session_id: str) -> SessionRow | None:
        """One session by id (or by a unique prefix of its id)."""
        rows = self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE id LIKE ? || '%' ORDER BY updated_at DESC",
            (session_id,),
        ).fetchall()
        if len(rows) > 1 and not any(r[0] == session_id for r in rows):
            raise StoreError(f"{session_id!r} matches {len(rows)} sessions; give more of the id")
        exact = [r for r in rows if r[0] == session_id] or rows
        return SessionRow(*exact[0]) if exact else None

    def sessions_starting(self, prefix: str) -> list[SessionRow]:
        """Every session whose id starts with ``prefix``, the most recently used first."""
        rows = self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE substr(id, 1, length(?1)) = ?1"
            " ORDER BY updated_at DESC, rowid DESC",
            (prefix,),
        ).fetchall()
        return [SessionRow(*r) for r in rows]

    def sessions(self, limit: int = 50) -> list[SessionRow]:
        """The most recently used sessions first."""
        rows = self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s ORDER BY updated_at DESC, rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [SessionRow(*r) for r in rows]

    def latest(self, *, unfinished: bool = False) -> SessionRow | None:
        """The most recently used session (only an unfinished one, if asked)."""
        where = "WHERE status = 'active'" if unfinished else ""
        row = self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s {where} ORDER BY updated_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        return SessionRow(*row) if row else None

    # -- check history

    def add_check_result(
        self, session_id: str | None, result: CheckResult, at: str | None = None
    ) -> None:
        """Keep a check result in the history."""
        self.db.execute(
            "INSERT INTO check_results (session_id, check_id, at, outcome, body) VALUES (?, ?, ?, ?, ?)",
            (
                session_id,
                result.check_id,
                at or _now(),
                result.outcome,
                json.dumps(result.to_dict(), ensure_ascii=False),
            ),
        )

    def check_history(
        self, check_id: str | None = None, limit: int = 100
    ) -> list[tuple[str, CheckResult]]:
        """(time, result) of past checks, newest first."""
        query = "SELECT at, body FROM check_results"
        args: Sequence[Any] = ()
        if check_id:
            query += " WHERE check_id = ?"
            args = (check_id,)
        rows = self.db.execute(
            query + " ORDER BY at DESC, id DESC LIMIT ?", (*args, limit)
        ).fetchall()
        if not rows:
            return []  # without importing the check API: the home screen asks at start-up
        from checks.api import CheckResult

        return [(at, CheckResult.from_dict(json.loads(body))) for at, body in rows]


_SESSION_COLUMNS = (
    "id, guide, started_at, updated_at, ended_at, status, current_node, "
    "(SELECT count(*) FROM events e WHERE e.session_id = s.id)"
)


@contextmanager
def open_store(folder: Path) -> Iterator[Store]:
    """Open the store in ``folder`` for the duration of a block."""
    store = Store(folder)
    try:
        yield store
    finally:
        store.close()
