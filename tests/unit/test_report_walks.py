"""Reports of walks through the shipped guides, read as the support agent receiving them."""

from __future__ import annotations

import email
from collections.abc import Mapping
from datetime import UTC, datetime
from email import policy
from typing import Any

import pytest

from wizard.content.library import load_library
from wizard.content.model import Guide
from wizard.engine import Answer, CheckDone, Continue, Input, Session, Verdict
from wizard.paths import builtin_content_dir
from wizard.report import prepare
from wizard.report.redact import Redactor
from wizard.report.render import FORMATS, render

NOW = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
AT = "2026-12-02T06:00:00+00:00"
HUMAN = ("form", "txt", "md", "eml")


def _guide(guide_id: str) -> Guide:
    return load_library([builtin_content_dir()], None).guides[guide_id]


def _walk(guide_id: str, plan: Mapping[str, Any]) -> Session:
    """Walk a shipped guide: ``plan`` gives each node its answer (an option key, a value,
    a check's (outcome, result), or a fix's verdict); the walk stops at a node it lacks."""
    guide = _guide(guide_id)
    session = Session(guide)
    while not session.ended:
        node = guide.nodes[session.current]
        if node.kind == "info":
            session.apply(Continue(node.id, at=AT))
        elif node.id not in plan:
            break
        elif node.kind == "ask":
            session.apply(Answer(node.id, plan[node.id], at=AT))
        elif node.kind == "input":
            session.apply(Input(node.id, plan[node.id], at=AT))
        elif node.kind == "check":
            outcome, result = plan[node.id]
            session.apply(CheckDone(node.id, outcome, result, at=AT))
        elif node.kind == "fix":
            session.apply(Verdict(node.id, plan[node.id], at=AT))
    return session


def _formats(session: Session) -> dict[str, str]:
    report = prepare(session, now=NOW, redactor=Redactor())
    return {fmt: render(report, fmt).decode("utf-8", "replace") for fmt in FORMATS}


def _section(text: str, heading: str) -> str:
    """The lines of ``text`` from ``heading`` to the next blank line."""
    return text.split(heading, 1)[1].split("\n\n", 1)[0]


def _ok(summary: str, **details: Any) -> dict[str, Any]:
    return {"status": "ok", "summary": summary, "details": details}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_login_name_is_hidden_inside_file_names(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "jane")
    monkeypatch.setenv("HOME", "/home/jane")
    plan = {
        "platform": "android",
        "goal": "follow-back",
        "follow-back": "export",
        "export-path": "/home/jane/Downloads/TikTok_Data_jane.zip",
    }
    report = prepare(_walk("unfollow", plan), now=NOW)
    data = render(report, fmt)
    if fmt == "eml":
        message = email.message_from_bytes(data, policy=policy.default)
        parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
        text = "\n".join(p.decode() if isinstance(p, bytes) else p for p in parts)
    else:
        text = data.decode("utf-8")
    assert "jane" not in text.lower()
    assert "[HOME]/Downloads/TikTok_Data_[USER-1].zip" in text
