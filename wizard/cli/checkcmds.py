"""``wizard check ID``: run one check and print what it found."""

from __future__ import annotations

import argparse
import sys

from checks.api import CheckResult, Progress, Status, Table
from wizard.checkparams import ParamError, checked_params
from wizard.cli.common import CliError, mark, parse_pairs, print_json, workspace_from
from wizard.cli.exitcodes import EXIT_CHECK_FAILED, EXIT_OK
from wizard.cli.output import write_verbatim
from wizard.ending import run_async
from wizard.terminaltext import escape_controls
from wizard.workspace import Workspace


def cmd_check(args: argparse.Namespace) -> int:
    """Run the check named on the command line."""
    workspace = workspace_from(args)
    registry = workspace.registry
    cls = registry.get(args.check_id)
    if cls is None:
        failure = registry.failures.get(args.check_id)
        if failure is not None:
            raise CliError(f"check {args.check_id!r} did not load: {failure.reason}")
        raise CliError(f"no check called {args.check_id!r} (checks: {', '.join(registry.names())})")
    try:
        params = checked_params(cls, dict(parse_pairs(args.param, "--param")))
    except ParamError as exc:
        raise CliError(str(exc)) from None
    facts = dict(parse_pairs(args.fact, "--fact"))
    show_progress = not args.json and sys.stderr.isatty()
    result = run_async(
        workspace.run_check(
            cls.id, params, facts, progress=print_progress if show_progress else None
        )
    )
    if show_progress:
        write_verbatim(sys.stderr, "\r\x1b[K")
    _keep_in_history(workspace, result)
    if args.json:
        print_json(result.to_dict())
    else:
        print_result(result, verbose=args.verbose)
    return (
        EXIT_OK
        if result.status in (Status.OK, Status.WARNING, Status.SKIPPED)
        else EXIT_CHECK_FAILED
    )


def _keep_in_history(workspace: Workspace, result: CheckResult) -> None:
    """Add the result to the history; a store problem is mentioned, never fatal."""
    from wizard.store import StoreError, open_store

    try:
        with open_store(workspace.config.data_dir) as store:
            store.add_check_result(None, result)
    except (StoreError, OSError) as exc:
        print(f"wizard: the result was not added to the history: {exc}", file=sys.stderr)


def print_progress(progress: Progress) -> None:
    """A check's progress on one line of standard error, written over as it changes."""
    parts = [progress.phase]
    if progress.value is not None:
        parts.append(f"{progress.value:.1f} {progress.unit}".strip())
    if progress.fraction is not None:
        parts.append(f"{progress.fraction:.0%}")
    if progress.message:
        parts.append(progress.message)
    # The line is redrawn in place: only its own \r and erase-line pass unescaped.
    write_verbatim(sys.stderr, "\r\x1b[K" + escape_controls(" · ".join(parts)))
    sys.stderr.flush()


def print_result(result: CheckResult, *, verbose: bool = False) -> None:
    """A short, doctor-style verdict: a mark, the cause, what to try, the numbers."""
    print(f"{mark(result.status)} {result.check_id}: {result.summary}")
    layers = result.details.get("layers")
    if isinstance(layers, list):
        for layer in layers:
            if isinstance(layer, dict):
                status = Status(layer.get("status", "skipped"))
                print(f"   {mark(status)} {layer.get('name', '')}: {layer.get('summary', '')}")
    for metric in result.metrics:
        print(f"   {metric.label or metric.name}: {metric.display()}")
    if result.advice:
        print(f"   → {result.advice}")
    if verbose:
        for table in result.tables:
            print()
            print(format_table(table))
    print(f"   ({result.outcome}, {result.duration_s:.2f} s)")


def format_table(table: Table) -> str:
    """A plain-text table with aligned columns."""
    rows = [table.columns, *table.rows]
    widths = [
        max(len(str(r[i])) if i < len(r) else 0 for r in rows) for i in range(len(table.columns))
    ]
    lines = [table.title]
    for index, row in enumerate(rows):
        lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=False)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
