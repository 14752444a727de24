"""The session store: SQLite (standard library), one database file in the data folder.

Sessions are kept as event logs, one row per event, each written in its own transaction
as it happens, so a crash or Ctrl-C loses nothing: the session is rebuilt by replaying
its events. Check results are kept as history (speed over time, say). WAL lets two
processes write at once. A database that cannot be read is moved aside, never deleted,
and a fresh one is started; :attr:`Store.notice` says so in words. One that can be read
but not written (read-only, full disk, locked) is opened read-only: :attr:`Store.read_only`
says why.
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

from wizard import dbfile

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


class _Damaged(Exception):
    """The database file cannot be read: moving it aside is the way on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreDamaged(StoreError):
    """The database turned out to be damaged while in use; it was moved aside.

    When :attr:`Store.writable`, a new database was started in its place.
    """


BUSY_TIMEOUT = 10.0
"""Seconds a write waits for another process's lock before the store gives up on it."""


class Store:
    """An open store. Use :func:`open_store` (a context manager).

    What the store can do is decided here, once, when it opens: read and write; read only
    (:attr:`read_only` says why, in words: history and reports work, new walks are not
    saved); or nothing (a :class:`StoreError`). A damaged database is moved aside and a new
    one started, and :attr:`notice` says where the old one went.
    """

    def __init__(self, folder: Path, *, timeout: float = BUSY_TIMEOUT) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self.timeout = timeout
        self.notice: str | None = None
        """Said once to the user: a damaged database was moved aside."""
        self.read_only: str | None = None
        """Why nothing can be saved (the data folder is read-only, the disk is full…)."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not self.path.exists():
                raise StoreError(
                    f"cannot create the data folder {folder}: {exc.strerror or exc}"
                ) from None
        self.db = self._open()

    @property
    def writable(self) -> bool:
        """Whether new sessions and results can be saved."""
        return self.read_only is None

    # -- opening

    def _open(self) -> sqlite3.Connection:
        try:
            return self._open_either()
        except _Damaged:
            pass
        try:
            with dbfile.exclusive(self.path):
                try:  # another process may have moved it aside while this one waited
                    return self._open_either()
                except _Damaged as damage:
                    self._move_aside(damage.reason)
                return self._open_either()
        except (OSError, _Damaged) as exc:
            reason = (
                exc.reason if isinstance(exc, _Damaged) else dbfile.why_unwritable(self.path, exc)
            )
            raise StoreError(
                f"the history database {self.path} cannot be read and cannot be moved aside "
                f"({reason})"
            ) from None

    def _open_either(self) -> sqlite3.Connection:
        """Open for writing, else for reading; :class:`_Damaged` if the file is unreadable."""
        self.read_only = None
        uri = self.path.resolve().as_uri()
        try:
            db = self._connect(uri + "?mode=rwc")
        except sqlite3.Error as exc:
            if dbfile.is_damage(exc):
                raise _Damaged(str(exc)) from None
            why = dbfile.why_unwritable(self.path, exc)
            if not self.path.exists():
                raise StoreError(why) from None
        else:
            self.read_only = self._cannot_write(db)
            return db
        failure: sqlite3.Error | None = None
        # immutable: for a folder where no -shm can be made beside the database
        for attempt in (uri + "?mode=ro", uri + "?mode=ro&immutable=1"):
            try:
                db = self._connect(attempt, writable=False)
            except sqlite3.Error as exc:
                if dbfile.is_damage(exc):
                    raise _Damaged(str(exc)) from None
                failure = exc
                continue
            self.read_only = why
            return db
        raise StoreError(f"{why}, and it cannot be read either ({failure})")

    def _cannot_write(self, db: sqlite3.Connection) -> str | None:
        """Why ``db`` cannot be written, found by a write that is rolled back; None if it can."""
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                db.execute(f"PRAGMA user_version = {version}")
            finally:
                db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            return dbfile.why_unwritable(self.path, exc)
        return None

    def _connect(self, uri: str, *, writable: bool = True) -> sqlite3.Connection:
        db = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            if writable:
                db.execute("PRAGMA journal_mode = WAL")  # where the file system allows it
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("PRAGMA foreign_keys = ON")
                self._migrate(db)
            else:
                self._require_schema(db)
            row = db.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise _Damaged(f"the quick check found {row[0] if row else 'nothing'}")
            db.execute("SELECT count(*) FROM sessions").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _require_schema(self, db: sqlite3.Connection) -> None:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            self._migrate(db)  # says so in words
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} needs an upgrade to schema {SCHEMA_VERSION}, which cannot be "
                "written now"
            )

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

    def _move_aside(self, reason: str) -> None:
        target = dbfile.move_aside(self.path)
        self.notice = (
            f"The history database could not be read ({reason}); it was moved aside to {target} "
            "and a new one was started. Nothing was deleted."
        )

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- faults while in use

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The connection for a write; a failure becomes a :class:`StoreError` in words."""
        if self.read_only is not None:
            raise StoreError(self.read_only)
        try:
            yield self.db
        except sqlite3.Error as exc:
            self._failed(exc)
            self.read_only = dbfile.why_unwritable(self.path, exc)
            raise StoreError(self.read_only) from None

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for a read; a failure becomes a :class:`StoreError` in words."""
        try:
            yield self.db
        except sqlite3.Error as exc:
            self._failed(exc)
            raise StoreError(f"{self.path} could not be read: {exc}") from None

    def _failed(self, exc: sqlite3.Error) -> None:
        """After a damaged page: move the database aside, start anew, raise StoreDamaged."""
        if not dbfile.is_damage(exc):
            return
        self.db.close()
        self.notice = None
        try:
            self.db = self._open()
        except StoreError as failure:
            self.read_only = str(failure)
        raise StoreDamaged(
            self.notice
            or self.read_only
            or f"The history database was damaged ({exc}); another wizard has started a new one."
        ) from None

    # -- sessions

    def create_session(
        self, guide: str, first_node: str, at: str | None = None, session_id: str | None = None
    ) -> str:
        """A new session's id (``session_id`` to save one again under the id it had)."""
        session_id = session_id or uuid.uuid4().hex[:12]
        when = at or _now()
        with self._writing() as db:
            db.execute(
                "INSERT INTO sessions (id, guide, started_at, updated_at, current_node)"
                " VALUES (?, ?, ?, ?, ?)",
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
        with self._writing() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT coalesce(max(seq), 0) + 1 FROM events WHERE session_id = ?",
                    (session_id,),
                ).fetchone()
                seq = int(row[0])
                db.execute(
                    "INSERT INTO events (session_id, seq, body) VALUES (?, ?, ?)",
                    (session_id, seq, body),
                )
                db.execute(
                    "UPDATE sessions SET updated_at = ?, status = ?, current_node = ?, ended_at = ?"
                    " WHERE id = ?",
                    (now, status, current_node, ended, session_id),
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return seq

    def abandon(self, session_id: str, at: str | None = None) -> None:
        """End an unfinished session as abandoned (one left for a new walk); others stay."""
        when = at or _now()
        with self._writing() as db:
            db.execute(
                "UPDATE sessions SET status = 'abandoned', updated_at = ?, ended_at = ?"
                " WHERE id = ? AND status = 'active'",
                (when, when, session_id),
            )

    def events(self, session_id: str) -> list[dict[str, Any]]:
        """A session's events in order."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT body FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        return [json.loads(body) for (body,) in rows]

    def session(self, session_id: str) -> SessionRow | None:
        """One session by id (or by a unique prefix of its id)."""
        with self._reading() as db:
            rows = db.execute(
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
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions s ORDER BY updated_at DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [SessionRow(*r) for r in rows]

    def latest(self, *, unfinished: bool = False) -> SessionRow | None:
        """The most recently used session (only an unfinished one, if asked)."""
        where = "WHERE status = 'active'" if unfinished else ""
        with self._reading() as db:
            row = db.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions s {where}"
                " ORDER BY updated_at DESC, rowid DESC LIMIT 1"
            ).fetchone()
        return SessionRow(*row) if row else None

    # -- check history

    def add_check_result(
        self, session_id: str | None, result: CheckResult, at: str | None = None
    ) -> None:
        """Keep a check result in the history."""
        with self._writing() as db:
            db.execute(
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
        with self._reading() as db:
            rows = db.execute(
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
