"""Finding the saved session a command names: by its id, or the start of its id."""

from __future__ import annotations

from wizard.cli.common import CliError, capped
from wizard.store import SessionRow, Store


def find_session(store: Store, name: str | None, *, unfinished: bool = False) -> SessionRow:
    """The session ``name`` is the id (or the unique start of the id) of, else the latest.

    A CliError (exit 2) says when there is none, when the name matches none, and lists
    the sessions when it matches more than one.
    """
    if not name:
        row = store.latest(unfinished=unfinished)
        if row is not None:
            return row
        none = "there is no saved session yet: walk a guide first (wizard run or wizard)"
        if unfinished:
            ended = store.latest() is not None
            raise CliError(
                "no unfinished session to resume: "
                + ("every saved session has ended" if ended else none)
            )
        raise CliError(none)
    rows = store.sessions_starting(name)
    exact = [r for r in rows if r.id == name]
    if exact:
        return exact[0]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        known = "there are no saved sessions yet" if store.latest() is None else None
        raise CliError(
            f"no saved session matches {name!r}"
            + (f" ({known})" if known else "; 'wizard history' lists them")
        )
    listed = capped(
        [f"  {r.id}  {r.guide}  started {r.started_at[:16].replace('T', ' ')}" for r in rows]
    )
    raise CliError(f"{name!r} matches {len(rows)} sessions; give more of the id:\n" + listed)
