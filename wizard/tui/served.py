"""The app served in a browser by ``wizard serve``: files become downloads, and a note says
whose network the checks measure."""

from __future__ import annotations

import io
from typing import Any

from textual.app import App

NETWORK_NOTE = (
    "You are using the wizard through a browser: its checks run on the computer serving it "
    "and measure that computer's network. A phone on the same Wi-Fi shares that network; "
    "the phone's own settings are still yours to check."
)

MIME_TYPES = {
    "md": "text/markdown",
    "txt": "text/plain",
    "json": "application/json",
    "eml": "message/rfc822",
}


def served(app: App[Any]) -> bool:
    """Whether the app is shown in a browser rather than a terminal."""
    return app.is_web


def deliver(app: App[Any], data: bytes, file_name: str, fmt: str) -> str:
    """Hand ``data`` to the browser as a download named ``file_name``; what to tell the user."""
    app.deliver_binary(
        io.BytesIO(data),
        save_filename=file_name,
        mime_type=MIME_TYPES.get(fmt, "application/octet-stream"),
    )
    return f"Sent to your browser as {file_name}"
