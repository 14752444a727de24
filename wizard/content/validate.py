"""Cross-node validation: references, reachability, exits, facts and installed checks."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from wizard.content.errors import ContentError
from wizard.content.model import EXIT_KINDS, AnyNode, AskNode, CheckNode, Guide
from wizard.content.platformwords import platform_word_problems
from wizard.content.source import Document, PathKey


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """What the validator needs to know of an installed check."""

    id: str
    outcomes: tuple[str, ...]
    params: tuple[str, ...] = ()
    required_params: tuple[str, ...] = ()
    failed: str = ""
    """Why the check's plugin, though registered, did not load ("" when it did)."""


def validate_guide(
    guide: Guide, doc: Document, checks: Mapping[str, CheckSpec] | None
) -> list[ContentError]:
    """Every cross-node problem of ``guide``; ``checks=None`` skips the installed-check rules."""
    errors: list[ContentError] = []
    refs = list(_references(guide))
    for _node_id, path, target in refs:
        if target not in guide.nodes:
            errors.append(doc.error(path, f"next node {target!r} does not exist"))
    if checks is not None:
        for node in guide.nodes.values():
            if isinstance(node, CheckNode) and node.check:
                errors.extend(_check_node_errors(node, doc, checks))
    errors.extend(doc.error(path, message) for path, message in platform_word_problems(guide))
    if guide.start not in guide.nodes:
        return errors
    reachable = _reachable(guide)
    for node in guide.nodes.values():
        if node.id not in reachable:
            errors.append(
                doc.error(("nodes", node.id), f"node {node.id!r} is not reachable from the start")
            )
    errors.extend(_loop_errors(guide, doc, reachable))
    errors.extend(_fact_errors(guide, doc, reachable))
    return errors


def _references(guide: Guide) -> Iterator[tuple[str, PathKey, str]]:
    """(node id, key path, target) for every reference to another node."""
    for node in guide.nodes.values():
        base: PathKey = ("nodes", node.id)
        if isinstance(node, AskNode):
            for index, option in enumerate(node.options):
                if option.next:
                    yield node.id, (*base, "options", index, "next"), option.next
        elif isinstance(node, CheckNode):
            for outcome, target in node.on.items():
                yield node.id, (*base, "on", outcome), target
            if node.otherwise:
                yield node.id, (*base, "otherwise"), node.otherwise
        else:
            target = getattr(node, "next", "")
            if target:
                yield node.id, (*base, "next"), target


def _check_node_errors(
    node: CheckNode, doc: Document, checks: Mapping[str, CheckSpec]
) -> list[ContentError]:
    base: PathKey = ("nodes", node.id)
    spec = checks.get(node.check)
    if spec is not None and spec.failed:
        return [
            doc.error((*base, "check"), f"check {node.check!r} is installed, but {spec.failed}")
        ]
    if spec is None:
        known = ", ".join(sorted(c for c, s in checks.items() if not s.failed)) or "none"
        return [
            doc.error(
                (*base, "check"), f"check {node.check!r} is not installed (installed: {known})"
            )
        ]
    errors: list[ContentError] = []
    for outcome in node.on:
        if outcome not in spec.outcomes:
            errors.append(
                doc.error(
                    (*base, "on", outcome),
                    f"check {spec.id!r} has no outcome {outcome!r}; its outcomes are "
                    f"{', '.join(spec.outcomes)}",
                )
            )
    for outcome in node.says:
        if outcome not in spec.outcomes:
            errors.append(
                doc.error(
                    (*base, "says", outcome),
                    f"check {spec.id!r} has no outcome {outcome!r} to say something for; its "
                    f"outcomes are {', '.join(spec.outcomes)}",
                )
            )
    if node.otherwise is None:
        missing = [o for o in spec.outcomes if o not in node.on]
        if missing:
            errors.append(
                doc.error(
                    (*base, "on"),
                    f"outcomes {', '.join(missing)} of check {spec.id!r} lead nowhere; "
                    "cover them or add 'otherwise'",
                )
            )
    for name in node.params:
        if name not in spec.params:
            errors.append(
                doc.error((*base, "params", name), f"check {spec.id!r} takes no parameter {name!r}")
            )
    for name in spec.required_params:
        if name not in node.params:
            errors.append(
                doc.error((*base, "params"), f"check {spec.id!r} needs the parameter {name!r}")
            )
    return errors


def _reachable(guide: Guide) -> set[str]:
    seen = {guide.start}
    queue = deque([guide.start])
    while queue:
        for target in guide.nodes[queue.popleft()].successors():
            if target in guide.nodes and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _loop_errors(guide: Guide, doc: Document, reachable: set[str]) -> list[ContentError]:
    """Nodes from which no path reaches an end: loops with no way out, or dead ends."""
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in guide.nodes}
    for node in guide.nodes.values():
        for target in node.successors():
            if target in predecessors:
                predecessors[target].append(node.id)
    # Nodes with a broken reference are already reported; counting them as exits keeps
    # one mistake from also showing up as a loop.
    can_exit = {
        n.id
        for n in guide.nodes.values()
        if n.kind in EXIT_KINDS or any(t not in guide.nodes for t in n.successors())
    }
    queue = deque(can_exit)
    while queue:
        for source in predecessors[queue.popleft()]:
            if source not in can_exit:
                can_exit.add(source)
                queue.append(source)
    stuck = [n for n in guide.nodes if n in reachable and n not in can_exit]
    errors: list[ContentError] = []
    reported: set[str] = set()
    cycles: set[frozenset[str]] = set()
    for node_id in stuck:
        if node_id in reported:
            continue
        cycle = _cycle_from(guide, node_id)
        reported.update(cycle)
        if frozenset(cycle) in cycles:
            continue
        cycles.add(frozenset(cycle))
        shown = " → ".join([*cycle, cycle[0]]) if cycle else node_id
        where = cycle[0] if cycle else node_id
        errors.append(
            doc.error(("nodes", where), f"a loop with no way out: {shown} never reaches an end")
        )
    return errors


def _cycle_from(guide: Guide, start: str) -> list[str]:
    """Follow first successors from ``start`` until a node repeats; return that cycle."""
    order: dict[str, int] = {}
    path: list[str] = []
    node_id: str | None = start
    while node_id is not None and node_id not in order and node_id in guide.nodes:
        order[node_id] = len(path)
        path.append(node_id)
        node_id = next((t for t in guide.nodes[node_id].successors() if t in guide.nodes), None)
    if node_id is None or node_id not in order:
        return path
    return path[order[node_id] :]


def _fact_errors(guide: Guide, doc: Document, reachable: set[str]) -> list[ContentError]:
    """Facts a node uses that are not set on every path leading to it.

    For each fact used anywhere, walk from the start without passing any node that sets
    it: a user of the fact that this walk reaches has a path on which it is unset.
    """
    users: dict[str, list[AnyNode]] = {}
    for node in guide.nodes.values():
        if node.id in reachable:
            for fact in node.facts_used():
                users.setdefault(fact, []).append(node)
    errors: list[ContentError] = []
    nodes = guide.nodes
    for fact, fact_users in users.items():
        setters = {n.id for n in nodes.values() if fact in n.facts_set()}
        unset = {guide.start}
        queue = deque(unset)
        while queue:
            node_id = queue.popleft()
            if node_id in setters:
                continue
            for target in nodes[node_id].successors():
                if target in nodes and target not in unset:
                    unset.add(target)
                    queue.append(target)
        for node in fact_users:
            if node.id in unset:
                errors.append(
                    doc.error(
                        ("nodes", node.id, "params"),
                        f"fact {fact!r} is used here, but not every path to {node.id!r} sets it"
                        + ("" if setters else " (no node sets it at all)"),
                    )
                )
    errors.sort(key=lambda e: e.line)
    return errors
