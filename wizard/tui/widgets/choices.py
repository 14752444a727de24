"""Numbered choices as buttons: click them, or press 1-9."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button

from wizard.content.model import InputNode
from wizard.tui.messages import ChoiceMade
from wizard.tui.shown import plain

PLATFORM_NAMES = {"android": "Android", "ios": "iPhone / iPad", "web": "Web"}
"""How a platform value is named on screen."""


def input_choices(node: InputNode) -> list[tuple[str, str]]:
    """(value, label) of each choice of an input step, as the user is offered them."""
    return [(value, PLATFORM_NAMES.get(value, value)) for value in node.choices]


def choice_label(node: InputNode, value: str) -> str | None:
    """The label the user picked for ``value``, or None when it was typed, not picked."""
    return dict(input_choices(node)).get(value)


class ChoiceButton(Button):
    """One numbered choice; :attr:`value` is what choosing it answers."""

    def __init__(self, value: str, label: Content, *, id: str | None = None) -> None:
        super().__init__(label, id=id, classes="choice")
        self.value = value


class Choices(Vertical):
    """A column of numbered buttons; posts :class:`ChoiceMade` with the chosen value."""

    DEFAULT_CSS = """
    Choices { height: auto; margin: 1 0 0 0; }
    Choices Button { width: 100%; margin: 0 0 0 0; content-align: left middle; text-align: left; }
    """

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        *,
        chosen: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self.chosen = chosen
        """The value chosen here before (after going back), which has the focus first."""

    def compose(self) -> ComposeResult:
        for number, (value, label) in enumerate(self.options, 1):
            yield ChoiceButton(value, plain(f"{number}. {label}"), id=f"choice-{number}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, ChoiceButton):
            self.post_message(ChoiceMade(event.button.value))

    def pick(self, number: int) -> bool:
        """Choose option ``number`` (1-based); False if there is none."""
        if 1 <= number <= len(self.options):
            self.post_message(ChoiceMade(self.options[number - 1][0]))
            return True
        return False

    def on_mount(self) -> None:
        buttons = list(self.query(ChoiceButton))
        before = next((b for b in buttons if b.value == self.chosen), None)
        (before or buttons[0]).focus()
