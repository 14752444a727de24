"""A session that saves itself: every event goes to the store the moment it is applied.

When the store cannot take a write (read-only, full disk, locked), the walk goes on in
memory and :attr:`SavedSession.unsaved` says why; ``tell`` is called once with words for
the user. When the database turns out to be damaged, the store moves it aside and starts a
new one, and the walk so far is saved again into it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from checks.api import CheckResult
from wizard.content.model import Guide
from wizard.engine import (
    CheckDone,
    Continue,
    EngineError,
    Event,
    Note,
    ReportOptions,
    Session,
    event_from_dict,
)
from wizard.store import Store, StoreDamaged, StoreError

Tell = Callable[[str], None]
"""Shows a line to the user (stderr in the CLI, a notification in the app)."""


def _quiet(_: str) -> None:
    pass


@dataclass
class SavedSession:
    """A :class:`Session` and the store row it is written to."""

    session: Session
    store: Store | None
    id: str | None
    tell: Tell = _quiet
    unsaved: str | None = None
    """Why this walk is no longer being saved (None while it is, or when it was never asked).

    ``id`` stays that of the saved session it was resumed from, if any.
    """
    _pending: bool = field(default=False, repr=False)
    """The stored session is still to be created, at the first real answer (``lazy``)."""
    _started_at: str | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        guide: Guide,
        store: Store | None,
        at: str | None = None,
        *,
        tell: Tell = _quiet,
        lazy: bool = False,
    ) -> SavedSession:
        """A new session, saved from its first event (``store=None`` keeps it in memory).

        ``lazy`` creates the stored session only at the first real answer (not a note, not
        moving on from an info step) or when the walk ends, so a walk abandoned before it
        was answered leaves nothing behind, and one that ends always has its report.
        """
        saved = cls(Session(guide), store, None, tell)
        if store is not None and store.read_only is not None:
            saved._stop_saving(store.read_only)
        elif store is not None and lazy:
            saved._pending, saved._started_at = True, at
        elif store is not None:
            try:
                saved.id = store.create_session(guide.id, guide.start, at)
            except StoreDamaged as exc:
                saved.tell(str(exc))
                saved._save_again(at)
            except StoreError as exc:
                saved._stop_saving(str(exc))
        return saved

    @classmethod
    def resume(
        cls, guides: dict[str, Guide], store: Store, session_id: str, *, tell: Tell = _quiet
    ) -> SavedSession:
        """Rebuild a saved session by replaying its events."""
        row = store.session(session_id)
        if row is None:
            raise StoreError(f"no saved session {session_id!r}")
        guide = guides.get(row.guide)
        if guide is None:
            raise StoreError(f"session {row.id} is for guide {row.guide!r}, which is not installed")
        try:
            session = Session.replay(guide, (event_from_dict(e) for e in store.events(row.id)))
        except (EngineError, KeyError) as exc:
            raise StoreError(
                f"session {row.id} no longer fits guide {row.guide!r} (the guide changed?): {exc}"
            ) from None
        saved = cls(session, store, row.id, tell)
        if store.read_only is not None:
            saved._stop_saving(store.read_only)
        return saved

    def apply(self, event: Event) -> None:
        """Apply ``event``, then save it (and a check's result to the history)."""
        self.session.apply(event)
        if self.store is None:
            return
        if self.id is None:
            real = not isinstance(event, Note | ReportOptions | Continue) or self.session.ended
            if self._pending and real:
                self._pending = False
                self._save_again(self._started_at)  # the events held so far, and this one
            return
        try:
            self._write(self.store, self.id, event, self.session)
        except StoreDamaged as exc:
            self.tell(str(exc))
            self._save_again(self.session.started_at)
        except StoreError as exc:
            self._stop_saving(str(exc))

    def abandon(self, at: str | None = None) -> None:
        """End the stored session as abandoned, if it is stored and unfinished."""
        if self.store is None or self.id is None or self.session.ended:
            return
        try:
            self.store.abandon(self.id, at)
        except StoreError as exc:
            self.tell(str(exc))

    @staticmethod
    def _write(store: Store, session_id: str, event: Event, session: Session) -> None:
        store.append_event(session_id, event.to_dict(), session.status, session.current)
        if isinstance(event, CheckDone) and event.result:
            store.add_check_result(session_id, CheckResult.from_dict(event.result), event.at)

    def _save_again(self, at: str | None) -> None:
        """Write the whole walk so far into the new database the store has started."""
        store = self.store
        if store is None or not store.writable:
            self._stop_saving(store.read_only if store and store.read_only else "no store")
            return
        guide = self.session.guide
        try:
            self.id = store.create_session(guide.id, guide.start, at, session_id=self.id)
            replay = Session(guide)
            for event in self.session.events:
                replay.apply(event)
                self._write(store, self.id, event, replay)
        except StoreError as exc:
            self._stop_saving(str(exc))

    def _stop_saving(self, why: str) -> None:
        """Go on in memory only, and say so once."""
        self.store = None
        self.unsaved = why
        self.tell(f"{why}; this walk will not be saved")
