"""Rendering a (redacted) report: the one registry of formats, and each rendering.

Every format is drawn from the same report and numbers its placeholders in the order it
shows them. :func:`preview` is what the report screen shows for a format: the very text
:func:`render` writes (for the e-mail draft, a readable view of all it carries, the
attachment included).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from wizard.report.formats import DEFAULT_FORMAT, FORM_LIMIT, FORMAT_INFO, FormatInfo
from wizard.report.model import NOT_RUN, SOURCE_WORDS, Report, shorten
from wizard.report.redact import renumbered

__all__ = ["DEFAULT_FORMAT", "FORMATS", "FORM_LIMIT", "Format", "preview", "render"]
HIDDEN_NAME = re.compile(r"@?\[HANDLE-\d+\]")

FORM_LINE = 160
"""The most characters a line of the short text has (the user's own words excepted)."""
EVIDENCE_SHOWN = 10
"""How many rows of each evidence list the text formats show; the rest are counted."""
SUBJECT_LIMIT = 70
SUPPORT_ADDRESS = ""
"""TikTok documents no e-mail address for support requests, so the draft's To: is empty."""
NO_ADDRESS_WORDS = (
    "empty: TikTok documents no e-mail address for support; add the one support gave you, "
    "or paste the short text into the app (Profile → Menu → Settings and privacy → "
    "Report a problem)"
)
ATTACHMENT_NAME = "support-report.json"
OUTCOME_WORDS = {
    "solved": "Solved by the wizard",
    "report": "Not solved: needs TikTok support",
    "abandoned": "Not finished",
}
# What the title and the e-mail subject call the report: a solved walk is no support request.
TITLE_WORDS = {"solved": ("Solved", "TikTok problem solved")}
REQUEST_WORDS = ("Support request", "TikTok support")


def _title(report: Report) -> str:
    return f"{TITLE_WORDS.get(report['outcome'], REQUEST_WORDS)[0]}: {report['problem']}"


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _metrics(check: dict[str, Any]) -> str:
    parts = []
    for m in check.get("metrics", []):
        label = m.get("label") or str(m.get("name", "")).replace("_", " ")
        parts.append(f"{label}: {_number(m.get('value'))} {m.get('unit', '')}".strip())
    return "; ".join(parts)


def _when(report: Report) -> str:
    times = report["times"]
    started = (times.get("started_utc") or report["generated_at"] or "")[:16].replace("T", " ")
    offset = times.get("utc_offset") or ""
    zone = times.get("time_zone") or ""
    local = f" (the user's time zone: {zone} {offset})".replace("  ", " ") if zone or offset else ""
    return f"{started} UTC{local}"


def _tag(device: str, source: str) -> str:
    return f"{device}; {SOURCE_WORDS.get(source, source)}"


def _item_tag(item: dict[str, Any]) -> str:
    return _tag(item.get("device", ""), item.get("source", "")).strip("; ")


def _fact_line(fact: dict[str, Any]) -> str:
    line = f"{fact['label']}: {fact['value']} ({_tag(fact['device'], fact['source'])})"
    if fact.get("history"):
        earlier = "; ".join(
            f"{h['value']}, {SOURCE_WORDS.get(h['source'], h['source'])}" for h in fact["history"]
        )
        line += f"; earlier: {earlier}"
    return line


def _check_line(check: dict[str, Any]) -> str:
    line = f"{check['title']} ({_tag(check['device'], check['source'])}): {check['outcome_words']}"
    if _metrics(check):
        line += f" ({_metrics(check)})"
    after = check.get("followed_by")
    if after:
        verdict = "it helped" if after["helped"] else "it did not help"
        line += f" Then tried “{after['fix']}”: {verdict}."
    return line


def user_says(report: Report) -> str:
    """What the user answered, in their words: "question → answer", one after the other."""
    said = [f"{s['question']} → {s['answer']}" for s in report.get("user_says", ())]
    return "; ".join(said)


def _ran(report: Report) -> list[dict[str, Any]]:
    return [c for c in report["checks"] if c["source"] != NOT_RUN]


def _not_run(report: Report) -> str:
    """The checks the user skipped, and the checks a walk that stopped did not get to."""
    skipped = [
        f"{c['title']} ({c['outcome_words']})" for c in report["checks"] if c["source"] == NOT_RUN
    ]
    parts = []
    if skipped:
        parts.append(f"Not run: {'; '.join(skipped)}")
    if report["not_checked"]:
        parts.append(
            f"Not reached (the walk stopped before them): {', '.join(report['not_checked'])}."
        )
    return "\n".join(parts)


def _lead(report: Report) -> list[tuple[str, str]]:
    """The first lines an agent reads: (label, text), in order."""
    rows = []
    if report.get("fixed_by"):
        # A fix that helped fixed it; a walk that ended at an explanation or a "come back
        # later" step only ended there.
        helped = any(f.get("helped") for f in report.get("fixes", ()))
        rows.append(("What fixed it" if helped else "How it ended", report["fixed_by"]))
    says = user_says(report)
    if says:
        rows.append(("The user says", says))
    if report.get("user_words"):
        rows.append(("In the user's words", report["user_words"]))
    rows.append(("Ruled out", "; ".join(report["ruled_out"]) or "nothing yet"))
    if report.get("found"):
        rows.append(("Found", "; ".join(report["found"])))
    rows.append(("Tried, did not help", "; ".join(report["tried"]) or "no fix yet"))
    if report.get("suspected_cause"):
        rows.append(("Suspected cause", report["suspected_cause"]))
    rows.append(("Result", OUTCOME_WORDS.get(report["outcome"], report["outcome"])))
    return rows


def _evidence_rows(item: dict[str, Any], shown: int) -> tuple[list[str], int]:
    if item["rows"] and all(HIDDEN_NAME.fullmatch(" ".join(r)) for r in item["rows"]):
        # A list of placeholders tells the reader nothing: the count says it all.
        return ["(the names are hidden in this report)"], 0
    rows = [" ".join(cell for cell in row if cell) for row in item["rows"][:shown]]
    if item["kind"] == "videos_lost_likes":
        rows = [f"{r[0]}: {r[1]} → {r[2]}" for r in item["rows"][:shown]]
    return rows, max(0, len(item["rows"]) - shown)


def _shown_in_order(report: Report, draw: Callable[[Report], str]) -> Report:
    """``report`` with its placeholders numbered in the order ``draw`` shows them."""
    numbered: Report = renumbered(report, draw(report))
    return numbered


# --- Markdown ---------------------------------------------------------------------------


def _markdown(report: Report) -> str:
    out = [f"# {_title(report)}", ""]
    for label, text in _lead(report):
        lines = text.splitlines() or [""]
        if len(lines) > 1:
            out += [f"**{label}:**", "", *(f"> {line}" if line else ">" for line in lines), ""]
        else:
            out.append(f"**{label}:** {lines[0]}  ")
    out.append(f"**When:** {_when(report)}")
    if report["evidence"]:
        out += ["", "## Evidence"]
        for item in report["evidence"]:
            rows, rest = _evidence_rows(item, EVIDENCE_SHOWN)
            out += ["", f"{item['title']} ({len(item['rows']):,}; {_item_tag(item)}):", ""]
            out += [f"- {row}" for row in rows]
            if rest:
                out.append(f"- … and {rest:,} more (all of them in the JSON attachment)")
    out += ["", "## Checks that ran", ""]
    out += [f"- {_check_line(c)}" for c in _ran(report)] or ["- none"]
    for line in _not_run(report).splitlines():
        out += ["", line]
    out += ["", "## Facts", ""]
    out += [f"- {_fact_line(f)}" for f in report["facts"]] or ["- none given"]
    out += ["", "## Steps taken", ""]
    out += [f"{s['step']}. {s['question']} → {s['answer']}" for s in report["path"]]
    out += [
        "",
        f"_Prepared with the wizard on {report['generated_at'][:16].replace('T', ' ')} UTC._",
        "",
    ]
    return "\n".join(out)


# --- plain text -------------------------------------------------------------------------


def _lead_text(report: Report) -> list[str]:
    out = []
    for label, text in _lead(report):
        lines = text.splitlines() or [""]
        out.append(f"{label}: {lines[0]}")
        out += [f"  {line}" for line in lines[1:]]
    return out


def _text(report: Report) -> str:
    out = [_title(report), "", *_lead_text(report), f"When: {_when(report)}"]
    if report["evidence"]:
        out += ["", "Evidence:"]
        for item in report["evidence"]:
            rows, rest = _evidence_rows(item, EVIDENCE_SHOWN)
            out.append(f"  {item['title']} ({len(item['rows']):,}; {_item_tag(item)}):")
            out += [f"    - {row}" for row in rows]
            if rest:
                out.append(f"    … and {rest:,} more (all of them in the JSON attachment)")
    out += ["", "Checks that ran:"]
    out += [f"  - {_check_line(c)}" for c in _ran(report)] or ["  none"]
    for line in _not_run(report).splitlines():
        out += ["", line]
    out += ["", "Facts:"]
    out += [f"  - {_fact_line(f)}" for f in report["facts"]] or ["  none given"]
    out += ["", "Steps taken:"]
    out += [f"  {s['step']}. {s['question']} → {s['answer']}" for s in report["path"]]
    return "\n".join(out) + "\n"


def _form(report: Report) -> str:
    """The short plain text: the lead lines and the evidence counted, within FORM_LIMIT.

    What the user says and their own words are kept whole; the checks that ruled something
    out are named by title; what does not fit is left for the e-mail and the file.
    """
    ruled_out = [line.split(": ", 1)[0] for line in report["ruled_out"]]
    compact = {**report, "ruled_out": ruled_out}
    words = report.get("user_words") or ""
    whole = [f"The user says: {user_says(compact)}"]
    whole += [f"In the user's words: {words.splitlines()[0]}"] if words else []
    head = [_title(report), ""] + [
        line if line in whole else shorten(line, FORM_LINE) for line in _lead_text(compact)
    ]
    if len("\n".join(head)) > FORM_LIMIT and whole[0] in head:
        # Too long with the questions: the answers alone still say what is wrong.
        answers = "; ".join(s["answer"] for s in report.get("user_says", ()))
        head[head.index(whole[0])] = f"The user says: {answers}"
    extra = []
    for item in report["evidence"]:
        rows, rest = _evidence_rows(item, 3)
        extra.append(f"{item['title']}: {len(item['rows']):,}")
        extra += [f"- {row}" for row in rows]
        if rest:
            extra.append(f"- and {rest:,} more")
    facts = [f"- {_fact_line(f)}" for f in report["facts"]]
    tail = "(The full report goes by e-mail or as a file.)"
    text = "\n".join(head)
    for block in (extra, ["Facts:", *facts] if facts else []):
        for line in block:
            if len(text) + len(line) + len(tail) + 2 > FORM_LIMIT:
                break
            text += "\n" + line
    return f"{text}\n{tail}\n" if len(text) + len(tail) + 2 <= FORM_LIMIT else text + "\n"


# --- JSON and e-mail --------------------------------------------------------------------


def _json(report: Report) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def subject(report: Report) -> str:
    """The e-mail subject: one line of at most SUBJECT_LIMIT characters."""
    words = TITLE_WORDS.get(report["outcome"], REQUEST_WORDS)[1]
    line = " ".join(f"{words}: {report['problem']}".split())
    return shorten(line, SUBJECT_LIMIT)


def _eml_view(report: Report) -> str:
    """What the e-mail draft carries, readably: its headers, the body, the attachment."""
    to = SUPPORT_ADDRESS or f"({NO_ADDRESS_WORDS})"
    return "\n".join(
        (
            f"To: {to}",
            f"Subject: {subject(report)}",
            "",
            _text(report),
            f"--- attached: {ATTACHMENT_NAME} ---",
            _json(report),
        )
    )


def to_markdown(report: Report) -> str:
    """The report as Markdown, for help desks that render it."""
    return _markdown(_shown_in_order(report, _markdown))


def to_text(report: Report) -> str:
    """The whole report as plain text."""
    return _text(_shown_in_order(report, _text))


def to_form(report: Report) -> str:
    """The short plain text for TikTok's in-app form (at most FORM_LIMIT characters)."""
    return _form(_shown_in_order(report, _form))


def to_json(report: Report) -> str:
    """The report as JSON, per ``report.schema.json``."""
    return _json(_shown_in_order(report, _json))


def eml_view(report: Report) -> str:
    """The e-mail draft as the report screen shows it: everything it carries."""
    return _eml_view(_shown_in_order(report, _eml_view))


# Headers are never folded: the Subject is short, and one line opens cleanly everywhere.
_EML_POLICY = policy.default.clone(max_line_length=998)


def to_eml(report: Report) -> bytes:
    """An RFC 5322 e-mail draft: the full plain text as the body, the JSON attached.

    ``X-Unsent: 1`` makes mail clients open it as a draft to edit and send; the wizard
    never sends it, so it names no sender (the mail program fills in the user's own).
    """
    report = _shown_in_order(report, _eml_view)
    message = EmailMessage(policy=_EML_POLICY)
    message["Subject"] = subject(report)
    if SUPPORT_ADDRESS:
        message["To"] = SUPPORT_ADDRESS
    message["Date"] = format_datetime(datetime.fromisoformat(report["generated_at"]))
    message["X-Unsent"] = "1"
    message.set_content(_text(report))
    message.add_attachment(
        _json(report).encode("utf-8"),
        maintype="application",
        subtype="json",
        filename=ATTACHMENT_NAME,
    )
    return message.as_bytes()


@dataclass(frozen=True)
class Format:
    """One way to render a report: what it is (:class:`FormatInfo`) and its renderings."""

    info: FormatInfo
    draw: Callable[[Report], str | bytes]
    view: Callable[[Report], str]
    """The text the report screen shows: the rendering itself, or a readable view of it."""

    @property
    def key(self) -> str:
        """The format's name (``--format``)."""
        return self.info.key

    @property
    def extension(self) -> str:
        """The file extension it is written with."""
        return self.info.extension

    @property
    def name(self) -> str:
        """A few words for a narrow list."""
        return self.info.name

    @property
    def label(self) -> str:
        """A line that says what it is for."""
        return self.info.label

    def render(self, report: Report) -> bytes:
        """``report`` in this format, as bytes ready to write or copy."""
        out = self.draw(report)
        return out if isinstance(out, bytes) else out.encode("utf-8")


_RENDERINGS: dict[str, tuple[Callable[[Report], str | bytes], Callable[[Report], str]]] = {
    "form": (to_form, to_form),
    "txt": (to_text, to_text),
    "md": (to_markdown, to_markdown),
    "json": (to_json, to_json),
    "eml": (to_eml, eml_view),
}
FORMATS: dict[str, Format] = {
    key: Format(info, *_RENDERINGS[key]) for key, info in FORMAT_INFO.items()
}
"""Every report format with its renderings, in the order they are offered."""


def render(report: Report, fmt: str) -> bytes:
    """``report`` in ``fmt`` as bytes ready to write."""
    return FORMATS[fmt].render(report)


def preview(report: Report, fmt: str) -> str:
    """What the report screen shows for ``fmt``: exactly what is written or copied."""
    return FORMATS[fmt].view(report)
