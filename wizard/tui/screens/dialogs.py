"""Dialogs: where and how to export (the key help is in help.py)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from wizard.report.export import export_target

FORMAT_LABELS = {
    "md": "Markdown (.md): paste into a form or a chat",
    "txt": "Plain text (.txt)",
    "json": "JSON (.json): for tools",
    "eml": "E-mail draft (.eml): opens in your mail program",
}


class ExportDialog(ModalScreen[tuple[str, Path, bool] | None]):
    """Asks for the format and the file; dismisses with the choice, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="cancel")
    ]

    def __init__(self, folder: Path, stem: str) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("[b]Export the report[/b]")
            with RadioSet(id="format"):
                for key, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=key == "md", id=f"fmt-{key}")
            yield Label("Save as")
            yield Input(str(self.folder / f"{self.stem}.md"), id="path")
            yield Checkbox("Replace the file if it already exists", id="overwrite")
            yield Static("", id="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="do-export", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _format(self) -> str:
        pressed = self.query_one("#format", RadioSet).pressed_button
        return (pressed.id or "fmt-md").removeprefix("fmt-") if pressed else "md"

    @on(RadioSet.Changed)
    def format_changed(self) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value or self.stem)
        path.value = str(current.with_suffix(f".{self._format()}"))

    @on(Button.Pressed, "#do-export")
    @on(Input.Submitted, "#path")
    def export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.query_one("#dialog-error", Static).update("[red]Give a file name.[/red]")
            return
        overwrite = self.query_one("#overwrite", Checkbox).value
        self.dismiss((*export_target(raw, self._format()), overwrite))

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)
