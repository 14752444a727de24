"""Running one check on its own, from the command palette."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from checks.api import CheckResult, Progress, Status
from wizard.tui.messages import CheckFinished, CheckProgressed
from wizard.tui.shown import ShownTitles, plain
from wizard.tui.widgets.bars import KeyBar, TitleBar
from wizard.tui.widgets.check_panel import CheckPanel

if TYPE_CHECKING:
    pass


class CheckScreen(ShownTitles, Screen[None]):
    """One check, its live progress and its result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_or_close", "Cancel / back", id="cancel"),
    ]

    def __init__(self, check_id: str, title: str) -> None:
        super().__init__()
        self.check_id = check_id
        self.check_title = title
        self.worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="node"):
            yield Static(plain(self.check_title), classes="node-title")
            yield CheckPanel(self.check_title, id="check")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.check_title
        self.worker = self.run_it()

    @work(exclusive=True, group="check", exit_on_error=False)
    async def run_it(self) -> None:
        from wizard.tui.app import WizardApp

        app = self.app
        assert isinstance(app, WizardApp)

        def report(progress: Progress) -> None:
            self.post_message(CheckProgressed(progress))

        try:
            result = await app.workspace.run_check(self.check_id, progress=report)
        except KeyError:
            result = CheckResult(
                self.check_id, "error", Status.ERROR, "This check is not installed."
            )
        app.remember_check(result)
        self.post_message(CheckFinished(result))

    def on_check_progressed(self, message: CheckProgressed) -> None:
        self.query_one(CheckPanel).show_progress(message.progress)

    async def on_check_finished(self, message: CheckFinished) -> None:
        await self.query_one(CheckPanel).show_result(message.result)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.CANCELLED:
            await self.query_one(CheckPanel).show_cancelled()

    @on(Button.Pressed, "#continue")
    def done(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#retry")
    async def again(self) -> None:
        panel = self.query_one(CheckPanel)
        await panel.remove()
        await self.query_one("#node").mount(CheckPanel(self.check_title, id="check"))
        self.worker = self.run_it()

    def action_cancel_or_close(self) -> None:
        if self.worker is not None and not self.worker.is_finished:
            self.worker.cancel()
        else:
            self.app.pop_screen()
