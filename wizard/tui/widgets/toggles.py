"""A checkbox and a radio button whose state reads without colour: a mark when on, none off.

Textual's own draw the same glyph (X, ●) on or off and tell them apart by colour only,
which a monochrome capture, a colour-blind reader or a screen reader cannot see.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class TickBox(Checkbox):
    """A checkbox showing ✓ when ticked and an empty box when not."""

    def render(self) -> Content:
        """The box with its glyph following the value, then the label."""
        self.BUTTON_INNER = "✓" if self.value else " "
        return super().render()


class DotButton(RadioButton):
    """A radio button showing ● when chosen and an empty ring when not."""

    def render(self) -> Content:
        """The button with its glyph following the value, then the label."""
        self.BUTTON_INNER = "●" if self.value else " "
        return super().render()
