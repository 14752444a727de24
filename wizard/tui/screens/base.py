"""What every full screen of the app has: escaped titles and the app, typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from wizard.tui.shown import ShownTitles

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


class WizardScreen(ShownTitles, Screen[None]):
    """A screen of the wizard app; :attr:`wizard` is the app with its own attributes typed."""

    @property
    def wizard(self) -> WizardApp:
        """The app, typed."""
        from wizard.tui.app import WizardApp

        assert isinstance(self.app, WizardApp)
        return self.app
