"""The support report as data: built from a session, then redacted, then rendered.

Pure: the caller passes the device facts and the time. The report is a plain dict with a
documented schema (``wizard/report/report.schema.json``, ``schema_version``) so that the
redactor can walk every string in it and the renderers and the JSON export share it.

It is written for the agent who acts on it: the problem, what was ruled out, what was
tried, the suspected cause; then the evidence, the facts (each with the device it is about
and where it comes from, a later answer superseding an earlier one) and the path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wizard.content.model import (
    PROBLEM_FACT,
    AskNode,
    CheckNode,
    FixNode,
    Guide,
    InfoNode,
    InputNode,
)
from wizard.engine import ACTIVE, Session, Step
from wizard.report.redact import HANDLE_IN_LINK, PLACEHOLDER

SCHEMA_VERSION = 2
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
    "latest_released",
    "source",
    "vanished",
    "drops",
    "not_following_back",
    "not_followed_back",
    "setting",
    "exports",
)

COMPUTER, PHONE, ACCOUNT = "this computer", "the phone", "the TikTok account"
MEASURED, SAID, EXPORT, NOT_RUN = "measured", "reported", "export", "not_run"
SOURCE_WORDS = {
    MEASURED: "measured on this computer",
    SAID: "said by the user",
    EXPORT: "read from the export",
    NOT_RUN: "not run",
    "timed_out": "timed out on this computer",
}
"""Where a fact comes from, in words: every fact in a report names one of these."""

# What a check looks at, when it is not this computer: the phone the user reads it from,
# or the account whose data export it reads. A check not named here measures this computer.
CHECK_DEVICES = {
    "app_version": (PHONE, SAID),
    "privacy_liked_videos": (PHONE, SAID),
    "data_export": (ACCOUNT, EXPORT),
}
# Checks whose findings are about this computer's own health: only when one of them found a
# fault do the computer's memory and disk belong in a report about a phone.
COMPUTER_FAULT_CHECKS = frozenset({"device"})
PLATFORM_DEVICES = {"web": "the web browser"}
"""What the user reads a phone check from, by the platform they picked, when not a phone."""
# Outcomes that report what is there rather than judge it: status ok, yet nothing is ruled
# out by them (a summary of an export, follows that are one-sided, a setting as it stands).
READINGS = {
    "data_export": frozenset({"summary", "one_sided"}),
    "privacy_liked_videos": frozenset({"public", "private", "unknown"}),
}
FACT_LABELS = {
    "platform": "Where TikTok is used",
    "app_version": "TikTok app version",
    "liked_setting": "Who can see the liked videos (the app's setting)",
    "export_new": "The newer data export",
    "export_old": "The earlier data export",
}
"""Names for the facts the built-in guides set; any other fact is named by its question."""
PLATFORM_WORDS = {
    "android": "Android phone or tablet",
    "ios": "iPhone or iPad",
    "web": "a web browser",
}
ON_PLATFORM = {
    "android": "on an Android phone or tablet",
    "ios": "on an iPhone or iPad",
    "web": "in a web browser",
}
"""Where the user followed a fix's steps, for the line that names what they tried."""
# A numbered step that opens with its name in bold: "2. **Clear the site's data.** Open…".
NAMED_STEP = re.compile(r"^\s*\d+\.\s+\*\*([^*\n]+?)[.:]?\*\*", re.M)


def _source(check_id: str, result: Mapping[str, Any]) -> str:
    if result.get("outcome") == NOT_RUN:
        return NOT_RUN
    if result.get("outcome") == "timeout":
        return "timed_out"
    given = str(result.get("source") or MEASURED)
    if given == MEASURED and check_id in CHECK_DEVICES:
        return CHECK_DEVICES[check_id][1]
    return given if given in SOURCE_WORDS else MEASURED


def _device_of(check_id: str, source: str, phone: str = PHONE) -> str:
    """What a check looked at: ``phone`` names the device the user reads the app on."""
    if check_id in CHECK_DEVICES:
        device = CHECK_DEVICES[check_id][0]
    else:
        device = PHONE if source == SAID else COMPUTER
    return phone if device == PHONE else device


def _platform_step(guide: Guide, step: Step) -> bool:
    node = guide.nodes[step.node]
    return isinstance(node, AskNode | InputNode) and node.fact == "platform"


def _problem_step(session: Session) -> Step | None:
    """The answer that says what the problem is: the question that sets the fact
    ``problem`` (a guide about one problem has none, and its title says it)."""
    guide = session.guide
    return next(
        (
            s
            for s in session.path
            if isinstance(node := guide.nodes[s.node], AskNode) and node.fact == PROBLEM_FACT
        ),
        None,
    )


def _summary_line(session: Session) -> str:
    """The guide's own one-line summary of the path: its title and the answer that says
    what the problem is (the platform is in what the user says, and in the facts)."""
    title = session.guide.title
    problem = _problem_step(session)
    return f"{title}: {problem.label}" if problem else title


def _user_says(session: Session) -> list[Report]:
    """What the user said is going on: every answer they picked, in order."""
    guide = session.guide
    return [
        {"question": _question(guide, s.node), "answer": s.label}
        for s in session.path
        if s.kind == "ask"
    ]


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
    """``report`` with its one-line fields cut to length: call it on the redacted report.

    Only the one-line problem is cut; the user's own words are always kept whole.
    """
    return {**report, "problem": shorten(report["problem"], PROBLEM_LIMIT)}


def _question(guide: Guide, node_id: str) -> str:
    node = guide.nodes[node_id]
    if isinstance(node, AskNode | InputNode) and node.title:
        return node.title
    return node.heading


def _answer(guide: Guide, step: Step) -> str:
    """What the step's answer was, in words (an info step was read, not answered)."""
    node = guide.nodes[step.node]
    if isinstance(node, InfoNode):
        return "read it"
    if isinstance(node, InputNode) and not step.choice:
        return "left empty"
    if isinstance(node, CheckNode) and step.label == step.choice:
        # No words for the outcome from the guide or the check: never show its id.
        return outcome_words(step.choice, str((step.result or {}).get("summary", "")))
    return step.label


def outcome_words(outcome: str | None, summary: str = "") -> str:
    """A check's outcome in words: its one-line summary (the check's own, else the guide's
    words for the outcome), else the outcome spelt out."""
    if summary.strip():
        return summary.strip()
    if not outcome:
        return "not run"
    return {"error": "the check failed to run", "timeout": "the check ran out of time"}.get(
        outcome, outcome.replace("_", " ")
    )


def _check_entry(
    guide: Guide, step: Step, node: CheckNode, after: Step | None, phone: str
) -> Report:
    result = dict(step.result or {})
    details = result.get("details") or {}
    source = _source(node.check, {**result, "outcome": step.choice}) if result else SAID
    entry: Report = {
        "node": step.node,
        "check": node.check,
        "title": node.heading,
        "outcome": step.choice,
        "outcome_words": outcome_words(
            step.choice, str(result.get("summary", "")) or node.words_for(step.choice) or ""
        ),
        "status": result.get("status", "ok"),
        "summary": result.get("summary", ""),
        "advice": result.get("advice", ""),
        "source": source,
        "device": _device_of(node.check, source, phone),
        "metrics": list(result.get("metrics", [])),
        "details": {k: v for k, v in details.items() if k in DETAIL_KEYS_KEPT},
        "duration_s": result.get("duration_s"),
        "at": step.at,
        "followed_by": None,
    }
    # A fix the check led straight to acts on what the check looked at: what the check
    # found may no longer hold (the user updated the app the check found out of date).
    if after is not None and isinstance(guide.nodes[after.node], FixNode):
        entry["followed_by"] = {
            "fix": guide.nodes[after.node].heading,
            "helped": after.choice == "yes",
        }
    return entry


def _evidence(checks: list[Report]) -> list[Report]:
    """The lists the checks found, whole (the renderers cap what they show)."""
    out: list[Report] = []
    for check in checks:
        details = check["details"]
        found: list[Report] = []
        if details.get("vanished"):
            found.append(
                {
                    "kind": "vanished_likes",
                    "title": "Likes that vanished between the two exports",
                    "columns": ["liked on", "video"],
                    "rows": [
                        [v.get("date") or "", v.get("link") or ""] for v in details["vanished"]
                    ],
                }
            )
        if details.get("drops"):
            found.append(
                {
                    "kind": "videos_lost_likes",
                    "title": "The user's videos that lost likes (before → after)",
                    "columns": ["video", "before", "after"],
                    "rows": [
                        [d.get("link") or "", str(d.get("before")), str(d.get("after"))]
                        for d in details["drops"]
                    ],
                }
            )
        for key, title in (
            ("not_following_back", "Accounts the user follows that do not follow back"),
            ("not_followed_back", "Accounts that follow the user, not followed back"),
        ):
            if details.get(key):
                found.append(
                    {
                        "kind": key,
                        "title": title,
                        "columns": ["account"],
                        "rows": [[f"@{name}"] for name in details[key]],
                    }
                )
        tag = {"device": check["device"], "source": check["source"]}
        out += [{**item, **tag} for item in found]
    return out


def other_peoples_handles(report: Report) -> list[str]:
    """The TikTok handles of other people the report carries: followers, liked videos' authors."""
    found: dict[str, None] = {}
    for check in report["checks"]:
        details = check["details"]
        for key in ("not_following_back", "not_followed_back"):
            found.update(dict.fromkeys(str(h).lstrip("@") for h in details.get(key) or ()))
        for like in details.get("vanished") or ():
            match = HANDLE_IN_LINK.search(str(like.get("link") or ""))
            if match:
                found[match.group(2)] = None
    return [h for h in found if h]


def _facts(session: Session, checks: list[Report], device_facts: Mapping[str, Any]) -> list[Report]:
    """Every fact with its device and source; a later step supersedes an earlier value."""
    guide = session.guide
    platform = session.facts.get("platform", "")
    phone = PLATFORM_DEVICES.get(platform, PHONE)
    facts: dict[str, Report] = {}
    problem = _problem_step(session)
    for step in session.path:
        node = guide.nodes[step.node]
        name = node.fact if isinstance(node, AskNode | InputNode) else None
        if not name or step == problem:
            continue  # that answer is already the problem line
        if isinstance(node, InputNode) and not step.choice:
            continue  # left empty: no fact (a web user has no app version to give)
        is_file = isinstance(node, InputNode) and node.input_type in ("file", "path")
        value = step.label if isinstance(node, AskNode) else step.choice
        if name == "platform":
            value = PLATFORM_WORDS.get(step.choice, value)
        fact: Report = {
            "name": name,
            "label": FACT_LABELS.get(name) or _question(guide, step.node),
            "value": value,
            "device": COMPUTER if is_file else phone,
            "source": SAID,
            "history": [],
        }
        if name in facts:
            old = facts[name]
            fact["history"] = [*old["history"], {"value": old["value"], "source": old["source"]}]
        facts[name] = fact
    # A fix tried after a check that read a fact (update the app after the version check)
    # makes the fact stale: the latest value is "changed by the fix", the old one history.
    for check in checks:
        check_node = guide.nodes.get(check["node"] or "")
        if not isinstance(check_node, CheckNode) or not check["followed_by"]:
            continue
        for name in check_node.facts_used():
            if name in facts and name != "platform":
                old = facts[name]
                facts[name] = {
                    **old,
                    "value": f"changed by “{check['followed_by']['fix']}” (new value not given)",
                    "source": SAID,
                    "history": [*old["history"], {"value": old["value"], "source": old["source"]}],
                }
    out = list(facts.values())
    network = next((c for c in checks if c["details"].get("network_type")), None)
    if network is not None:
        out.append(
            {
                "name": "network_type",
                "label": "Network of this computer",
                "value": str(network["details"]["network_type"]),
                "device": COMPUTER,
                "source": MEASURED,
                "history": [],
            }
        )
    ran_on_computer = any(c["device"] == COMPUTER and c["source"] == MEASURED for c in checks)
    if ran_on_computer and device_facts.get("os"):
        out.append(
            {
                "name": "os",
                "label": "Computer the checks ran on",
                "value": str(device_facts["os"]),
                "device": COMPUTER,
                "source": MEASURED,
                "history": [],
            }
        )
    if _computer_at_fault(checks):
        for name, label, unit in (
            ("memory_available_mb", "Memory available", "MB"),
            ("disk_free_gb", "Disk space free", "GB"),
        ):
            if device_facts.get(name) is not None:
                out.append(
                    {
                        "name": name,
                        "label": label,
                        "value": f"{device_facts[name]} {unit}",
                        "device": COMPUTER,
                        "source": MEASURED,
                        "history": [],
                    }
                )
    return out


def _computer_at_fault(checks: list[Report]) -> bool:
    return any(
        c["check"] in COMPUTER_FAULT_CHECKS and c["status"] in ("warning", "failed") for c in checks
    )


def ran(check: Report) -> bool:
    """Whether the check ran: one the user skipped has the source "not run"."""
    return bool(check["source"] != NOT_RUN)


def _reading(check: Report, evidence: bool) -> bool:
    """Whether an ok result reports what is there rather than rules something out."""
    return evidence or check["outcome"] in READINGS.get(check["check"], ())


def rules_out(check: Report) -> bool:
    """Whether the check came back fine and so rules its cause out."""
    found = bool(_evidence([check]))
    return ran(check) and check["status"] == "ok" and not _reading(check, found)


def found_something(check: Report) -> bool:
    """Whether the check came back ok with a reading of what is there (no fault in it)."""
    found = bool(_evidence([check]))
    return ran(check) and check["status"] == "ok" and _reading(check, found)


def _suspected(checks: list[Report], outcome: str) -> str:
    """The suspected cause: what the last check that found something found.

    A finding whose fix was tried and did not help is no longer the suspect (the app was
    out of date, the user updated it, the likes still vanish): it is said as such. With no
    fault found, it says whether every check ran and came back fine, or which did not run.
    """
    found = [c for c in checks if c["status"] in ("warning", "failed", "error")]
    open_ = [c for c in found if not c["followed_by"] or c["followed_by"]["helped"]]
    if open_:
        last = open_[-1]
        return f"{last['title']}: {last['outcome_words']}"
    if found:
        last = found[-1]
        fix = last["followed_by"]["fix"]
        return (
            f"unclear: {last['title']} found “{last['outcome_words'].rstrip('.')}”, "
            f"but “{fix}” did not help"
        )
    if outcome == "solved":
        return ""
    done = [c for c in checks if ran(c)]
    skipped = [c["title"] for c in checks if not ran(c)]
    not_run = f"not run: {', '.join(dict.fromkeys(skipped))}" if skipped else ""
    if not done:
        return "; ".join(["not found: no check ran on this path", *filter(None, [not_run])])
    if all(rules_out(c) for c in done) and not skipped:
        return "not found: every check that ran came back fine"
    return "; ".join(["not found: no check that ran found a fault", *filter(None, [not_run])])


def _tried(fix: Report, platform: str) -> str:
    """A fix that did not help, by its title and, when its steps are named, the steps the
    user followed for their own platform (the title is the same for every platform); then
    the user's answer, when the fix has words of its own for it ("No, I could not change it")."""
    line = str(fix["title"])
    if fix["steps"]:
        where = f"{ON_PLATFORM[platform]} " if platform in ON_PLATFORM else ""
        line += f" ({where}step by step: {', '.join(fix['steps'])})"
    if fix["answer"]:
        line += f" → {fix['answer']}"
    return line


def _fixed_by(session: Session, fixes: list[Report]) -> str:
    if session.status != "solved":
        return ""
    helped = [f for f in fixes if f["helped"]]
    if helped:
        return str(helped[-1]["title"])
    return session.guide.nodes[session.current].heading


def build_report(
    session: Session,
    *,
    device: Mapping[str, Any] | None = None,
    session_id: str | None = None,
    now: datetime,
    time_zone: str = "",
    utc_offset: str = "",
) -> Report:
    """The report for ``session`` as it stands (finished or not).

    ``session_id`` is accepted for the callers' convenience and never exported: it names
    a row in this computer's store, which means nothing to support.
    """
    del session_id
    guide = session.guide
    path = []
    checks: list[Report] = []
    fixes = []
    platform = session.facts.get("platform", "")
    phone = PLATFORM_DEVICES.get(platform, PHONE)
    for number, step in enumerate(session.path, 1):
        node = guide.nodes[step.node]
        path.append(
            {
                "step": number,
                "node": step.node,
                "kind": step.kind,
                "question": _question(guide, step.node),
                "answer": _answer(guide, step),
                "at": step.at,
            }
        )
        if isinstance(node, CheckNode):
            after = session.path[number] if number < len(session.path) else None
            checks.append(_check_entry(guide, step, node, after, phone))
        elif isinstance(node, FixNode):
            fixes.append(
                {
                    "node": step.node,
                    "title": node.heading,
                    "helped": step.choice == "yes",
                    "at": step.at,
                    "steps": NAMED_STEP.findall(node.steps_for(platform)),
                    # The fix's own words for the answer: what the user said happened.
                    "answer": step.label if (node.yes, node.no)[step.choice != "yes"] else "",
                }
            )
    device_facts = dict(device or {})
    outcome = "abandoned" if session.status == ACTIVE else session.status
    computer: Report = {"os": device_facts.get("os", "")}
    if _computer_at_fault(checks):
        computer["memory_available_mb"] = device_facts.get("memory_available_mb")
        computer["disk_free_gb"] = device_facts.get("disk_free_gb")
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(timespec="seconds"),
        "problem": _summary_line(session),
        "user_words": session.note,
        "outcome": outcome,
        "fixed_by": _fixed_by(session, fixes),
        "user_says": _user_says(session),
        "ruled_out": [f"{c['title']}: {c['outcome_words']}" for c in checks if rules_out(c)],
        "found": [f"{c['title']}: {c['outcome_words']}" for c in checks if found_something(c)],
        "tried": [_tried(f, platform) for f in fixes if not f["helped"]],
        "suspected_cause": _suspected(checks, outcome),
        "ended_at_node": {"id": session.current, "title": guide.nodes[session.current].heading},
        "guide": {"id": guide.id, "title": guide.title, "summary": guide.summary},
        "times": {
            "started_utc": session.started_at,
            "ended_utc": session.updated_at if outcome != "abandoned" else None,
            "last_step_utc": session.updated_at,
            "time_zone": time_zone or device_facts.get("time_zone", ""),
            "utc_offset": utc_offset or device_facts.get("utc_offset", ""),
        },
        "evidence": _evidence(checks),
        "checks": checks,
        "not_checked": _checks_ahead(session),
        "fixes": fixes,
        "facts": _facts(session, checks, device_facts),
        "computer": computer,
        "path": path,
    }


def _checks_ahead(session: Session) -> list[str]:
    """The checks a walk that stopped part-way could still reach: what it did not get to.

    A finished walk has none; checks on the guide's other branches never bore on this path.
    """
    if session.status != ACTIVE:
        return []
    guide, seen, ahead = session.guide, {session.current}, [session.current]
    titles: dict[str, None] = {}
    while ahead:
        node = guide.nodes.get(ahead.pop(0))
        if node is None:
            continue
        if isinstance(node, CheckNode):
            titles[node.heading] = None
        for following in node.successors():
            if following not in seen:
                seen.add(following)
                ahead.append(following)
    return list(titles)
