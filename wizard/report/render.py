"""Rendering a (redacted) report: Markdown, plain text, JSON and an e-mail draft (.eml)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from wizard.report.model import Report
from wizard.report.redact import renumbered

FORMATS = ("md", "txt", "json", "eml")
OUTCOME_WORDS = {
    "solved": "Solved by the wizard",
    "report": "Not solved: needs TikTok support",
    "abandoned": "Not finished",
}
# What the title and the e-mail subject call the report: a solved walk is no support request.
TITLE_WORDS = {"solved": ("Solved", "TikTok problem solved")}
REQUEST_WORDS = ("Support request", "TikTok support")
SOURCE_WORDS = {
    "measured": "measured",
    "reported": "reported by me",
    "not_run": "not run",
    "timed_out": "timed out",
}


def _title(report: Report) -> str:
    return f"{TITLE_WORDS.get(report['outcome'], REQUEST_WORDS)[0]}: {report['problem']}"


def _metrics(check: dict[str, Any]) -> str:
    parts = []
    for m in check.get("metrics", []):
        value = m.get("value")
        number = (
            f"{value:.0f}"
            if isinstance(value, int | float) and abs(value) >= 100
            else f"{value:.3g}"
            if isinstance(value, int | float)
            else str(value)
        )
        parts.append(f"{m.get('label') or m.get('name')}: {number} {m.get('unit', '')}".strip())
    return "; ".join(parts)


def _when(report: Report) -> str:
    times = report["times"]
    started = (times.get("started_utc") or report["generated_at"] or "")[:16].replace("T", " ")
    offset = times.get("utc_offset") or ""
    zone = times.get("time_zone") or ""
    local = f" (my time zone: {zone} {offset})".replace("  ", " ") if (zone or offset) else ""
    return f"{started} UTC{local}"


def _device_lines(report: Report) -> list[tuple[str, str]]:
    device = report["device"]
    rows = [
        ("Platform", device.get("platform") or "not given"),
        ("TikTok app version", device.get("app_version") or "not given"),
        ("Network", device.get("network_type") or "not checked"),
        ("Computer running the wizard", device.get("os") or "unknown"),
    ]
    if device.get("hostname"):
        rows.append(("Computer name", device["hostname"]))
    real = [i for i in device.get("interfaces", []) if i.get("kind") not in ("virtual", "loopback")]
    for iface in real[:4]:
        addresses = ", ".join(iface.get("addresses", [])) or "no address"
        mac = f", {iface['mac']}" if iface.get("mac") else ""
        rows.append((f"Interface {iface.get('name')}", f"{iface.get('kind')}, {addresses}{mac}"))
    return rows


def _shown_in_order(report: Report, draw: Callable[[Report], str]) -> Report:
    """``report`` with its placeholders numbered in the order ``draw`` shows them."""
    numbered: Report = renumbered(report, draw(report))
    return numbered


def to_markdown(report: Report) -> str:
    """The report as Markdown, for pasting into a support form or a chat."""
    return _markdown(_shown_in_order(report, _markdown))


def _markdown(report: Report) -> str:
    out = [f"# {_title(report)}", ""]
    out.append(f"**Result:** {OUTCOME_WORDS.get(report['outcome'], report['outcome'])}  ")
    out.append(f"**Guide:** {report['guide']['title']}  ")
    out.append(f"**When:** {_when(report)}")
    if report.get("user_words"):
        out += ["", "## In my own words", ""]
        out += [f"> {line}" if line else ">" for line in report["user_words"].splitlines()]
    out += ["", "## What I went through", ""]
    for step in report["path"]:
        out.append(f"{step['step']}. {step['question']} → **{step['answer']}**")
    checks = report["checks"]
    if checks:
        out += ["", "## Checks", "", "| check | result | how | details |", "|---|---|---|---|"]
        for c in checks:
            result = c["outcome"] or "–"
            detail = c["summary"] + (f" ({_metrics(c)})" if _metrics(c) else "")
            out.append(
                f"| {c['title']} | {result} | {SOURCE_WORDS.get(c['source'], c['source'])} | "
                f"{detail.replace('|', '/')} |"
            )
    if report["fixes"]:
        out += ["", "## Fixes I tried", ""]
        for fix in report["fixes"]:
            out.append(f"- {fix['title']}: {'helped' if fix['helped'] else 'did not help'}")
    out += ["", "## Device and app", ""]
    out += [f"- {label}: {value}" for label, value in _device_lines(report)]
    out += [
        "",
        f"_Prepared with the wizard on {report['generated_at'][:16].replace('T', ' ')} UTC._",
        "",
    ]
    return "\n".join(out)


def to_text(report: Report) -> str:
    """The report as plain text."""
    return _text(_shown_in_order(report, _text))


def _text(report: Report) -> str:
    out = [_title(report), ""]
    out.append(f"Result: {OUTCOME_WORDS.get(report['outcome'], report['outcome'])}")
    out.append(f"Guide:  {report['guide']['title']}")
    out.append(f"When:   {_when(report)}")
    if report.get("user_words"):
        out += ["", "In my own words:"] + [
            f"  {line}" for line in report["user_words"].splitlines()
        ]
    out += ["", "What I went through:"]
    out += [f"  {s['step']}. {s['question']} → {s['answer']}" for s in report["path"]]
    if report["checks"]:
        out += ["", "Checks:"]
        for c in report["checks"]:
            how = SOURCE_WORDS.get(c["source"], c["source"])
            out.append(f"  - {c['title']}: {c['outcome'] or 'not run'} ({how})")
            if c["summary"]:
                out.append(f"      {c['summary']}")
            if _metrics(c):
                out.append(f"      {_metrics(c)}")
    if report["fixes"]:
        out += ["", "Fixes I tried:"]
        out += [
            f"  - {f['title']}: {'helped' if f['helped'] else 'did not help'}"
            for f in report["fixes"]
        ]
    out += ["", "Device and app:"]
    out += [f"  {label}: {value}" for label, value in _device_lines(report)]
    return "\n".join(out) + "\n"


def to_json(report: Report) -> str:
    """The report as JSON, per ``report.schema.json``."""
    return _json(_shown_in_order(report, _json))


def _json(report: Report) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _subject(report: Report) -> str:
    return f"{TITLE_WORDS.get(report['outcome'], REQUEST_WORDS)[1]}: {report['problem']}"


def _eml_parts(report: Report) -> str:
    """What the e-mail draft shows, in its order: the subject, the body, the attachment."""
    return "\n".join((_subject(report), _text(report), _json(report)))


def to_eml(report: Report, to: str = "") -> bytes:
    """An RFC 5322 e-mail draft: the text as the body, the JSON attached.

    ``X-Unsent: 1`` makes mail clients open it as a draft to edit and send; the wizard
    never sends it.
    """
    report = _shown_in_order(report, _eml_parts)
    message = EmailMessage()
    message["Subject"] = _subject(report)
    message["From"] = "me <me@example.invalid>"
    if to:
        message["To"] = to
    message["Date"] = format_datetime(datetime.fromisoformat(report["generated_at"]))
    message["X-Unsent"] = "1"
    message.set_content(_text(report))
    message.add_attachment(
        _json(report).encode("utf-8"),
        maintype="application",
        subtype="json",
        filename="support-report.json",
    )
    return bytes(message)


RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "md": to_markdown,
    "txt": to_text,
    "json": to_json,
    "eml": to_eml,
}


def render(report: Report, fmt: str) -> bytes:
    """``report`` in ``fmt`` as bytes ready to write."""
    out = RENDERERS[fmt](report)
    return out if isinstance(out, bytes) else out.encode("utf-8")
