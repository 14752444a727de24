"""The ``wizard`` command: argument parsing and dispatch.

Only :mod:`argparse` is imported up front; each command imports what it needs, so that
``wizard --help`` and the other headless commands start fast and never load Textual.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from wizard import __version__
from wizard.cli.exitcodes import EXIT_FAULT, EXIT_INTERRUPTED, EXIT_IO, EXIT_OK, EXIT_USAGE

DESCRIPTION = """\
A troubleshooting wizard for TikTok likes that disappear, likes given by accident,
and cleaning up who you follow. Run without a command to start the guided app.
"""

EPILOG = """\
exit codes:
  0    success (for run: the walk ended, solved or in a report)
  1    content errors (lint, or a guide that does not load)
  2    usage error: bad arguments, unknown guide, check or setting
  3    run stopped at a step it had no answer for
  4    check ended in a failure, an error or a timeout
  5    a file could not be read or written
  70   an unexpected error (a fault in wizard): the details are in errors.log
  130  interrupted (Ctrl-C); a walk says which session is saved
"""


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default: object = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("configuration")
    group.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="configuration file (default: the platform's config folder; $WIZARD_CONFIG)",
    )
    group.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        dest="sets",
        default=argparse.SUPPRESS if suppress else [],
        help="override a setting, e.g. --set speed.duration_s=3 (repeatable)",
    )
    group.add_argument(
        "--data-dir",
        metavar="PATH",
        default=default,
        help="where sessions and history are kept ($WIZARD_DATA_DIR)",
    )
    group.add_argument(
        "--content",
        metavar="PATH",
        action="append",
        dest="content",
        default=argparse.SUPPRESS if suppress else [],
        help="an extra guide file or folder (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser."""
    parser = argparse.ArgumentParser(
        prog="wizard",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"wizard {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, suppress=True)
        return p

    p = command("guides", "list the guides")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("checks", "list the installed checks and their outcomes")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("check", "run one check and show what it found")
    p.add_argument("check_id", metavar="ID", help="the check to run (see 'wizard checks')")
    p.add_argument(
        "--param",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="a parameter of the check (repeatable)",
    )
    p.add_argument(
        "--fact",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="a fact the check may use, such as platform=ios (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-v", "--verbose", action="store_true", help="show the details tables too")

    p = command("run", "walk a guide headlessly with the answers given")
    p.add_argument("guide", metavar="GUIDE", help="guide id (see 'wizard guides')")
    p.add_argument(
        "--answer",
        metavar="NODE=VALUE",
        action="append",
        default=[],
        help="the answer for a node: an option key or number, a value, or yes/no "
        "for a fix (repeatable; repeat a node to answer it again)",
    )
    p.add_argument("--note", metavar="TEXT", help="the problem in your own words, for the report")
    p.add_argument("--no-save", action="store_true", help="do not keep the session")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("lint", "check guide files and report every problem")
    p.add_argument(
        "paths", metavar="PATH", nargs="*", help="files or folders (default: all guides)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("graph", "draw a guide as a Mermaid or Graphviz graph")
    p.add_argument("guide", metavar="GUIDE", help="guide id or guide file")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")

    p = command("resume", "continue a saved session headlessly (the latest unfinished by default)")
    p.add_argument("session", metavar="SESSION", nargs="?", help="session id (or its start)")
    p.add_argument(
        "--answer",
        metavar="NODE=VALUE",
        action="append",
        default=[],
        help="answers for the steps still to come (repeatable)",
    )
    p.add_argument("--note", metavar="TEXT", help="the problem in your own words, for the report")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    from wizard.report.formats import DEFAULT_FORMAT, FORMAT_INFO

    p = command("report", "write the support report of a session (the latest by default)")
    p.add_argument("session", metavar="SESSION", nargs="?", help="session id (or its start)")
    p.add_argument(
        "--format",
        choices=tuple(FORMAT_INFO),
        help=f"default: the output file's extension, else {DEFAULT_FORMAT} "
        "(the short plain text for TikTok's in-app form)",
    )
    p.add_argument(
        "-o", "--output", metavar="PATH", help="file to write (default: standard output)"
    )
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.add_argument(
        "--no-redact",
        metavar="KIND",
        action="append",
        default=[],
        help="keep this kind of data: ip, mac, hostname, username, email, home, "
        "device_id, extra (repeatable)",
    )
    p.add_argument(
        "--redact-word",
        metavar="WORD",
        action="append",
        default=[],
        help="also hide this word (repeatable)",
    )

    p = command("history", "saved sessions and past check results")
    p.add_argument("--check", metavar="ID", help="only this check's results")
    p.add_argument("--limit", type=int, default=50, help="how many of each (default 50)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--chart", action="store_true", help="draw the check's numbers over time (speed)"
    )

    p = command(
        "refresh-versions", "update the shipped app-version list from the App Store (maintainers)"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write here instead of the list the check reads (app_version.snapshot, else the shipped one)",
    )

    p = command("serve", "serve the guided app to browsers (one private session per tab)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--max-sessions", type=int, default=4, help="app processes at once (default 4)")
    p.add_argument(
        "--idle-minutes", type=float, default=30, help="end a session idle this long (default 30)"
    )

    p = command("tui", "start the guided app (the same as running wizard alone)")
    p.add_argument("--guide", metavar="GUIDE", help="open this guide at once")
    return parser


def _handler(name: str) -> Callable[[argparse.Namespace], int]:
    if name in ("guides", "checks", "lint", "graph"):
        from wizard.cli import contentcmds

        return getattr(contentcmds, f"cmd_{name}")  # type: ignore[no-any-return]
    if name == "check":
        from wizard.cli.checkcmds import cmd_check

        return cmd_check
    if name in ("run", "resume"):
        from wizard.cli import walkcmds

        return getattr(walkcmds, f"cmd_{name}")  # type: ignore[no-any-return]
    if name in ("report", "history"):
        from wizard.cli import storecmds

        return getattr(storecmds, f"cmd_{name}")  # type: ignore[no-any-return]
    if name == "refresh-versions":
        from wizard.cli.maintaincmds import cmd_refresh_versions

        return cmd_refresh_versions
    if name == "serve":
        from wizard.serve.command import cmd_serve

        return cmd_serve
    return _cmd_tui


def _cmd_tui(args: argparse.Namespace) -> int:
    from wizard.cli.common import workspace_from

    workspace = workspace_from(args)
    guide_id = getattr(args, "guide", None)
    if guide_id:
        # Said before the screen is taken over, with the exit code of every other command.
        from wizard.cli.contentcmds import find_guide

        find_guide(workspace.library, guide_id)
    from wizard.tui.launch import run_app

    return run_app(workspace, guide_id=guide_id)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wizard`` console script.

    Every command writes through :func:`wizard.cli.output.guarded_streams`: control
    characters escaped, and a failed write to standard output ends the command the same
    way everywhere (quietly for a closed pipe such as ``| head``, else exit 5 in words).
    """
    from wizard.cli.output import OutputError, guarded_streams, say

    try:
        with guarded_streams():
            return _run(argv)
    except OutputError as exc:
        if exc.broken_pipe:
            return EXIT_OK
        say(f"wizard: {exc}")
        return EXIT_IO


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, a usage error: already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    command = args.command or "tui"
    from wizard.ending import finish

    return finish(_dispatch(command, args))


def _dispatch(command: str, args: argparse.Namespace) -> int:
    from wizard.cli.common import CliError
    from wizard.cli.output import OutputError, say
    from wizard.config import ConfigError

    try:
        return _handler(command)(args)
    except CliError as exc:
        say(f"wizard: {exc}")
        return exc.code
    except ConfigError as exc:
        say(f"wizard: {exc}")
        return exc.code
    except KeyboardInterrupt:
        # Only a walk knows whether a session was saved, and says so itself (a CliError).
        say("\nwizard: interrupted.")
        return EXIT_INTERRUPTED
    except Exception as exc:
        from wizard.store import StoreError  # only now: most commands never open the store

        if isinstance(exc, OutputError):
            raise  # standard output failed: :func:`main` says so, the one way for every command
        if isinstance(exc, StoreError):
            say(f"wizard: {exc}")
            return EXIT_IO
        if isinstance(exc, OSError):
            say(f"wizard: {_os_words(exc)}")
            return EXIT_IO
        say(f"wizard: {_fault_words(exc, args)}")
        return EXIT_FAULT


def _os_words(exc: OSError) -> str:
    """An operating-system error in words, naming the file it was about."""
    why = (exc.strerror or str(exc)).lower()
    return f"{exc.filename}: {why}" if exc.filename else why


def _fault_words(exc: Exception, args: argparse.Namespace) -> str:
    """What an unexpected error is said as; its traceback goes to the errors log."""
    import os

    from wizard.config import choose_data_dir
    from wizard.errorlog import write_log

    log = write_log(choose_data_dir(getattr(args, "data_dir", None), os.environ), exc)
    where = f"the details are in {log}" if log else "the details could not be saved"
    return f"something went wrong that should not have ({type(exc).__name__}); {where}"
