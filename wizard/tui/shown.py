"""Text from a guide, a check or an export, as the TUI shows it.

Such text is data. Its terminal control characters are written out
(:func:`wizard.terminaltext.escape_controls`), so that a title cannot set the window title
or clear the screen, and it is never read as Textual markup, so that ``[@click=app.quit]``
shows as typed. Every widget that shows such text gets it through one of these, chosen by
what the widget takes: :func:`plain` content, a :func:`markup` string, a table :func:`cell`,
or :func:`markdown` source.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from wizard.terminaltext import escape_controls


def plain(text: object) -> Content:
    """``text`` as content a widget shows exactly, markup and all."""
    return Content(escape_controls(str(text)))


def markup(text: object) -> str:
    """``text`` to put inside a markup string (``f"[b]{markup(title)}[/b]"``).

    Every bracket is escaped, not only those that look like a tag: Textual's parser reads
    ``[2J [@click=…]`` as one tag, so an escape only before ``[@`` would show.
    """
    return escape_controls(str(text)).replace("[", "\\[")


def cell(value: object) -> Text:
    """``value`` as a DataTable cell or column label (a plain string there is markup)."""
    return Text(escape_controls(str(value)))


def markdown(text: str) -> str:
    """``text`` as the source of a Markdown widget (which does not read markup)."""
    return escape_controls(text)


def title(text: object) -> str | None:
    """A screen's or the app's title or sub-title, as the title line and the window show it."""
    return None if text is None else escape_controls(str(text))


class ShownTitles:
    """Mixed into the app and every screen: whatever title they are given is escaped.

    Textual calls ``_validate_<name>`` on every new value of a reactive, before the
    framework's own public ``validate_<name>``.
    """

    def _validate_title(self, value: object) -> str | None:
        return title(value)

    def _validate_sub_title(self, value: object) -> str | None:
        return title(value)
