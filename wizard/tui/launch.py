"""Starting the app: what the ``wizard`` command does when no other command is given.

Textual is imported here, not at the top, so that collection can be paused first.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp
    from wizard.workspace import Workspace


def run_app(
    workspace: Workspace,
    guide_id: str | None = None,
    *,
    headless: bool = False,
    when_ready: Callable[[WizardApp], None] | None = None,
) -> int:
    """Run the app until it exits and return its exit code.

    ``guide_id`` opens that guide straight away; ``headless`` draws to no terminal (the
    launch benchmark); ``when_ready`` is called once the first screen has been drawn.
    """
    # Importing Textual and drawing the first screen allocate a few hundred thousand
    # objects and leave next to no garbage cycles behind; collecting them all the same is
    # a measurable part of the launch. Collection resumes with the first frame.
    gc.disable()
    try:
        from wizard.tui.app import WizardApp

        def ready(app: WizardApp) -> None:
            gc.enable()
            if when_ready is not None:
                when_ready(app)

        app = WizardApp(workspace, guide_id=guide_id, when_ready=ready)
        app.run(headless=headless)
        return app.return_code or 0
    finally:
        gc.enable()
