"""The report formats: the one list of them, light enough for the command line's parser.

The renderings live in :mod:`wizard.report.render`, keyed by these names; this module
imports nothing, so listing the formats (``wizard report --help``) loads no report code.
"""

from __future__ import annotations

from dataclasses import dataclass

FORM_LIMIT = 1000
"""The most characters the short plain text has: what in-app support forms take."""


@dataclass(frozen=True)
class FormatInfo:
    """A report format: its name, its file extension, and how it is offered."""

    key: str
    extension: str
    name: str
    """A few words for a narrow list (the report screen)."""
    label: str
    """A line that says what it is for (the export dialog)."""


FORMAT_INFO: dict[str, FormatInfo] = {
    f.key: f
    for f in (
        FormatInfo(
            "form",
            "txt",
            "Short, for the app's form",
            f"Short plain text: for TikTok's in-app form (at most {FORM_LIMIT:,} characters)",
        ),
        FormatInfo(
            "txt", "txt", "Plain text, all of it", "Plain text (.txt): the whole report, for e-mail"
        ),
        FormatInfo("md", "md", "Markdown", "Markdown (.md): for help desks that show Markdown"),
        FormatInfo("json", "json", "JSON", "JSON (.json): everything, for tools"),
        FormatInfo("eml", "eml", "E-mail draft", "E-mail draft (.eml): opens in your mail program"),
    )
}
"""Every report format, in the order they are offered."""
DEFAULT_FORMAT = "form"
