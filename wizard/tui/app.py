"""The Textual application (a first screen until the full TUI lands)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Static

from wizard.workspace import Workspace


class WizardApp(App[int]):
    """The guided troubleshooting app."""

    TITLE = "wizard"
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def __init__(self, workspace: Workspace, guide_id: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.guide_id = guide_id

    def compose(self) -> ComposeResult:
        yield Header()
        lines = [f"{g.title}: {g.summary}" for g in self.workspace.quick_library().guides.values()]
        yield Static("\n".join(lines) or "No guides installed.")
        yield Footer()
