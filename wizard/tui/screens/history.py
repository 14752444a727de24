"""History: the speed test's numbers drawn over time (thresholds as lines, results much
worse than usual called out), then past sessions and check results."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from wizard import history
from wizard.report.render import OUTCOME_WORDS
from wizard.store import StoreError
from wizard.tui.screens.base import WizardScreen
from wizard.tui.shown import cell, plain
from wizard.tui.widgets.bars import KeyBar, TitleBar

if TYPE_CHECKING:
    from rich.text import Text

    from checks.api import CheckResult
    from wizard.store import SessionRow

LIMIT = 200
CHART_WIDTH = 60
"""Points per chart: with the axis labels it fits an 80-column terminal."""


class HistoryScreen(WizardScreen):
    """Speed over time as charts, then sessions and check results as tables."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="close"),
    ]

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
        yield TitleBar()
        with VerticalScroll(id="history-page"):
            if problem:
                yield Static(plain(f"The history cannot be read: {problem}."), id="problem")
            yield Static("Speed over time", classes="section")
            if any(s.points for s in drawn):
                for s in drawn:
                    text = "\n".join(history.chart(s, width=CHART_WIDTH))
                    yield Static(plain(text), classes="chart", id=f"chart-{s.name}")
                for line in history.callouts(drawn):
                    yield Static(plain(line), classes="callout")
            else:
                yield Static(
                    "No speed results yet: run the speed check (command palette, "
                    "'Run check') and they appear here.",
                    id="no-speed",
                )
            yield Static("Sessions", classes="section")
            table: DataTable[Text] = DataTable(id="sessions", cursor_type="row")
            table.add_columns(*(cell(c) for c in ("started (UTC)", "guide", "outcome", "ended")))
            for session in sessions:
                row = (
                    _minute(session.started_at),
                    self._guide_title(session.guide),
                    SESSION_WORDS.get(session.status, session.status),
                    _minute(session.ended_at) or "unfinished",
                )
                table.add_row(*(cell(v) for v in row))
            yield table
            yield Static("Check results", classes="section")
            checks: DataTable[Text] = DataTable(id="checks", cursor_type="row")
            checks.add_columns(
                *(cell(c) for c in ("when (UTC)", "check", "what it found", "numbers"))
            )
            for at, result in results:
                numbers = ", ".join(
                    f"{m.label or m.name} {m.display()}" for m in result.metrics[:3]
                )
                row = (_minute(at), self._check_title(result.check_id), result.summary, numbers)
                checks.add_row(*(cell(v) for v in row))
            yield checks
        yield KeyBar()

    def _guide_title(self, guide_id: str) -> str:
        """A guide by its title (by its id when it is not installed, or not loaded yet)."""
        library = self.wizard.library
        guide = library.guides.get(guide_id) if library is not None else None
        return guide.title if guide is not None else guide_id

    def _check_title(self, check_id: str) -> str:
        """A check by its title (by its id when it is not installed)."""
        check = self.wizard.workspace.registry.get(check_id)
        return check.title if check is not None else check_id

    def on_mount(self) -> None:
        self.title = "History"
        self.sub_title = "speed over time, sessions and check results"

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.app.pop_screen()


SESSION_WORDS = {**OUTCOME_WORDS, "active": "Not finished yet"}
"""A session's status in words."""


def _minute(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""
