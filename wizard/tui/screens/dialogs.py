"""Dialogs: where and how to export, and the key help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from wizard.report.formats import FORMAT_INFO as FORMATS
from wizard.report.write import WriteError, export_target, format_of
from wizard.tui.widgets.toggles import DotButton

Writer = Callable[[str, Path, bool], Path]
"""Writes the report in a format to a file (replacing it if asked); raises WriteError."""


class ExportDialog(ModalScreen[Path | None]):
    """Asks for the format and the file and writes it; dismisses with the file, or None.

    A file name that says a format (``report1.json``) selects it. When the name is taken
    the dialog stays open with the name, says so, and offers to replace it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="cancel")
    ]

    def __init__(self, folder: Path, stem: str, fmt: str, write: Writer) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.initial = fmt
        self.write = write

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("[b]Export the report[/b]")
            with RadioSet(id="format"):
                for key, fmt in FORMATS.items():
                    yield DotButton(fmt.label, value=key == self.initial, id=f"fmt-{key}")
            yield Label("Save as")
            extension = FORMATS[self.initial].extension
            yield Input(str(self.folder / f"{self.stem}.{extension}"), id="path")
            yield Static("", id="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="do-export", variant="primary")
                yield Button(
                    "Replace it",
                    id="replace",
                    variant="warning",
                )
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#replace", Button).display = False
        self.query_one("#path", Input).focus()

    def _format(self) -> str:
        pressed = self.query_one("#format", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("fmt-") if pressed else self.initial

    @on(RadioSet.Changed, "#format")
    def format_changed(self) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value or self.stem)
        wanted = f".{FORMATS[self._format()].extension}"
        if current.suffix.lower() != wanted:
            path.value = str(current.with_suffix(wanted))

    @on(Input.Changed, "#path")
    def name_changed(self, event: Input.Changed) -> None:
        """A name whose extension says a format selects it."""
        self.query_one("#replace", Button).display = False
        self.query_one("#dialog-error", Static).update("")
        named = format_of(event.value.strip())
        if named is None or FORMATS[named].extension == FORMATS[self._format()].extension:
            return
        self.query_one(f"#fmt-{named}", RadioButton).value = True

    @on(Button.Pressed, "#do-export")
    @on(Input.Submitted, "#path")
    def export(self) -> None:
        self._write(False)

    @on(Button.Pressed, "#replace")
    def replace(self) -> None:
        self._write(True)

    def _write(self, overwrite: bool) -> None:
        error = self.query_one("#dialog-error", Static)
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            error.update(Text("Give a file name.", style="red"))
            return
        fmt, path = export_target(raw, self._format(), self.stem)
        try:
            written = self.write(fmt, path, overwrite)
        except WriteError as exc:
            if exc.exists:
                error.update(
                    Text(
                        f"There is already a file called {path.name} there. Replace it, or "
                        "change the name.",
                        style="red",
                    )
                )
                self.query_one("#replace", Button).display = True
            else:
                error.update(Text(f"Not saved: {exc}", style="red"))
            return
        self.dismiss(written)

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)
