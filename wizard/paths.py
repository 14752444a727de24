"""Where the shipped content lives (kept apart so that finding it imports nothing heavy)."""

from __future__ import annotations

from pathlib import Path


def builtin_content_dir() -> Path:
    """The content shipped with the package: inside the wheel, or the checkout's ``content/``."""
    package = Path(__file__).resolve().parent
    installed = package / "_content"
    return installed if installed.is_dir() else package.parent / "content"
