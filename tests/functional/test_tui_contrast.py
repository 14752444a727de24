"""Every text on every screen, in both themes, reaches WCAG AA contrast (4.5:1).

Measured on what the screen really draws: each cell's resolved foreground and background.
Lines, borders and bars are not text (WCAG asks 3:1 of them) and are left out, and so are
keys the key line dims because they do nothing at the moment (inactive controls).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.test_snapshots import STATES, make_app, press_then_steady
from wizard.tui.themes import THEMES

AA = 4.5


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_says() -> None:
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((118, 118, 118), (255, 255, 255)), 2) == 4.54


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize(
    "state",
    list(STATES),
)
async def test_every_text_reaches_aa(tmp_path: Path, state: str, theme: str) -> None:
    guide, keys = STATES[state]
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = theme
        await press_then_steady(*keys)(pilot)
        short = []
        last = app.size.height - 1
        for y, strip in enumerate(app.screen._compositor.render_strips()):
            for segment in strip:
                style = segment.style
                if style is None or not any(c.isalnum() or c in "?^" for c in segment.text):
                    continue
                if y == last and style.dim:
                    continue  # a key that does nothing right now
                assert style.color is not None and style.bgcolor is not None, segment
                fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
                ratio = contrast(tuple(fg), tuple(bg))  # type: ignore[arg-type]
                if ratio < AA:
                    short.append((round(ratio, 2), segment.text.strip(), y))
        assert not short, short


async def test_the_theme_chosen_is_remembered(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "wizard-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "wizard-light"
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "wizard-light"
