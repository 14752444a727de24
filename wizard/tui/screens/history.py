"""History: the speed test's numbers drawn over time (thresholds as lines, results much
worse than usual called out), then past sessions and check results."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from wizard import history
from wizard.report.render import OUTCOME_WORDS
from wizard.store import StoreError
from wizard.tui.screens.base import WizardScreen
from wizard.tui.screens.tables import fill, with_numbers
from wizard.tui.shown import markup, plain
from wizard.tui.widgets.bars import KeyBar, TitleBar

if TYPE_CHECKING:
    from rich.text import Text

    from checks.api import CheckResult
    from wizard.store import SessionRow

LIMIT = 200
CHART_WIDTH = 60
"""Points per chart: with the axis labels it fits an 80-column terminal."""


ENDED = ("solved", "report")
"""Statuses of a session whose walk has ended: opening it shows its report."""


class SessionTable(DataTable["Text"]):
    """The sessions, one a row: Enter or a click on a row opens that session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open session",
            id="open-session",
            tooltip="carry on with an unfinished walk, or see an ended one's report",
        ),
    ]

    async def _on_click(self, event: events.Click) -> None:
        # Textual's table moves its cursor to a clicked row and opens only on a second
        # click. Run before its own handler (the subclass's comes first), this puts the
        # cursor there already, so that the first click opens the row.
        meta = event.style.meta
        row, column = meta.get("row", -1), meta.get("column", -1)
        if row >= 0 and column >= 0 and not meta.get("out_of_bounds", False):
            self.cursor_coordinate = Coordinate(row, column)


class HistoryScreen(WizardScreen):
    """Speed over time as charts, then sessions and check results as tables."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.listed: dict[str, SessionRow] = {}
        """The sessions shown, by id."""

    def _read(self) -> tuple[list[SessionRow], list[tuple[str, CheckResult]], str | None]:
        store = self.wizard.store
        if store is None:
            return [], [], self.wizard.unsaved or "there is no history store"
        try:
            return store.sessions(LIMIT), store.check_history(None, LIMIT), None
        except StoreError as exc:
            return [], [], str(exc)

    def compose(self) -> ComposeResult:
        sessions, results, problem = self._read()
        config = self.wizard.workspace.config
        thresholds = {
            line.threshold: config.get(line.threshold)
            for line in history.SPEED_LINES
            if line.threshold
        }
        drawn = history.series("speed", results, thresholds)
        now = self.wizard.now()

        def stamp(iso: str) -> str:
            return history.when(iso, now)

        yield TitleBar()
        with VerticalScroll(id="history-page"):
            if problem:
                yield Static(plain(f"The history cannot be read: {problem}."), id="problem")
            yield Static("Speed over time", classes="section")
            if any(s.points for s in drawn):
                for s in drawn:
                    text = "\n".join(history.chart(s, width=CHART_WIDTH, stamp=stamp))
                    yield Static(plain(text), classes="chart", id=f"chart-{s.name}")
                for line in history.callouts(drawn, stamp):
                    yield Static(plain(line), classes="callout")
            else:
                yield Static(
                    "No speed results yet: run the speed check (command palette, "
                    "'Run check') and they appear here.",
                    id="no-speed",
                )
            yield Static("Sessions", classes="section")
            if sessions:
                yield Static(
                    "Enter on a session: an unfinished one carries on where it stopped, "
                    "an ended one shows its report.",
                    classes="hint",
                    id="sessions-hint",
                )
            self.listed = {session.id: session for session in sessions}
            room = self.app.size.width - 2  # the page's scroll bar
            table = SessionTable(id="sessions", cursor_type="row")
            fill(
                table,
                ("started (UTC)", "guide", "how it went"),
                (
                    (
                        (
                            history.when(session.started_at, now),
                            self._guide_title(session.guide),
                            SESSION_WORDS.get(session.status, session.status),
                        ),
                        session.id,
                    )
                    for session in sessions
                ),
                room,
            )
            yield table
            yield Static("Check results", classes="section")
            checks: DataTable[Text] = DataTable(id="checks", cursor_type="row")
            fill(
                checks,
                ("when (UTC)", "check", "what it found"),
                (
                    (
                        (
                            history.when(at, now),
                            self._check_title(result.check_id),
                            with_numbers(result.summary, _numbers(result)),
                        ),
                        None,
                    )
                    for at, result in results
                ),
                room,
            )
            yield checks
        yield KeyBar()

    def _guide_title(self, guide_id: str) -> str:
        """A guide by its title (by its id, said to be missing, when it is not installed)."""
        library = self.wizard.library
        guide = library.guides.get(guide_id) if library is not None else None
        if guide is not None:
            return guide.title
        return f"“{guide_id}” (not installed)" if library is not None else guide_id

    def _check_title(self, check_id: str) -> str:
        """A check by its title (by its id when it is not installed)."""
        check = self.wizard.workspace.registry.get(check_id)
        return check.title if check is not None else check_id

    def on_mount(self) -> None:
        self.title = "History"
        self.sub_title = "speed over time, sessions and check results"

    @on(DataTable.RowSelected, "#sessions")
    def session_chosen(self, event: DataTable.RowSelected) -> None:
        """Open the chosen session: back into its walk, or its report once it has ended."""
        session = self.listed.get(str(event.row_key.value))
        if session is not None:
            self.open_session(session)

    def open_session(self, session: SessionRow) -> None:
        """An unfinished walk goes on at its step; an ended one shows its report."""
        app = self.wizard
        if app.library_failed is not None:
            self.notify(f"The guides could not be loaded: {markup(app.library_failed)}")
            return
        if session.guide not in app.workspace.library.guides:
            self.notify(
                f"The guide of this session, “{markup(session.guide)}”, is no longer installed.",
                severity="warning",
            )
            return
        if session.status not in ENDED:
            app.resume_session(session.id)
            return
        store = app.store
        if store is None:
            return
        from wizard.saved import SavedSession

        try:
            saved = SavedSession.resume(
                app.workspace.library.guides, store, session.id, tell=app.tell
            )
        except StoreError as exc:
            self.notify(markup(exc), severity="error")
            return
        app.open_report(saved)

    async def on_screen_resume(self) -> None:
        # Back from a session opened here: it may have moved on, or ended.
        if self._shown:
            chosen = self.query_one("#sessions", DataTable).cursor_row
            await self.recompose()
            table = self.query_one("#sessions", DataTable)
            table.move_cursor(row=chosen)
            table.focus()
        self._shown = True

    _shown = False

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.app.pop_screen()


SESSION_WORDS = {**OUTCOME_WORDS, "active": "Not finished yet"}
"""A session's status in words."""


def _numbers(result: CheckResult) -> str:
    """A result's first few numbers on one line."""
    return ", ".join(f"{m.label or m.name} {m.display()}" for m in result.metrics[:3])
