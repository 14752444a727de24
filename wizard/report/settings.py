"""The ``report`` section of the configuration: what the support report redacts."""

from __future__ import annotations

from checks.api import Setting
from wizard.report.redact import KINDS

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "redact",
        ["ip", "mac", "hostname", "username", "email", "home", "device_id", "handle"],
        "The kinds of personal data redacted: only those listed ("
        "extra, the words of report.extra_words, always is).",
        choices=KINDS,
    ),
    Setting("extra_words", [], "Extra words always redacted from reports."),
)
