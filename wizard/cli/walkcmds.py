"""``wizard run`` and ``wizard resume``: headless walks, saved as they go."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import Any

from wizard.cli.common import CliError, parse_pairs, print_json, workspace_from
from wizard.cli.contentcmds import find_guide
from wizard.cli.exitcodes import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_OK
from wizard.cli.sessions import find_session
from wizard.cli.transcript import Transcript
from wizard.content.model import Guide
from wizard.drive import Answers, Stop, answer_problem, drive, now_iso
from wizard.ending import run_async
from wizard.engine import Event, Note
from wizard.saved import SavedSession
from wizard.store import Store, StoreError, open_store
from wizard.terminaltext import escape_controls
from wizard.workspace import Workspace


def _store(stack: ExitStack, workspace: Workspace, enabled: bool) -> Store | None:
    if not enabled:
        return None
    try:
        store = stack.enter_context(open_store(workspace.config.data_dir))
    except StoreError as exc:
        _tell(f"{exc}; this walk will not be saved")
        return None
    if store.notice:
        print(f"wizard: {store.notice}", file=sys.stderr)
    return store


def _tell(words: str) -> None:
    print(f"wizard: {words}", file=sys.stderr)


def _answers(args: argparse.Namespace, guide: Guide) -> Answers:
    """The ``--answer`` flags, each checked against the guide; a CliError names a bad one."""
    pairs = parse_pairs(args.answer, "--answer")
    for node_id, value in pairs:
        problem = answer_problem(guide, node_id, value)
        if problem is not None:
            raise CliError(f"--answer {node_id}={value}: {problem}")
    return Answers.from_pairs(pairs)


def _walk(
    saved: SavedSession, answers: Answers, args: argparse.Namespace, workspace: Workspace
) -> int:
    if getattr(args, "note", None):
        saved.apply(Note(args.note, at=now_iso()))
    transcript = None if args.json else Transcript()
    apply = saved.apply
    if transcript is not None:
        _say(escape_controls(saved.session.guide.title))

        def apply(event: Event) -> None:
            saved.apply(event)
            transcript.applied(saved.session, event)

    progress = transcript.on_progress if transcript and sys.stderr.isatty() else None
    try:
        stop = run_async(
            drive(
                saved.session,
                answers,
                workspace,
                apply=apply,
                on_step=transcript.step if transcript else None,
                progress=progress,
            )
        )
    except KeyboardInterrupt:
        if transcript is not None:
            transcript.clear_progress()
        raise CliError(_interrupted(saved), code=EXIT_INTERRUPTED) from None
    if transcript is None:
        print_json(walk_summary(saved, stop))
    else:
        if stop is None and saved.session.ended:
            transcript.end(saved.session)
        _print_end(saved, stop)
    return EXIT_INCOMPLETE if stop is not None else EXIT_OK


def _interrupted(saved: SavedSession) -> str:
    if saved.id is None:
        return "interrupted before the first answer; nothing was saved"
    if saved.unsaved is not None:
        return "interrupted; this walk was not being saved"
    return f"interrupted; session {saved.id} is saved: carry on with 'wizard resume {saved.id}'"


def cmd_run(args: argparse.Namespace) -> int:
    """Walk a guide with the answers given on the command line."""
    workspace = workspace_from(args)
    guide = find_guide(workspace.library, args.guide)
    answers = _answers(args, guide)
    with ExitStack() as stack:
        store = _store(stack, workspace, not args.no_save)
        saved = SavedSession.start(guide, store, now_iso(), tell=_tell, lazy=True)
        return _walk(saved, answers, args, workspace)


def cmd_resume(args: argparse.Namespace) -> int:
    """Continue a saved session (the latest unfinished one by default)."""
    workspace = workspace_from(args)
    with ExitStack() as stack:
        store = _store(stack, workspace, True)
        if store is None:
            raise CliError("there is no store to resume from", code=5)
        row = find_session(store, args.session, unfinished=True)
        try:
            saved = SavedSession.resume(workspace.library.guides, store, row.id, tell=_tell)
        except StoreError as exc:
            raise CliError(str(exc)) from None
        return _walk(saved, _answers(args, saved.session.guide), args, workspace)


def walk_summary(saved: SavedSession, stop: Stop | None) -> dict[str, Any]:
    """The walk as JSON: status, end, path, facts and the checks that ran."""
    session = saved.session
    node = session.node
    return {
        "session": saved.id,
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


def _say(text: str = "") -> None:
    print(text, flush=True)


def _print_end(saved: SavedSession, stop: Stop | None) -> None:
    session = saved.session
    guide = session.guide
    node = session.node
    _say()
    if stop is not None:
        _say(f"Stopped at {stop.node}: {escape_controls(stop.message)}")
        if saved.id and saved.unsaved is None:
            _say(f"Continue with: wizard resume {saved.id} --answer {stop.node}=…")
        else:
            _say(f"Answer it with: wizard run {guide.id} … --answer {stop.node}=…")
    elif session.status == "solved":
        _say(f"Solved: {escape_controls(node.title or node.id)}")
    else:
        _say(f"This ends in a support report ({node.id}): {escape_controls(node.title)}")
        if saved.id and saved.unsaved is None:
            _say(f"Write it with: wizard report {saved.id} -o report.txt")
    if saved.id and saved.unsaved is None:
        _say(f"(session {saved.id})")
