"""The fast reader of plain YAML gives what the full reader gives, or gives up.

The full, event-based reader is the reference. Whenever the fast reader accepts a text,
its data and every line it records must equal the reference's; on anything it does not
understand, and on every syntax error, it must return None.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.bench_foundation import generate_guide
from wizard.content.errors import ContentError
from wizard.content.fullyaml import read_full
from wizard.content.plainyaml import read_plain
from wizard.content.source import MAX_DEPTH, MAX_VALUES, read_document

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(
    p
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures")
    for p in folder.rglob("*.y*ml")
    if b"\x00" not in p.read_bytes()
)
ALL_LINES = 99


def fast(text: str) -> tuple[object, dict[tuple[str | int, ...], int]] | None:
    return read_plain(text, MAX_DEPTH, MAX_VALUES, ALL_LINES)


def assert_agrees(text: str) -> bool:
    """Hold the fast reader to the full one on ``text``; True when the fast one accepted."""
    got = fast(text)
    try:
        want = read_full(text, "t.yaml")
    except ContentError:
        assert got is None, f"accepted text the full reader refuses:\n{text}"
        return False
    if got is None:
        return False
    assert got[0] == want.data, f"data differs for:\n{text}"
    assert got[1] == want.lines, f"lines differ for:\n{text}"
    return True


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_every_content_and_fixture_file_agrees(path: Path) -> None:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: the full reader's own refusal")
    assert_agrees(text)


@pytest.mark.parametrize("name", ["disappearing-likes", "undo-accidental-like", "unfollow"])
def test_the_shipped_guides_take_the_fast_path(name: str) -> None:
    text = (ROOT / "content" / "guides" / f"{name}.yaml").read_text("utf-8")
    assert assert_agrees(text), "the guide left the fast subset: loading it got slow"


def test_the_benchmark_guide_takes_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    generate_guide(path, nodes=300)
    assert assert_agrees(path.read_text("utf-8"))


FAST = [
    "a: 1\nb:\n- x\n- y\nc: 3\n",
    "a:\n  - |\n    one\n\n    two\n\n  - |-\n    three\n  -\n    k: v\n",
    "a: |\n  keep   \n    indented\n  # not a comment\nb: 2\n",
    "a: |\n\n  starts after a blank\n",
    "a: |\n  text\n      \n  more\n",
    "a: |\n  x\n\n\nb: y\n",
    "---\na: b\n",
    "--- # c\na: b\n",
    "a: {x: 1, y: '2', z: \"t\", w: }\n",
    "a: [1, two, 'three', \"four\", 5.0, null, true]\n",
    "a: [ ]\nb: { }\nc: []\n",
    "a: b # comment\nc: d#not\n",
    "a: 'x' # c\nb: \"y\"  \n",
    "- a\n- b\n-\n  - c\n- d: e\n  f: g\n-   h: i\n    j: k\n",
    "a: 012\nb: 1.2.3\nc: 37.5.4\n",
    "a: b\n# trailing comment\n\n",
    "a:\n  # comment between\n  b: 1\n",
    'a: café ☕\nb: "日本"\n',
]
"""Texts inside the plain subset: the fast reader must read them."""

OUTSIDE = [
    "a: |\n     \n  spaces before\n",
    "a: |\n  last line, no newline",
    "--- a\n",
    "a: b\n...\n",
    "a: {x: 'it''s', y: \"{f}\", z: [1]}\n",
    "a: {x: 1, }\n",
    "a: [1, ]\n",
    "a: {x: 1, x: 2}\n",
    "a: {x:1}\n",
    "a: {x: a:b}\n",
    "a: [a: b]\n",
    "a: {x: 1} # c\n",
    "a: 'unterminated\n  more'\n",
    'a: "esc\\n"\n',
    "a: b\n  c\n",
    "a: b: c\n",
    "a: b:\n",
    "a:b\n",
    "a: b\na: c\n",
    "a:\n  b: 1\n   c: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "- a\nb: c\n",
    "-\n",
    "- - a\n",
    "a:\n-\n",
    "a:\n- b\n  c\n",
    "key with space: v\n",
    "'quoted': v\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: >\n  folded\n  text\n",
    "a: |2\n  x\n",
    "a: |+\n  x\n\n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "  a: b\n",
    "a: ~\nb: Null\nc: TRUE\nd: no\ne: 0x1F\nf: 1_000\ng: +5\nh: .5\ni: 1e3\nj: -3\n",
    "# only a comment\n",
    "",
    "scalar\n",
    "a: ?x\nb: :x\nc: -x\n",
    "a: x #c\nb: 'y'#c\n",
    "a: \x07\n",
    "a: b\x85c\n",
    "a: b\u2028c\n",
    "a: \ufeffb\n",
    "a: \uffff\n",
    "nodes:\n  n1: {kind: ask, options: [a, b]}\n  n2:\n    kind: done\n",
]
"""Texts outside it (or not YAML at all): the fast reader must give up."""


@pytest.mark.parametrize("text", FAST)
def test_plain_text_is_read_fast_and_right(text: str) -> None:
    assert assert_agrees(text)


@pytest.mark.parametrize("text", OUTSIDE)
def test_other_text_is_left_to_the_full_reader(text: str) -> None:
    assert fast(text) is None
    assert_agrees(text)


MUTATIONS = list(" :-#'\"|>{}[],\n&*!?x0\t")


def test_mutated_files_agree() -> None:
    """Random one- and two-character edits of real files: agree, or give up."""
    rng = random.Random(20261123)
    sources = [p.read_text("utf-8") for p in YAML_FILES if p.stat().st_size < 4000]
    sources = [t for t in sources if fast(t) is not None]
    assert sources
    accepted = 0
    for _ in range(1500):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 2)):
            at = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.4:
                text = text[:at] + rng.choice(MUTATIONS) + text[at:]
            elif action < 0.7:
                text = text[:at] + text[at + 1 :]
            elif action < 0.85:
                text = text[:at] + rng.choice(MUTATIONS) + text[at + 1 :]
            else:
                lines = text.split("\n")
                row = rng.randrange(len(lines))
                lines[row] = " " * rng.randint(0, 3) + lines[row].lstrip(" ")
                text = "\n".join(lines)
        accepted += assert_agrees(text)
    assert accepted > 300, "too few mutations were read by the fast path to mean anything"


def test_an_error_deep_in_a_fast_read_file_still_gets_its_exact_line(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("a:\n  b:\n    c: 1\n    d:\n      e: 5\n", "utf-8")
    doc = read_document(path)
    assert doc.text is not None, "expected the fast path, which keeps only top-level lines"
    assert ("a", "b", "d", "e") not in doc.lines
    assert doc.line(("a", "b", "d", "e")) == 5
    assert doc.line(("a", "b", "c")) == 3


def test_loading_the_shipped_guides_never_loads_pyyaml() -> None:
    """PyYAML costs tens of milliseconds to import: every start would pay for it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wizard.content.library import load_library\n"
        "from wizard.paths import builtin_content_dir\n"
        "library = load_library([builtin_content_dir()], None)\n"
        "assert len(library.guides) == 3 and not library.errors, library.errors\n"
        "print('yaml' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"
