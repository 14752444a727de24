"""Start the TUI headless and exit as soon as the home screen has been drawn once."""

from __future__ import annotations

from wizard.config import load_config
from wizard.tui.app import WizardApp
from wizard.workspace import Workspace


class LaunchOnce(WizardApp):
    """The real app, leaving right after its first screen is ready."""

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.exit, 0)


if __name__ == "__main__":
    app = LaunchOnce(Workspace(load_config()))
    app.run(headless=True)
    # A failed start (say, a stylesheet that cannot be read) must not pass as a fast one.
    raise SystemExit(app.return_code or 0)
