"""The app's two themes, dark and light, chosen so that every text reaches WCAG AA (4.5:1).

Textual's own dark and light themes leave some pairs short of that (light titles and keys
most of all); these keep their look and change only the colours that fell short. The
choice is remembered in the data folder.
"""

from __future__ import annotations

from pathlib import Path

from textual.theme import Theme

DARK = Theme(
    name="wizard-dark",
    primary="#0b63a8",
    secondary="#004578",
    accent="#ffa62b",
    warning="#ffa62b",
    error="#a8324f",
    success="#4EBF71",
    foreground="#e0e0e0",
    variables={
        "block-cursor-background": "#0a5a9c",
        "markdown-h1-color": "#7cc0f2",
        "markdown-h2-color": "#7cc0f2",
        "markdown-h3-color": "#7cc0f2",
        "text-error": "#ff8097",
        "text-warning": "#ffa62b",
        "text-success": "#4EBF71",
    },
)
LIGHT = Theme(
    name="wizard-light",
    primary="#004578",
    secondary="#005a9e",
    accent="#8a4500",
    warning="#8a4500",
    error="#a3213f",
    success="#1d6b34",
    foreground="#111111",
    surface="#E4E4E4",
    panel="#DADADA",
    background="#F0F0F0",
    dark=False,
    variables={
        "footer-key-foreground": "#004a8f",
        "text-error": "#a3213f",
        "text-warning": "#8a4500",
        "text-success": "#1d6b34",
    },
)
THEMES = {theme.name: theme for theme in (DARK, LIGHT)}
THEME_FILE = "theme"


def remembered(folder: Path) -> str:
    """The theme chosen last time (dark when none was, or the note cannot be read)."""
    try:
        name = (folder / THEME_FILE).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return DARK.name
    return name if name in THEMES else DARK.name


def remember(folder: Path, name: str) -> bool:
    """Note ``name`` as the theme for next time; False if the note could not be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / THEME_FILE).write_text(name + "\n", "utf-8")
    except OSError:
        return False
    return True
