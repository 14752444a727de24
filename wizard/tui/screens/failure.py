"""The screen an unexpected failure becomes: what happened, what was kept, go on or quit."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wizard.tui.shown import markup


class FailureScreen(ModalScreen[bool]):
    """Says what went wrong; dismisses with True to go on, or ends the app."""

    DEFAULT_CSS = """
    FailureScreen { align: center middle; }
    FailureScreen #failure {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 1 2;
    }
    FailureScreen Static { margin: 0 0 1 0; }
    FailureScreen .buttons { height: auto; }
    FailureScreen .buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_on", "Go on", id="go-on"),
        Binding("q", "quit_app", "Quit", id="quit-after-failure"),
    ]

    def __init__(self, what: str, kept: str, log: Path | None) -> None:
        super().__init__()
        self.what = what
        self.kept = kept
        self.log_path = log

    def compose(self) -> ComposeResult:
        if self.log_path is not None:
            where = f"The details are in {markup(str(self.log_path))}."
        else:
            where = "The details could not be written to a log."
        with Vertical(id="failure"):
            yield Static("[b]Something went wrong inside the wizard.[/b]")
            yield Static(markup(self.what), id="failure-what")
            yield Static(f"{markup(self.kept)} {where}", id="failure-kept")
            with Horizontal(classes="buttons"):
                yield Button("Go on  (esc)", id="go-on", variant="primary")
                yield Button("Quit  (q)", id="quit-after-failure")

    def on_mount(self) -> None:
        self.query_one("#go-on", Button).focus()

    @on(Button.Pressed, "#go-on")
    def action_go_on(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#quit-after-failure")
    def action_quit_app(self) -> None:
        # At once, from here: the screen below may be one the failure left unable to draw.
        self.app.exit(0)
