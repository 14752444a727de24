"""A session that saves itself: every event goes to the store the moment it is applied."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.api import CheckResult
from wizard.content.model import Guide
from wizard.engine import CheckDone, Continue, EngineError, Event, Note, Session, event_from_dict
from wizard.store import Store, StoreError


@dataclass
class SavedSession:
    """A :class:`Session` and the store row it is written to."""

    session: Session
    store: Store | None
    id: str | None
    _held: list[Event] = field(default_factory=list, repr=False)
    """Events kept back until the session is created (see ``lazy``)."""
    _started_at: str | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls, guide: Guide, store: Store | None, at: str | None = None, *, lazy: bool = False
    ) -> SavedSession:
        """A new session, saved from its first event (``store=None`` keeps it in memory).

        ``lazy`` creates the stored session only at the first real answer (not a note, not
        moving on from an info step), so a walk that answers nothing leaves nothing behind.
        """
        if lazy and store is not None:
            return cls(Session(guide), store, None, _started_at=at)
        session_id = store.create_session(guide.id, guide.start, at) if store else None
        return cls(Session(guide), store, session_id)

    @classmethod
    def resume(cls, guides: dict[str, Guide], store: Store, session_id: str) -> SavedSession:
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
        return cls(session, store, row.id)

    def apply(self, event: Event) -> None:
        """Apply ``event``, then save it (and a check's result to the history)."""
        self.session.apply(event)
        if self.store is None:
            return
        if self.id is None:
            if isinstance(event, Note | Continue):
                self._held.append(event)
                return
            guide = self.session.guide
            self.id = self.store.create_session(guide.id, guide.start, self._started_at)
            held, self._held = self._held, []
            for earlier in held:
                self.store.append_event(
                    self.id, earlier.to_dict(), self.session.status, self.session.current
                )
        self.store.append_event(self.id, event.to_dict(), self.session.status, self.session.current)
        if isinstance(event, CheckDone) and event.result:
            self.store.add_check_result(self.id, CheckResult.from_dict(event.result), event.at)
