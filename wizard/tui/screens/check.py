"""Running one check on its own, from the command palette."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from checks.api import CheckResult, Status
from wizard.tui.screens.base import WizardScreen
from wizard.tui.shown import plain
from wizard.tui.widgets.bars import KeyBar, TitleBar
from wizard.tui.widgets.check_panel import CheckPanel, Report


class CheckScreen(WizardScreen):
    """One check, its live progress and its result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_or_close", "Cancel / back", id="cancel"),
    ]

    def __init__(self, check_id: str, title: str) -> None:
        super().__init__()
        self.check_id = check_id
        self.check_title = title

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="node"):
            yield Static(plain(self.check_title), classes="node-title")
            yield CheckPanel(self.check_title, self.run_check, id="check")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.check_title

    async def run_check(self, report: Report) -> CheckResult:
        """Run the check and keep its result in the history."""
        app = self.wizard
        try:
            result = await app.workspace.run_check(self.check_id, progress=report)
        except KeyError:
            result = CheckResult(
                self.check_id, "error", Status.ERROR, "This check is not installed."
            )
        app.remember_check(result)
        return result

    @on(Button.Pressed, "#continue")
    def done(self) -> None:
        self.app.pop_screen()

    def action_cancel_or_close(self) -> None:
        panel = self.query_one(CheckPanel)
        if panel.running:
            panel.cancel()
        else:
            self.app.pop_screen()
