"""Start the TUI headless; signal and exit as soon as the home screen has been drawn once.

Run by the TUI benchmark with ``BENCH_READY_FD`` set: one byte is written to that file
descriptor when the first screen is ready, then the app exits.
"""

from __future__ import annotations

import os

from wizard.config import load_config
from wizard.tui.app import WizardApp
from wizard.workspace import Workspace


class LaunchOnce(WizardApp):
    """The real app, leaving right after its first screen is ready."""

    def on_mount(self) -> None:
        # Textual calls every class's own on_mount, WizardApp's first: no super() here.
        self.call_after_refresh(self.signal_ready)

    def signal_ready(self) -> None:
        """Tell the benchmark the home screen is up, then leave."""
        fd = os.environ.get("BENCH_READY_FD")
        if fd:
            os.write(int(fd), b"!")
        self.exit(0)


if __name__ == "__main__":
    app = LaunchOnce(Workspace(load_config()))
    app.run(headless=True)
    # A failed start (say, a stylesheet that cannot be read) must not pass as a fast one.
    raise SystemExit(app.return_code or 0)
