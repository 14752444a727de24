"""From a parsed content file to a :class:`Guide`, collecting every structural error."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from wizard.content.errors import ContentError
from wizard.content.model import (
    INPUT_TYPES,
    NODE_KINDS,
    PLATFORMS,
    AnyNode,
    AskNode,
    CheckNode,
    DoneNode,
    FixNode,
    Guide,
    InfoNode,
    InputNode,
    Option,
    ReportNode,
    _frozen,
)
from wizard.content.source import Document, PathKey

ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
FACT = re.compile(r"^[a-z_][a-z0-9_]*$")
MAX_OPTIONS = 9

GUIDE_KEYS = {"id", "title", "summary", "start", "nodes", "keywords"}
COMMON_KEYS = {"kind", "title", "text"}
KIND_KEYS: dict[str, set[str]] = {
    "ask": {"options", "fact", "variants"},
    "input": {"fact", "type", "pattern", "choices", "placeholder", "optional", "next", "variants"},
    "check": {"check", "params", "on", "otherwise", "says"},
    "info": {"next", "variants"},
    "fix": {"steps", "variants", "next", "yes", "no"},
    "report": set(),
    "done": set(),
}
OPTION_KEYS = {"key", "label", "next"}
ALLOWED_KEYS = {kind: COMMON_KEYS | keys for kind, keys in KIND_KEYS.items()}


class _Reader:
    """Reads typed fields out of a :class:`Document`, recording errors instead of raising."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.errors: list[ContentError] = []
        self.valid_ids: set[str] = set()
        """Ids already found well-formed (a guide names most of them several times)."""

    def error(self, path: PathKey, message: str) -> None:
        self.errors.append(self.doc.error(path, message))

    def mapping(self, value: Any, path: PathKey, what: str) -> Mapping[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.error(path, f"{what} must be a mapping of keys to values, not {_kind(value)}")
        return None

    def text(
        self, data: Mapping[str, Any], key: str, path: PathKey, *, required: bool = True
    ) -> str:
        value = data.get(key)
        if type(value) is str:
            return value
        if value is None:
            if required:
                self.error(path, f"missing required key {key!r}")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error((*path, key), f"{key!r} must be text, not {_kind(value)}")
            return ""
        return str(value)

    def ident(
        self, data: Mapping[str, Any], key: str, path: PathKey, *, required: bool = True
    ) -> str:
        value = self.text(data, key, path, required=required)
        if value in self.valid_ids or not value:
            return value
        if ID.match(value):
            self.valid_ids.add(value)
        else:
            self.error(
                (*path, key), f"{value!r} is not a valid id (lower-case letters, digits, - and _)"
            )
        return value

    def unknown_keys(
        self, data: Mapping[str, Any], allowed: set[str], path: PathKey, what: str
    ) -> None:
        if data.keys() <= allowed:
            return
        for key in data:
            if key not in allowed:
                hint = _closest(key, allowed)
                self.error(
                    (*path, key),
                    f"unknown key {key!r} in {what}"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                )


def build_guide(doc: Document) -> tuple[Guide | None, list[ContentError]]:
    """Build a guide from a parsed document; return it (if possible) and every error."""
    reader = _Reader(doc)
    top = reader.mapping(doc.data, (), "a guide file")
    if top is None:
        return None, reader.errors
    reader.unknown_keys(top, GUIDE_KEYS, (), "a guide")
    guide_id = reader.ident(top, "id", ())
    title = reader.text(top, "title", ())
    summary = reader.text(top, "summary", ())
    start = reader.ident(top, "start", ())
    keywords_raw = top.get("keywords") or []
    keywords: tuple[str, ...] = ()
    if isinstance(keywords_raw, list) and all(isinstance(k, str) for k in keywords_raw):
        keywords = tuple(keywords_raw)
    else:
        reader.error(("keywords",), "keywords must be a list of words")

    nodes: dict[str, AnyNode] = {}
    raw_nodes = reader.mapping(top.get("nodes"), ("nodes",), "'nodes'") if "nodes" in top else None
    if "nodes" not in top:
        reader.error((), "missing required key 'nodes'")
    elif raw_nodes is not None:
        if not raw_nodes:
            reader.error(("nodes",), "a guide needs at least one node")
        for node_id, raw in raw_nodes.items():
            node = _build_node(reader, str(node_id), raw, ("nodes", node_id))
            if node is not None:
                nodes[node.id] = node
    if start and raw_nodes is not None and start not in raw_nodes:
        reader.error(("start",), f"the start node {start!r} does not exist")
    guide = Guide(
        id=guide_id,
        title=title,
        summary=summary,
        start=start,
        nodes=_frozen_nodes(nodes),
        file=doc.file,
        keywords=keywords,
    )
    return guide, reader.errors


def _frozen_nodes(nodes: dict[str, AnyNode]) -> Mapping[str, AnyNode]:
    from types import MappingProxyType

    return MappingProxyType(nodes)


def _build_node(reader: _Reader, node_id: str, raw: Any, path: PathKey) -> AnyNode | None:
    if not ID.match(node_id):
        reader.error(
            path, f"{node_id!r} is not a valid node id (lower-case letters, digits, - and _)"
        )
    data = raw if type(raw) is dict else reader.mapping(raw, path, f"node {node_id!r}")
    if data is None:
        return None
    kind = data.get("kind")
    if kind not in NODE_KINDS:
        if kind is None:
            reader.error(path, "missing required key 'kind'")
        else:
            hint = _closest(str(kind), set(NODE_KINDS))
            reader.error(
                (*path, "kind"),
                f"unknown node kind {kind!r}; a node is one of {', '.join(NODE_KINDS)}"
                + (f" (did you mean {hint!r}?)" if hint else ""),
            )
        return None
    reader.unknown_keys(data, ALLOWED_KEYS[kind], path, f"a {kind} node")
    common = {
        "id": node_id,
        "title": reader.text(data, "title", path, required=False),
        "text": reader.text(data, "text", path, required=kind in ("ask", "info", "input")),
        "line": reader.doc.line(path),
    }
    builder = _BUILDERS[kind]
    return builder(reader, data, path, common)


def _next(reader: _Reader, data: Mapping[str, Any], path: PathKey) -> str:
    return reader.ident(data, "next", path)


def _fact_name(reader: _Reader, data: Mapping[str, Any], path: PathKey, *, required: bool) -> str:
    fact = reader.text(data, "fact", path, required=required)
    if fact and not FACT.match(fact):
        reader.error((*path, "fact"), f"{fact!r} is not a valid fact name (lower_case_words)")
    return fact


def _ask(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    options: list[Option] = []
    raw = data.get("options")
    opath = (*path, "options")
    if not isinstance(raw, list):
        reader.error(
            opath if raw is not None else path,
            "an ask node needs 'options', a list of 2 to 9 answers",
        )
        raw = []
    elif not 2 <= len(raw) <= MAX_OPTIONS:
        reader.error(opath, f"an ask node has 2 to {MAX_OPTIONS} options, not {len(raw)}")
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        ipath = (*opath, index)
        item_data = item if type(item) is dict else reader.mapping(item, ipath, "an option")
        if item_data is None:
            continue
        reader.unknown_keys(item_data, OPTION_KEYS, ipath, "an option")
        label = reader.text(item_data, "label", ipath)
        key = (
            reader.ident(item_data, "key", ipath, required=False) or _slug(label) or str(index + 1)
        )
        if key in seen:
            reader.error(ipath, f"duplicate option key {key!r} (also option {seen[key] + 1})")
        seen[key] = index
        options.append(Option(key=key, label=label, next=reader.ident(item_data, "next", ipath)))
    fact = _fact_name(reader, data, path, required=False)
    return AskNode(
        **common, options=tuple(options), fact=fact or None, variants=_variants(reader, data, path)
    )


def _input(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    input_type = reader.text(data, "type", path, required=False) or "text"
    if input_type not in INPUT_TYPES:
        reader.error(
            (*path, "type"), f"unknown input type {input_type!r}; one of {', '.join(INPUT_TYPES)}"
        )
    pattern = reader.text(data, "pattern", path, required=False) or None
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            reader.error(
                (*path, "pattern"), f"the pattern is not a valid regular expression: {exc}"
            )
    raw_choices = data.get("choices")
    choices: tuple[str, ...] = ()
    if raw_choices is not None:
        if isinstance(raw_choices, list) and all(isinstance(c, str) for c in raw_choices):
            choices = tuple(raw_choices)
        else:
            reader.error((*path, "choices"), "choices must be a list of words")
    if input_type == "platform":
        choices = choices or PLATFORMS
    if input_type == "choice" and len(choices) < 2:
        reader.error(path, "a choice input needs 'choices' with at least two entries")
    optional = data.get("optional", False)
    if not isinstance(optional, bool):
        reader.error((*path, "optional"), "optional must be true or false")
        optional = False
    return InputNode(
        **common,
        fact=_fact_name(reader, data, path, required=True),
        input_type=input_type,
        pattern=pattern,
        choices=choices,
        placeholder=reader.text(data, "placeholder", path, required=False),
        optional=optional,
        next=_next(reader, data, path),
        variants=_variants(reader, data, path),
    )


def _check(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    params: dict[str, str] = {}
    raw_params = data.get("params")
    if raw_params is not None:
        pmap = reader.mapping(raw_params, (*path, "params"), "'params'") or {}
        for key, value in pmap.items():
            if isinstance(value, dict | list) or value is None:
                reader.error((*path, "params", key), "a parameter value must be text")
            else:
                params[key] = str(value).lower() if isinstance(value, bool) else str(value)
    on: dict[str, str] = {}
    raw_on = data.get("on")
    if raw_on is None and data.get("otherwise") is None:
        reader.error(path, "a check node needs 'on' (outcome: next node) or 'otherwise'")
    elif raw_on is not None:
        omap = reader.mapping(raw_on, (*path, "on"), "'on'") or {}
        for outcome, target in omap.items():
            if not isinstance(target, str) or not ID.match(target):
                reader.error((*path, "on", outcome), "each outcome must name a next node id")
            else:
                on[str(outcome)] = target
    says: dict[str, str] = {}
    raw_says = data.get("says")
    if raw_says is not None:
        smap = reader.mapping(raw_says, (*path, "says"), "'says'") or {}
        for outcome, words in smap.items():
            if not isinstance(words, str) or not words.strip():
                reader.error((*path, "says", outcome), "what a guide says for an outcome is text")
            else:
                says[str(outcome)] = words.strip()
    return CheckNode(
        **common,
        check=reader.ident(data, "check", path),
        params=_frozen(params),
        on=_frozen(on),
        otherwise=reader.ident(data, "otherwise", path, required=False) or None,
        says=_frozen(says),
    )


def _info(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    return InfoNode(
        **common, next=_next(reader, data, path), variants=_variants(reader, data, path)
    )


def _variants(reader: _Reader, data: Mapping[str, Any], path: PathKey) -> Mapping[str, str]:
    """A node's per-platform text (a fix's steps), by platform."""
    variants: dict[str, str] = {}
    raw = data.get("variants")
    if raw is not None:
        vmap = reader.mapping(raw, (*path, "variants"), "'variants'") or {}
        for platform, steps in vmap.items():
            if platform not in PLATFORMS:
                reader.error(
                    (*path, "variants", platform),
                    f"unknown platform {platform!r}; variants are for {', '.join(PLATFORMS)}",
                )
            elif not isinstance(steps, str) or not steps.strip():
                reader.error((*path, "variants", platform), "a variant holds its steps as text")
            else:
                variants[platform] = steps
    return _frozen(variants)


def _fix(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    variants = _variants(reader, data, path)
    steps = reader.text(data, "steps", path, required=not variants)
    return FixNode(
        **common,
        steps=steps,
        variants=variants,
        next=_next(reader, data, path),
        yes=reader.text(data, "yes", path, required=False).strip(),
        no=reader.text(data, "no", path, required=False).strip(),
    )


def _report(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    return ReportNode(**common)


def _done(
    reader: _Reader, data: Mapping[str, Any], path: PathKey, common: dict[str, Any]
) -> AnyNode:
    return DoneNode(**common)


_BUILDERS: dict[str, Callable[[_Reader, Mapping[str, Any], PathKey, dict[str, Any]], AnyNode]] = {
    "ask": _ask,
    "input": _input,
    "check": _check,
    "info": _info,
    "fix": _fix,
    "report": _report,
    "done": _done,
}


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40]


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _closest(word: str, choices: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.7)
    return match[0] if match else None
