"""The launch benchmark's yardstick: a minimal Textual app (Header, OptionList, Footer).

Started as ``tui_launch.py`` starts the wizard: headless, writing one byte to
``BENCH_READY_FD`` once its first screen has been drawn, then leaving.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, OptionList


class MinimalApp(App[int]):
    """Three widgets and nothing else."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList("My likes keep disappearing", "Undo a like", "Unfollow accounts")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.ready)

    def ready(self) -> None:
        """Tell the benchmark the screen is up, then leave."""
        fd = os.environ.get("BENCH_READY_FD")
        if fd:
            os.write(int(fd), b"!")
        self.exit(0)


if __name__ == "__main__":
    app = MinimalApp()
    app.run(headless=True)
    raise SystemExit(app.return_code or 0)
