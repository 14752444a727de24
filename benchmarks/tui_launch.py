"""Start the TUI headless as the ``wizard`` command does; exit once the first screen is drawn.

Run by the TUI benchmark with ``BENCH_READY_FD`` set: one byte is written to that file
descriptor when the first screen is ready, then the app exits.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from wizard.cli.common import workspace_from
from wizard.cli.main import build_parser
from wizard.tui.launch import run_app

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


def signal_ready(app: WizardApp) -> None:
    """Tell the benchmark the home screen is up, then leave."""
    fd = os.environ.get("BENCH_READY_FD")
    if fd:
        os.write(int(fd), b"!")
    app.exit(0)


if __name__ == "__main__":
    workspace = workspace_from(build_parser().parse_args([]))
    # A failed start (say, a stylesheet that cannot be read) must not pass as a fast one.
    raise SystemExit(run_app(workspace, headless=True, when_ready=signal_ready))
