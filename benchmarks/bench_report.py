"""Report: a 200-event session, prepared (built and redacted) and rendered in all four formats."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import Figure, median_time
from wizard.content.library import load_file
from wizard.engine import Answer, Back, CheckDone, Continue, Input, Note, Session, Verdict
from wizard.report import prepare
from wizard.report.render import FORMATS, render

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "guides" / "sample.yaml"
EVENTS = 200


def session_with_events(count: int = EVENTS) -> Session:
    """The sample guide walked back and forth until ``count`` events, with rich check results."""
    guide, errors = load_file(SAMPLE, None)
    assert guide is not None, errors
    session = Session(guide)
    session.apply(
        Note("My likes keep vanishing; contact me at someone@example.com from 192.168.1.20")
    )
    result = {
        "check_id": "echo",
        "outcome": "android",
        "status": "ok",
        "summary": "Echoed android via 10.0.0.1.",
        "metrics": [{"name": "rtt", "value": 12.0, "unit": "ms", "label": "rtt"}],
        "details": {
            "layers": [{"name": "Network", "status": "ok", "summary": "wlan0 fe80::1"}] * 5,
            "endpoints": [{"url": f"https://host{i}.example/", "result": "ok"} for i in range(8)],
        },
        "tables": [],
        "duration_s": 0.1,
        "source": "measured",
    }
    while len(session.events) < count:
        node = session.node
        if session.ended:
            session.apply(Back())
        elif node.id == "welcome":
            session.apply(Continue("welcome", at="2026-11-23T10:00:00+00:00"))
        elif node.id == "which":
            session.apply(Answer("which", "likes", at="2026-11-23T10:00:01+00:00"))
        elif node.id == "platform":
            session.apply(Input("platform", "android", at="2026-11-23T10:00:02+00:00"))
        elif node.id == "probe":
            session.apply(CheckDone("probe", "android", result, at="2026-11-23T10:00:03+00:00"))
        else:
            session.apply(Verdict(node.id, False, at="2026-11-23T10:00:04+00:00"))
    return session


def run() -> list[Figure]:
    """Median time to prepare and render every format."""
    session = session_with_events()
    now = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    device = {"os": "Linux", "hostname": "box", "interfaces": []}

    def everything() -> None:
        report = prepare(session, device=device, now=now)
        for fmt in FORMATS:
            render(report, fmt)

    return [
        Figure(
            f"report of a {EVENTS}-event session, all {len(FORMATS)} formats",
            median_time(everything),
            "s",
            0.2,
        )
    ]
