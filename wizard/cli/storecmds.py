"""``wizard report`` and ``wizard history``: what the store keeps."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
from pathlib import Path

from checks.device import DeviceCheck
from wizard import history
from wizard.cli.common import CliError, aligned, print_json, workspace_from
from wizard.cli.exitcodes import EXIT_IO
from wizard.cli.output import write_bytes
from wizard.cli.sessions import find_session
from wizard.report import KINDS, prepare
from wizard.report.render import DEFAULT_FORMAT, render
from wizard.report.write import WriteError, format_of, write_atomic
from wizard.runner import build_context, run_check
from wizard.saved import SavedSession
from wizard.store import StoreError, open_store
from wizard.terminaltext import escape_controls, escape_controls_json
from wizard.workspace import Workspace


def device_facts(workspace: Workspace) -> dict[str, object]:
    """The device check's facts for the report (empty when it fails)."""
    result = asyncio.run(run_check(DeviceCheck(), build_context(DeviceCheck, workspace.config)))
    return dict(result.details) if result.outcome != "error" else {}


def cmd_report(args: argparse.Namespace) -> int:
    """Write the support report of a session (the latest by default)."""
    workspace = workspace_from(args)
    unknown = [k for k in args.no_redact if k not in KINDS]
    if unknown:
        raise CliError(f"--no-redact {unknown[0]!r}: kinds are {', '.join(KINDS)}")
    try:
        with open_store(workspace.config.data_dir) as store:
            row = find_session(store, args.session)
            saved = SavedSession.resume(workspace.library.guides, store, row.id)
    except StoreError as exc:
        raise CliError(str(exc), code=EXIT_IO) from None
    # What the user chose on the report screen for this session, then the flags.
    chosen = saved.session.report_options
    typed = list(chosen.words) if chosen else list(workspace.config.get("report.extra_words"))
    extra = typed + list(args.redact_word)
    disabled = (
        set(args.no_redact)
        | set(chosen.shown if chosen else ())
        | (set(KINDS) - set(workspace.config.get("report.redact")) - {"extra"})
    )
    report = prepare(
        saved.session,
        device=device_facts(workspace),
        session_id=saved.id,
        disabled=disabled,
        extra_words=extra,
    )
    fmt = args.format or (args.output and format_of(args.output)) or DEFAULT_FORMAT
    data = render(report, fmt)
    if not args.output or args.output == "-":
        text = data.decode("utf-8", "replace")
        safe = escape_controls_json(text) if fmt == "json" else escape_controls(text)
        write_bytes(sys.stdout, safe.encode("utf-8"))
        return 0
    try:
        path = write_atomic(Path(args.output), data, overwrite=args.force)
    except WriteError as exc:
        hint = " (--force replaces it)" if exc.exists else ""
        raise CliError(f"{exc}{hint}", code=EXIT_IO) from None
    print(f"Wrote {path} ({len(data):,} bytes, {fmt}).", file=sys.stderr)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Saved sessions and past check results; ``--chart`` draws a check's numbers."""
    workspace = workspace_from(args)
    if args.chart and not args.check:
        args.check = "speed"
    if args.chart and args.check not in history.LINES:
        raise CliError(
            f"--chart draws {', '.join(sorted(history.LINES))}; "
            f"{args.check!r} has no numbers to draw"
        )
    try:
        with open_store(workspace.config.data_dir) as store:
            sessions = store.sessions(args.limit)
            results = store.check_history(args.check, args.limit)
            notice = store.notice
    except StoreError as exc:
        raise CliError(str(exc), code=EXIT_IO) from None
    if notice:
        print(f"wizard: {notice}", file=sys.stderr)
    drawn = (
        history.series(args.check, results, _thresholds(workspace, args.check))
        if args.check in history.LINES
        else None
    )
    if args.json:
        extra = {} if drawn is None else {"series": [s.to_dict() for s in drawn]}
        print_json(
            {
                "sessions": [
                    {
                        "id": s.id,
                        "guide": s.guide,
                        "started": s.started_at,
                        "ended": s.ended_at,
                        "updated": s.updated_at,
                        "outcome": s.status,
                        "node": s.current_node,
                        "events": s.events,
                    }
                    for s in sessions
                ],
                "checks": [{"at": at, **r.to_dict()} for at, r in results],
                **extra,
            }
        )
        return 0
    if args.chart and drawn is not None:
        _print_chart(drawn)
        return 0
    if not sessions:
        print("No saved sessions yet.")
    else:
        print("Sessions:")
        rows = [
            (s.id, s.guide, _minute(s.started_at), s.status, _minute(s.ended_at) or "unfinished")
            for s in sessions
        ]
        for line in aligned(("id", "guide", "started", "outcome", "ended"), rows):
            print(f"  {line}")
    if results:
        print("\nChecks:")
        checks = [
            (
                _minute(at),
                r.check_id,
                r.outcome,
                ", ".join(f"{m.label or m.name} {m.display()}" for m in r.metrics[:3]),
            )
            for at, r in results
        ]
        for line in aligned(("at", "check", "outcome", "numbers"), checks):
            print(f"  {line}")
    return 0


def _thresholds(workspace: Workspace, check_id: str) -> dict[str, object]:
    """The settings the drawn lines take their thresholds from."""
    keys = [line.threshold for line in history.LINES[check_id] if line.threshold]
    return {key: workspace.config.get(key) for key in keys}


def _print_chart(drawn: list[history.Series]) -> None:
    """Each series as a text chart, then what is unusual for this user."""
    if not any(s.points for s in drawn):
        print("No results of this check yet: run it (wizard check speed) and come back.")
        return
    width = max(20, min(70, shutil.get_terminal_size((80, 24)).columns - 20))
    for s in drawn:
        for line in history.chart(s, width=width):
            print(escape_controls(line))
        print()
    for text in history.callouts(drawn):
        print(escape_controls(text))


def _minute(iso: str | None) -> str:
    """An ISO time to the minute, as ``2024-05-01 12:30``."""
    return iso[:16].replace("T", " ") if iso else ""
