"""The keys, read from the bindings the screens really have, so the list cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

if TYPE_CHECKING:
    from textual.app import App

NUMBERS = "1–9"


def key_rows(app: App[object], bindings: Iterable[BindingType]) -> Iterator[tuple[str, str]]:
    """(keys, what they do) for each declared binding; the number keys as one row."""
    numbers = False
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        what = item.tooltip or item.description
        if item.key.isdigit():
            if not numbers:
                numbers = True
                yield NUMBERS, what
            continue
        keys = [app.get_key_display(Binding(k.strip(), item.action)) for k in item.key.split(",")]
        yield " or ".join(keys), what


def sections(app: App[object]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The screens' keys, each screen under a heading, the keys that work everywhere first."""
    from wizard.tui.screens.check import CheckScreen
    from wizard.tui.screens.home import HomeScreen
    from wizard.tui.screens.report import ReportScreen, WordsBox
    from wizard.tui.screens.walk import AnswerField, WalkScreen

    palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Commands")
    return [
        (
            "Everywhere",
            [
                *outside_text_boxes(app, app.BINDINGS),
                (
                    app.get_key_display(palette),
                    "commands: open a guide, run one check on its own, the history, the theme, "
                    "and this screen's keys by name (on the report: export, copy)",
                ),
            ],
        ),
        ("Home", list(key_rows(app, HomeScreen.BINDINGS))),
        ("A step of a guide", list(key_rows(app, WalkScreen.BINDINGS))),
        ("Typing an answer", list(key_rows(app, AnswerField.BINDINGS))),
        ("A check run on its own", list(key_rows(app, CheckScreen.BINDINGS))),
        ("The support report", list(key_rows(app, ReportScreen.BINDINGS))),
        ("Typing in the report's text boxes", list(key_rows(app, WordsBox.BINDINGS))),
    ]


def outside_text_boxes(
    app: App[object], bindings: Iterable[BindingType]
) -> Iterator[tuple[str, str]]:
    """:func:`key_rows`, saying of a letter key that in a text box it types instead."""
    for item in bindings:
        for keys, what in key_rows(app, [item]):
            if isinstance(item, Binding) and all(
                len(app.get_key_display(Binding(k.strip(), item.action))) == 1
                for k in item.key.split(",")
            ):
                what += " (outside a text box: there the key types)"
            yield keys, what


def help_text(app: App[object]) -> str:
    """The help as Markdown: a list of keys per screen."""
    parts: list[str] = []
    for title, rows in sections(app):
        if not rows:
            continue
        parts += [f"## {title}", ""]
        parts += [f"- **{_cell(keys)}**: {_cell(what)}" for keys, what in rows]
        parts.append("")
    parts.append(
        "Every answer is saved the moment you give it: closing the terminal loses nothing."
    )
    return "\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("*", "\\*")


class HelpScreen(ModalScreen[None]):
    """The keys of every screen, in a box that scrolls."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help {
        width: 76; max-width: 95%; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-text { height: 1fr; }
    HelpScreen #help-text Markdown { height: auto; }
    HelpScreen #close { margin: 1 0 0 0; }
    HelpScreen #help-title { margin: 0 0 1 0; color: $text; }
    HelpScreen MarkdownH2 { margin: 0 0 1 0; padding: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="close")
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            # Outside the scrolling text, so that the hint to scroll is always in view.
            yield Static("[b]Keys[/b]  (↑ ↓ PgUp PgDn scroll this list)", id="help-title")
            with VerticalScroll(id="help-text"):
                yield Markdown(help_text(self.app))
            yield Button("Close  (esc)", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#help-text", VerticalScroll).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
