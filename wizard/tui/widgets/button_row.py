"""A row of buttons that stacks them when the row is too narrow for their labels."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import Button


class ButtonRow(Horizontal):
    """Buttons side by side; one under the other when side by side would cut a label.

    A button is as wide as its label (the labels of a fix come from the guide), and a
    horizontal row does not wrap: at 80 columns a second button would be cut off.
    """

    DEFAULT_CSS = """
    ButtonRow { height: auto; }
    ButtonRow.-stacked { layout: vertical; }
    """

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.fit)

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Stack the buttons if their natural widths add up to more than the row has."""
        if not self.is_attached or not self.size.width:
            return
        buttons = list(self.query_children(Button))
        # The last button's right margin may fall outside the row.
        needed = sum(b.outer_size.width + b.styles.margin.right for b in buttons[:-1])
        needed += buttons[-1].outer_size.width if buttons else 0
        self.set_class(needed > self.size.width, "-stacked")
