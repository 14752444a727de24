"""Foundation: a 10,000-node guide loads and validates, the engine steps, the CLI starts."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import yaml

from benchmarks.common import Figure, compile_package, median_time, process_time, wizard_exe
from wizard.content.library import load_file
from wizard.content.model import AskNode, Guide, InfoNode
from wizard.content.validate import CheckSpec
from wizard.engine import Answer, Back, CheckDone, Continue, Event, Input, Session, Verdict

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NODES = 10_000
STEPS = 10_000
SPECS = {"probe": CheckSpec("probe", ("ok", "bad", "error", "timeout"), ("value",))}


def generate_guide(path: Path, nodes: int = NODES, seed: int = 7) -> None:
    """Write a realistic guide of ``nodes`` nodes: questions, inputs, checks, info, fixes."""
    rng = random.Random(seed)
    out = [
        "id: big",
        "title: A very large generated guide",
        "summary: Used by the benchmarks only.",
        "start: n0",
        "nodes:",
    ]
    last = nodes - 1
    for i in range(last):
        nxt, skip = f"n{i + 1}", f"n{min(i + 2, last)}"
        kind = ("ask", "ask", "info", "input", "check", "fix")[i % 6]
        out.append(f"  n{i}:")
        if kind == "ask":
            out += [
                "    kind: ask",
                f"    text: Question number {i}? {'words ' * rng.randint(5, 30)}",
                "    options:",
                f"      - {{key: a, label: The first answer, next: {nxt}}}",
                f"      - {{key: b, label: The second answer, next: {skip}}}",
                "      - {key: c, label: Give up, next: end}",
            ]
        elif kind == "info":
            out += [
                "    kind: info",
                f"    title: Info {i}",
                "    text: |",
                f"      Some explanation, {'more words ' * rng.randint(10, 40)}",
                f"    next: {nxt}",
            ]
        elif kind == "input":
            out += [
                "    kind: input",
                "    type: version",
                "    fact: version",
                "    text: Which version?",
                f"    next: {nxt}",
            ]
        elif kind == "check":
            out += [
                "    kind: check",
                "    check: probe",
                '    params: {value: "{version}"}',
                f"    on: {{ok: {nxt}, bad: {skip}}}",
                "    otherwise: end",
            ]
        else:
            out += [
                "    kind: fix",
                f"    title: Fix {i}",
                "    steps: |",
                "      1. Do this.",
                "      2. Then that.",
                "    variants:",
                "      android: Android steps.",
                "      ios: iOS steps.",
                f"    next: {nxt}",
            ]
    out += [f"  n{last}:", "    kind: done", "  end:", "    kind: report"]
    path.write_text("\n".join(out) + "\n", "utf-8")


def walk(guide: Guide, steps: int = STEPS) -> None:
    """Apply ``steps`` events: forward through the guide, back again from each end."""
    session = Session(guide)
    for _ in range(steps):
        node = session.node
        event: Event
        if session.ended:
            event = Back()
        elif isinstance(node, AskNode):
            event = Answer(node.id, "a")
        elif isinstance(node, InfoNode):
            event = Continue(node.id)
        elif node.kind == "input":
            event = Input(node.id, "37.5.4")
        elif node.kind == "check":
            event = CheckDone(node.id, "ok")
        else:
            event = Verdict(node.id, False)
        session.apply(event)


def run() -> list[Figure]:
    """Measure and return the foundation figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        generate_guide(path)
        size_mb = path.stat().st_size / 1e6
        load = median_time(lambda: load_file(path, SPECS), repeat=5)
        text = path.read_text("utf-8")
        events = median_time(lambda: sum(1 for _ in yaml.parse(text, Loader=LOADER)), repeat=5)
        guide, _ = load_file(path, SPECS)
        assert guide is not None and len(guide.nodes) == NODES + 1

        step_time = median_time(lambda: walk(guide), repeat=7)
        compile_package()
        exe = wizard_exe()
        env = {"WIZARD_CONFIG": ""}
        help_time = process_time([exe, "--help"], env=env)
        guides_time = process_time([exe, "guides"], env=env)
    return [
        # A sanity ceiling, not a target: the shipped guides are a few hundred lines each.
        Figure(f"load+validate {NODES:,}-node guide ({size_mb:.1f} MB)", load, "s", 1.5),
        Figure("PyYAML's C parser alone, same file (events only)", events, "s"),
        Figure(f"{STEPS:,} engine steps", step_time, "s", 0.1),
        Figure("wizard --help (whole process, median)", help_time, "s", 0.15),
        Figure("wizard guides (whole process, median)", guides_time, "s", 0.25),
    ]
