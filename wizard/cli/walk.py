"""``wizard run GUIDE --answer NODE=VALUE ...``: a headless walk."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from checks.api import CheckResult
from wizard.cli.checkcmd import print_result
from wizard.cli.common import parse_pairs, print_json, workspace_from
from wizard.cli.listing import find_guide
from wizard.cli.main import EXIT_INCOMPLETE, EXIT_OK
from wizard.engine import Note, Session
from wizard.walk import Answers, Stop, drive, now_iso


def cmd_run(args: argparse.Namespace) -> int:
    """Walk a guide with the answers given on the command line."""
    workspace = workspace_from(args)
    guide = find_guide(workspace.library, args.guide)
    answers = Answers.from_pairs(parse_pairs(args.answer, "--answer"))
    session = Session(guide)
    if args.note:
        session.apply(Note(args.note, at=now_iso()))
    stop = asyncio.run(drive(session, answers, workspace))
    if args.json:
        print_json(walk_summary(session, stop))
    else:
        _print_walk(session, stop)
    return EXIT_INCOMPLETE if stop is not None else EXIT_OK


def walk_summary(session: Session, stop: Stop | None) -> dict[str, Any]:
    """The walk as JSON: status, end, path, facts and the checks that ran."""
    node = session.node
    return {
        "guide": session.guide.id,
        "status": session.status if stop is None else "incomplete",
        "end": {"node": node.id, "kind": node.kind, "title": node.title},
        "stopped": None if stop is None else {"node": stop.node, "message": stop.message},
        "path": [
            {"node": s.node, "kind": s.kind, "choice": s.choice, "label": s.label, "at": s.at}
            for s in session.path
        ],
        "facts": dict(session.facts),
        "checks": [
            {"node": s.node, **dict(s.result)}
            for s in session.path
            if s.kind == "check" and s.result
        ],
    }


def _print_walk(session: Session, stop: Stop | None) -> None:
    guide = session.guide
    print(f"{guide.title}")
    for step in session.path:
        node = guide.nodes[step.node]
        if step.kind == "check" and step.result:
            print_result(CheckResult.from_dict(step.result))
        else:
            print(f"  {step.node}: {node.heading} → {step.label}")
    node = session.node
    if stop is not None:
        print(f"\nStopped at {stop.node}: {stop.message}")
    elif session.status == "solved":
        print(f"\nSolved: {node.title or node.id}")
    else:
        print(f"\nThis ends in a support report ({node.id}): {node.title}")
