"""Start the TUI headless as the ``wizard`` command does; exit once the first screen is drawn.

Run by the TUI benchmark with ``BENCH_READY_FD`` set: one byte is written to that file
descriptor when the home screen lists the guides (its first frame says they are loading;
with ``BENCH_READY_AT=first`` the byte is written at that first frame), then the app exits.

With ``--open GUIDE`` it stays on the home screen for a second (a person reading it),
then opens the guide and prints how many seconds its first step took to be drawn.

With ``BENCH_BARS=textual`` the home screen has Textual's Header and Footer in place of
our title and key lines (``wizard/tui/widgets/bars.py``), the comparison that decides
whether ours are kept; ``BENCH_READY_AT=keys`` then waits until the Footer shows the keys
(it fills itself one refresh after its first frame; ours are in the first frame).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from wizard.cli.common import workspace_from
from wizard.cli.main import build_parser
from wizard.tui.launch import run_app

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


def signal_ready(app: WizardApp) -> None:
    """Tell the benchmark the home screen is drawn with its guides listed, then leave."""
    if os.environ.get("BENCH_READY_AT") == "first":
        send_ready(app)
    elif os.environ.get("BENCH_READY_AT") == "keys":
        if keys_shown(app):
            app.call_after_refresh(send_ready, app)  # once the keys are drawn
        else:
            app.set_timer(0.001, lambda: signal_ready(app))
    elif guides_listed(app):
        app.call_after_refresh(send_ready, app)  # once the filled list is drawn
    else:
        app.set_timer(0.001, lambda: signal_ready(app))


def send_ready(app: WizardApp) -> None:
    """Write the byte the benchmark waits for, and leave."""
    fd = os.environ.get("BENCH_READY_FD")
    if fd:
        os.write(int(fd), b"!")
    app.exit(0)


def guides_listed(app: WizardApp) -> bool:
    """Whether the home screen's list holds guides (not the line saying they are loading)."""
    from textual.widgets import OptionList

    found = app.screen.query("#guides")
    if not found:
        return False
    options = found.first(OptionList)
    return options.option_count > 0 and options.get_option_at_index(0).id is not None


def keys_shown(app: WizardApp) -> bool:
    """Whether the screen's Footer holds its keys (it starts empty)."""
    from textual.widgets import Footer

    footers = app.screen.query(Footer)
    return bool(footers) and bool(footers.first().children)


def use_textual_bars() -> None:
    """Give the home screen Textual's Header and Footer instead of our two lines."""
    from textual.widgets import Footer, Header

    from wizard.tui.screens import home

    for name, widget in (("TitleBar", Header), ("KeyBar", Footer)):
        if not hasattr(home, name):  # else the comparison would quietly time ours twice
            raise SystemExit(f"the home screen no longer mounts {name}: update tui_launch.py")
        setattr(home, name, widget)  # the name compose() looks up


def open_guide_later(guide_id: str) -> tuple[list[float], Callable[[WizardApp], None]]:
    """A ready-callback that opens ``guide_id`` after a second, and where its time goes."""
    seconds: list[float] = []

    def ready(app: WizardApp) -> None:
        def open_it() -> None:
            started = time.perf_counter()
            app.start_guide(guide_id)
            app.call_after_refresh(drawn, started)

        def drawn(started: float) -> None:
            seconds.append(time.perf_counter() - started)
            app.exit(0 if type(app.screen).__name__ == "WalkScreen" else 1)

        app.set_timer(1.0, open_it)

    return seconds, ready


if __name__ == "__main__":
    if os.environ.get("BENCH_BARS") == "textual":
        use_textual_bars()
    workspace = workspace_from(build_parser().parse_args([]))
    if sys.argv[1:2] == ["--open"]:
        seconds, ready = open_guide_later(sys.argv[2])
        code = run_app(workspace, headless=True, when_ready=ready)
        print(seconds[0] if seconds else -1)
        raise SystemExit(code)
    # A failed start (say, a stylesheet that cannot be read) must not pass as a fast one.
    raise SystemExit(run_app(workspace, headless=True, when_ready=signal_ready))
