"""``wizard guides``, ``checks``, ``lint`` and ``graph``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard.cli.common import CliError, capped, print_json, workspace_from
from wizard.cli.exitcodes import EXIT_IO
from wizard.content.library import Library, load_library
from wizard.content.model import Guide


def cmd_guides(args: argparse.Namespace) -> int:
    """List the guides that load; report the files that do not."""
    workspace = workspace_from(args)
    library = workspace.library
    guides = sorted(library.guides.values(), key=lambda g: g.title.lower())
    if args.json:
        print_json(
            [
                {
                    "id": g.id,
                    "title": g.title,
                    "summary": g.summary,
                    "nodes": len(g.nodes),
                    "file": g.file,
                }
                for g in guides
            ]
        )
    else:
        width = max((len(g.id) for g in guides), default=0)
        for guide in guides:
            print(f"{guide.id:<{width}}  {guide.title}")
            print(
                f"{'':<{width}}  {guide.summary.strip().splitlines()[0] if guide.summary else ''}"
            )
        if not guides:
            print("No guides found.", file=sys.stderr)
    if library.errors:
        print(capped(library.errors, "wizard: skipped a broken guide: "), file=sys.stderr)
    return 0 if not library.errors else 1


def cmd_checks(args: argparse.Namespace) -> int:
    """List installed checks with their outcomes, and plugins that failed to load."""
    registry = workspace_from(args).registry
    checks = registry.load_all()
    failures = list(registry.failures.values())
    if args.json:
        print_json(
            {
                "checks": [
                    {
                        "id": cls.id,
                        "title": cls.title,
                        "description": cls.description,
                        "outcomes": list(cls.all_outcomes()),
                        "params": [
                            {"name": p.name, "description": p.description, "required": p.required}
                            for p in cls.params
                        ],
                    }
                    for cls in checks.values()
                ],
                "failed": [
                    {"id": f.name, "target": f.target, "reason": f.reason} for f in failures
                ],
            }
        )
    else:
        width = max((len(c) for c in checks), default=0)
        for cid, cls in checks.items():
            print(f"{cid:<{width}}  {cls.title}")
            print(f"{'':<{width}}  outcomes: {', '.join(cls.all_outcomes())}")
            for param in cls.params:
                need = "required" if param.required else "optional"
                print(f"{'':<{width}}  --param {param.name}=…  ({need}) {param.description}")
        if not checks:
            print("No checks are installed.")
        for failure in failures:
            print(f"wizard: {failure}", file=sys.stderr)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    """Validate guide files; one summary line per clean guide, every error otherwise."""
    workspace = workspace_from(args)
    registry = workspace.registry
    paths = [Path(p) for p in args.paths] if args.paths else workspace.guide_paths()
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise CliError(f"no such file or folder: {missing[0]}", code=EXIT_IO)
    # Without paths, the library every command reads (guide packs that failed included).
    library = load_library(paths, registry.specs()) if args.paths else workspace.library
    if args.json:
        print_json(
            {
                "guides": [_summary(g) for g in library.guides.values()],
                "errors": [
                    {"file": e.file, "line": e.line, "path": e.path, "message": e.message}
                    for e in library.errors
                ],
            }
        )
    else:
        for guide in library.guides.values():
            info = _summary(guide)
            checks = ", ".join(guide.checks_used()) or "no checks"
            print(f"ok  {guide.id}: {info['nodes']} nodes; checks: {checks}  ({guide.file})")
        if library.errors:
            print(capped(library.errors))
        if not library.files:
            print("no guide files found", file=sys.stderr)
        if library.errors:
            files = len({e.file for e in library.errors})
            print(f"{len(library.errors)} error(s) in {files} file(s)", file=sys.stderr)
    for failure in registry.failures.values():
        print(f"wizard: {failure}", file=sys.stderr)
    return 1 if library.errors or not library.files else 0


def _summary(guide: Guide) -> dict[str, object]:
    return {
        "id": guide.id,
        "file": guide.file,
        "nodes": len(guide.nodes),
        "checks": list(guide.checks_used()),
    }


def find_guide(library: Library, name: str) -> Guide:
    """A guide by id; a CliError lists the known ones (and the load errors) otherwise."""
    guide = library.get(name)
    if guide is not None:
        return guide
    broken = library.broken.get(name) or [e for e in library.errors if Path(e.file).stem == name]
    if broken:
        more = f"\n({len(broken) - 1:,} more: wizard lint {broken[0].file})" if broken[1:] else ""
        raise CliError(f"guide {name!r} is there but did not load: {broken[0]}{more}", code=1)
    known = ", ".join(sorted(library.guides)) or "none"
    raise CliError(f"no guide called {name!r} (guides: {known})")


def cmd_graph(args: argparse.Namespace) -> int:
    """Print a guide as Mermaid or DOT."""
    from wizard.graph import to_dot, to_mermaid

    workspace = workspace_from(args)
    if Path(args.guide).suffix in (".yaml", ".yml") and not Path(args.guide).is_file():
        raise CliError(f"no such guide file: {args.guide}", code=EXIT_IO)
    if Path(args.guide).suffix in (".yaml", ".yml"):
        library = load_library([Path(args.guide)], workspace.registry.specs())
        if not library.guides:
            raise CliError(capped(library.errors), code=1)
        guide = next(iter(library.guides.values()))
    else:
        guide = find_guide(workspace.library, args.guide)
    sys.stdout.write(to_dot(guide) if args.format == "dot" else to_mermaid(guide))
    return 0
