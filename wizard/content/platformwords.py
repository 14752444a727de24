"""The lint rule on platform words: a fix or input that names one platform's store or menu
must give the other platforms their own variant, so that nobody reads steps for a device
they do not have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from wizard.content.model import PLATFORMS, FixNode, Guide, InputNode
from wizard.content.source import PathKey

APP = ("android", "ios")
TERMS: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = tuple(
    (re.compile(pattern), platforms, what)
    for pattern, platforms, what in (
        (r"Google Play|Play Store", ("android",), "Android's store"),
        (
            r"Settings → Apps|App management|Apps & notifications|Storage & cache",
            ("android",),
            "an Android settings menu",
        ),
        (r"App Store", ("ios",), "the iPhone's store"),
        (r"iPhone Storage|Offload App|Control Cent(?:re|er)", ("ios",), "an iPhone settings menu"),
        (r"Settings and privacy|\*\*Menu\*\*|three lines", APP, "the app's menu"),
        (r"Ctrl\+|Cmd\+|site data|Hover over", ("web",), "a web browser's menu"),
    )
)
"""What names a platform's store or menu: the pattern, the platforms it is for, and how to
say it in an error."""

ALLOWED: Mapping[tuple[str, str], str] = {}
"""Nodes, by (guide id, node id), that may name one platform's store or menu in their
common text, each with the reason why that is right for every platform."""


def platform_word_problems(
    guide: Guide, allowed: Mapping[tuple[str, str], str] = ALLOWED
) -> Iterator[tuple[PathKey, str]]:
    """(key path, message) for each fix or input text that names a platform's store or
    menu that not every reader of that text has."""
    for node in guide.nodes.values():
        if (guide.id, node.id) in allowed or not isinstance(node, FixNode | InputNode):
            continue
        yield from _node_problems(node)


def _node_problems(node: FixNode | InputNode) -> Iterator[tuple[PathKey, str]]:
    base: PathKey = ("nodes", node.id)
    variants = node.variants
    if isinstance(node, FixNode):
        # A fix's text is shown above its steps on every platform.
        for what, platforms in _named(node.text):
            yield (
                (*base, "text"),
                (
                    f"the text names {what} ({_names(platforms)}) but every platform reads it; "
                    "move it into the steps and give the other platforms variants"
                ),
            )
        common_key, common = "steps", node.steps
    else:
        common_key, common = "text", node.text
    verb = "name" if common_key == "steps" else "names"
    for what, platforms in _named(common):
        missing = [p for p in PLATFORMS if p not in platforms and p not in variants]
        if missing:
            yield (
                (*base, common_key),
                (
                    f"the {common_key} {verb} {what} ({_names(platforms)}) but {_names(missing)} "
                    f"users read it too; add variants for {', '.join(missing)}"
                ),
            )
    for platform, text in variants.items():
        for what, platforms in _named(text):
            if platform not in platforms:
                yield (
                    (*base, "variants", platform),
                    (f"the {platform} variant names {what} ({_names(platforms)})"),
                )


def _named(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    for pattern, platforms, what in TERMS:
        match = pattern.search(text)
        if match:
            yield f"{what} ('{match.group(0)}')", platforms


def _names(platforms: tuple[str, ...] | list[str]) -> str:
    return " and ".join(platforms)
