"""Drawing a guide as a Mermaid flowchart or a Graphviz DOT graph."""

from __future__ import annotations

from collections.abc import Iterator

from wizard.content.model import AskNode, CheckNode, FixNode, Guide

SHAPES_MERMAID = {
    "ask": ("{", "}"),
    "input": ("[/", "/]"),
    "check": ("[[", "]]"),
    "info": ("[", "]"),
    "fix": ("([", "])"),
    "report": ("[(", ")]"),
    "done": ("((", "))"),
}
SHAPES_DOT = {
    "ask": "diamond",
    "input": "parallelogram",
    "check": "box3d",
    "info": "box",
    "fix": "box",
    "report": "cylinder",
    "done": "doublecircle",
}


def edges(guide: Guide) -> Iterator[tuple[str, str, str]]:
    """(from, to, label) for every edge of the guide, in node order."""
    for node in guide.nodes.values():
        if isinstance(node, AskNode):
            for option in node.options:
                yield node.id, option.next, option.label
        elif isinstance(node, CheckNode):
            for outcome, target in node.on.items():
                yield node.id, target, outcome
            if node.otherwise:
                yield node.id, node.otherwise, "otherwise"
        elif isinstance(node, FixNode):
            yield node.id, node.next, "did not help"
        else:
            target = getattr(node, "next", "")
            if target:
                yield node.id, target, ""


def _label(guide: Guide, node_id: str) -> str:
    node = guide.nodes[node_id]
    title = node.heading
    title = title if len(title) <= 48 else title[:47] + "…"
    return f"{node.kind}: {title}" if title else node.kind


def to_mermaid(guide: Guide) -> str:
    """The guide as a Mermaid ``flowchart TD``."""

    def esc(text: str) -> str:
        return text.replace('"', "#quot;")

    lines = [f"%% {guide.title}", "flowchart TD"]
    for node in guide.nodes.values():
        left, right = SHAPES_MERMAID[node.kind]
        mid = mermaid_id(node.id)
        label = (
            _label(guide, node.id) if mid == node.id else f"{node.id} · {_label(guide, node.id)}"
        )
        lines.append(f'    {mid}{left}"{esc(label)}"{right}')
    for source, target, label in edges(guide):
        arrow = f'-->|"{esc(label)}"|' if label else "-->"
        lines.append(f"    {mermaid_id(source)} {arrow} {mermaid_id(target)}")
    return "\n".join(lines) + "\n"


def to_dot(guide: Guide) -> str:
    """The guide as a Graphviz ``digraph``."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"digraph {q(guide.id)} {{", f"    label={q(guide.title)};", "    rankdir=TB;"]
    for node in guide.nodes.values():
        lines.append(
            f"    {q(node.id)} [shape={SHAPES_DOT[node.kind]}, label={q(_label(guide, node.id))}];"
        )
    for source, target, label in edges(guide):
        suffix = f" [label={q(label)}]" if label else ""
        lines.append(f"    {q(source)} -> {q(target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Words Mermaid's flowchart grammar reads as keywords where a node id stands.
MERMAID_KEYWORDS = frozenset(
    {
        "end",
        "graph",
        "flowchart",
        "subgraph",
        "direction",
        "style",
        "class",
        "classdef",
        "linkstyle",
        "click",
        "call",
        "href",
        "default",
        "interpolate",
    }
)


def mermaid_id(node_id: str) -> str:
    """The node's own id, as Mermaid can read it.

    Guide ids are lower-case letters, digits, ``-`` and ``_``. Mermaid takes them as they
    are except a keyword (``end``) and ``--`` (the start of an arrow); those are written in
    capitals with ``-`` as ``_`` (as Mermaid's own docs advise for ``end``), which no real
    id can be, and the label then starts with the real id.
    """
    if node_id in MERMAID_KEYWORDS or "--" in node_id:
        return node_id.upper().replace("-", "_")
    return node_id
