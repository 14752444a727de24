"""The support report as data: built from a session, then redacted, then rendered.

Pure: the caller passes the device facts and the time. The report is a plain dict with a
documented schema (``wizard/report/report.schema.json``, ``schema_version``) so that the
redactor can walk every string in it and the renderers and the JSON export share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wizard.content.model import AskNode, CheckNode, FixNode, Guide, InputNode
from wizard.engine import ACTIVE, Session
from wizard.report.redact import PLACEHOLDER

SCHEMA_VERSION = 1
PROBLEM_LIMIT = 140
"""The most characters the problem line keeps, counted after redaction."""
Report = dict[str, Any]
DETAIL_KEYS_KEPT = (
    "layers",
    "network_type",
    "endpoints",
    "backend",
    "quality",
    "platform",
    "version",
    "latest",
    "source",
    "vanished",
    "drops",
    "not_following_back",
    "setting",
    "exports",
)


def _source(result: Mapping[str, Any]) -> str:
    if result.get("outcome") == "timeout":
        return "timed_out"
    return str(result.get("source") or "measured")


def _problem(session: Session) -> str:
    if session.note:
        # Whole: it is shortened only once redacted (see shortened), so that an address
        # cut in half is still recognised.
        return session.note.strip().splitlines()[0]
    first_answer = next((s for s in session.path if s.kind == "ask"), None)
    title = session.guide.title
    return f"{title}: {first_answer.label}" if first_answer else title


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters with "…", never inside a placeholder."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    for match in PLACEHOLDER.finditer(text):
        if match.start() < cut < match.end():
            cut = match.start()
    return text[:cut].rstrip() + "…"


def shortened(report: Report) -> Report:
    """``report`` with its one-line fields cut to length: call it on the redacted report."""
    return {**report, "problem": shorten(report["problem"], PROBLEM_LIMIT)}


def _question(guide: Guide, node_id: str) -> str:
    node = guide.nodes[node_id]
    if isinstance(node, AskNode | InputNode) and node.title:
        return node.title
    return node.heading


def build_report(
    session: Session,
    *,
    device: Mapping[str, Any] | None = None,
    session_id: str | None = None,
    now: datetime,
    time_zone: str = "",
    utc_offset: str = "",
) -> Report:
    """The report for ``session`` as it stands (finished or not)."""
    guide = session.guide
    path = []
    checks = []
    fixes = []
    for number, step in enumerate(session.path, 1):
        node = guide.nodes[step.node]
        path.append(
            {
                "step": number,
                "node": step.node,
                "kind": step.kind,
                "question": _question(guide, step.node),
                "answer": step.label,
                "at": step.at,
            }
        )
        if isinstance(node, CheckNode):
            result = dict(step.result or {})
            details = result.get("details") or {}
            checks.append(
                {
                    "node": step.node,
                    "check": node.check,
                    "title": node.heading,
                    "outcome": step.choice,
                    "status": result.get("status", "ok"),
                    "summary": result.get("summary", ""),
                    "advice": result.get("advice", ""),
                    "source": _source(result) if result else "reported",
                    "metrics": list(result.get("metrics", [])),
                    "details": {k: v for k, v in details.items() if k in DETAIL_KEYS_KEPT},
                    "duration_s": result.get("duration_s"),
                    "at": step.at,
                }
            )
        elif isinstance(node, FixNode):
            fixes.append(
                {
                    "node": step.node,
                    "title": node.heading,
                    "helped": step.choice == "yes",
                    "at": step.at,
                }
            )
    ran = {c["check"] for c in checks}
    for check_id in guide.checks_used():
        if check_id not in ran:
            checks.append(
                {
                    "node": None,
                    "check": check_id,
                    "title": check_id,
                    "outcome": None,
                    "status": "skipped",
                    "summary": "Not run on this path.",
                    "advice": "",
                    "source": "not_run",
                    "metrics": [],
                    "details": {},
                    "duration_s": None,
                    "at": None,
                }
            )
    facts = dict(session.facts)
    device_facts = dict(device or {})
    network_type = next(
        (c["details"].get("network_type") for c in checks if c["details"].get("network_type")), None
    )
    outcome = "abandoned" if session.status == ACTIVE else session.status
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(timespec="seconds"),
        "session_id": session_id,
        "problem": _problem(session),
        "user_words": session.note,
        "outcome": outcome,
        "ended_at_node": {"id": session.current, "title": guide.nodes[session.current].heading},
        "guide": {"id": guide.id, "title": guide.title},
        "times": {
            "started_utc": session.started_at,
            "ended_utc": session.updated_at if outcome != "abandoned" else None,
            "last_step_utc": session.updated_at,
            "time_zone": time_zone or device_facts.get("time_zone", ""),
            "utc_offset": utc_offset or device_facts.get("utc_offset", ""),
        },
        "path": path,
        "checks": checks,
        "fixes": fixes,
        "device": {
            "platform": facts.get("platform", ""),
            "app_version": facts.get("app_version", ""),
            "network_type": network_type or "",
            "os": device_facts.get("os", ""),
            "machine": device_facts.get("machine", ""),
            "memory_available_mb": device_facts.get("memory_available_mb"),
            "disk_free_gb": device_facts.get("disk_free_gb"),
            "hostname": device_facts.get("hostname", ""),
            "interfaces": device_facts.get("interfaces", []),
        },
        "facts": facts,
    }
