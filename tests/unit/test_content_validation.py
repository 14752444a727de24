"""The validator refuses every kind of broken guide, naming file, line and key path."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import wizard_test_checks as tc

from wizard.content.library import load_file, load_library
from wizard.content.source import MAX_DEPTH, read_document
from wizard.registry import CheckRegistry

INVALID = Path(__file__).resolve().parent.parent / "fixtures" / "invalid"
EXPECT = re.compile(r"^# expect: (\d+): (.+)$", re.M)


def _specs() -> dict:
    registry = CheckRegistry()
    for cls in (tc.EchoCheck, tc.SlowCheck, tc.BoomCheck):
        registry.add(cls)
    return registry.specs()


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_refusal_names_file_line_and_path(path: Path) -> None:
    expected = EXPECT.findall(path.read_text("utf-8"))
    assert expected, f"{path.name} declares no '# expect:' line"
    guide, errors = load_file(path, _specs())
    assert guide is None
    shown = [str(e) for e in errors]
    for line, message in expected:
        wanted = f"{path}:{line}: {message}"
        assert any(s.startswith(wanted) for s in shown), f"{wanted!r} not in {shown}"
    assert len(errors) == len(expected), shown


def test_valid_sample_guide_loads() -> None:
    sample = INVALID.parent / "guides" / "sample.yaml"
    guide, errors = load_file(sample, _specs())
    assert errors == []
    assert guide is not None
    assert guide.checks_used() == ("echo",)
    assert guide.nodes["fix-cache"].kind == "fix"


def test_duplicate_guide_ids_across_files(tmp_path: Path) -> None:
    sample = (INVALID.parent / "guides" / "sample.yaml").read_text("utf-8")
    (tmp_path / "a.yaml").write_text(sample, "utf-8")
    (tmp_path / "b.yaml").write_text(sample, "utf-8")
    library = load_library([tmp_path], _specs())
    assert list(library.guides) == ["sample"]
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert [str(e) for e in library.errors] == [
        f"{second}:1: id: duplicate guide id 'sample': {first} has it too"
    ]


def _hostile(tmp_path: Path, name: str, data: bytes) -> tuple[list[str], float]:
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    guide, errors = load_file(path, _specs())
    elapsed = time.monotonic() - started
    assert guide is None
    return [str(e) for e in errors], elapsed


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    errors, elapsed = _hostile(tmp_path, "bomb.yaml", "\n".join(lines).encode())
    assert len(errors) == 1 and "alias bomb" in errors[0] and "bomb.yaml:" in errors[0]
    assert elapsed < 2.0


def test_ten_megabyte_file_is_refused_without_parsing(tmp_path: Path) -> None:
    errors, elapsed = _hostile(tmp_path, "big.yaml", b"# padding\n" * 1_000_000)
    assert errors == [
        f"{tmp_path / 'big.yaml'}:1: the file is 10.0 MB; content files may be at most 4 MiB"
    ]
    assert elapsed < 2.0


def test_binary_file(tmp_path: Path) -> None:
    errors, _ = _hostile(tmp_path, "bin.yaml", b"id: x\ntitle: y\n\x00\xff\xfe")
    assert errors == [f"{tmp_path / 'bin.yaml'}:3: this is a binary file, not YAML text"]


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"- " * 100_000 + b"x\n",
        b"{a: " * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=["flow-seq", "block-seq", "flow-map"],
)
def test_deep_nesting_is_refused_quickly(tmp_path: Path, data: bytes) -> None:
    errors, elapsed = _hostile(tmp_path, "deep.yaml", data)
    assert errors == [
        f"{tmp_path / 'deep.yaml'}:1: the data is nested more than {MAX_DEPTH} levels deep"
    ]
    assert elapsed < 2.0


def test_deep_flow_nesting_names_the_line_it_starts_passing_the_limit(tmp_path: Path) -> None:
    data = b"id: deep\ntitle: Deep\nnodes: " + b"[" * 20 + b"\n  " + b"[" * 5_000
    errors, _ = _hostile(tmp_path, "deep.yaml", data + b"]" * 5_020)
    assert errors == [
        f"{tmp_path / 'deep.yaml'}:4: the data is nested more than {MAX_DEPTH} levels deep"
    ]


def test_brackets_in_quotes_and_comments_do_not_count_as_nesting(tmp_path: Path) -> None:
    brackets = "[" * (MAX_DEPTH + 5)
    data = f"id: x\ntitle: '{brackets}'\n# {brackets}\nsummary: [unclosed\n".encode()
    errors, _ = _hostile(tmp_path, "syntax.yaml", data)
    assert len(errors) == 1 and "YAML syntax error" in errors[0], errors


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    errors, _ = _hostile(tmp_path, "latin1.yaml", "id: x\ntitle: café\n".encode("latin-1"))
    assert errors == [
        f"{tmp_path / 'latin1.yaml'}:2: the file is not UTF-8 text (byte 0xe9 at offset 16)"
    ]


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    guide, errors = load_file(tmp_path / "nope.yaml", _specs())
    assert guide is None and "cannot read the file" in str(errors[0])


def test_fact_set_on_every_path_through_a_loop_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(
        """
id: loop
title: Loop
summary: A retry loop that sets the fact before using it.
start: ask
nodes:
  ask:
    kind: input
    type: platform
    fact: platform
    text: Which platform?
    next: probe
  probe:
    kind: check
    check: echo
    params: {outcome: "{platform}"}
    on: {ok: end}
    otherwise: retry
  retry:
    kind: fix
    steps: Try again.
    next: ask
  end: {kind: done}
""",
        "utf-8",
    )
    guide, errors = load_file(path, _specs())
    assert errors == [] and guide is not None


def test_every_value_keeps_its_line_however_deep(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("a:\n  b:\n    c: 1\n    d:\n      - e: 5\n        f: [6]\n", "utf-8")
    doc = read_document(path)
    assert doc.lines[("a", "b", "d", 0, "e")] == 5
    assert doc.line(("a", "b", "d", 0, "f", 0)) == 6
    assert doc.line(("a", "b", "c")) == 3
    assert doc.line(("a", "b", "d", 0, "e", "not there")) == 5


def test_plain_values_are_read_as_yaml_1_2_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    text = "a: ~\nb: Null\nc: TRUE\nd: no\ne: 0x1F\nf: +5\ng: .5\nh: 1e3\ni: 37.5.4\nj: 'true'\n"
    path.write_text(text, "utf-8")
    assert read_document(path).data == {
        "a": None,
        "b": None,
        "c": True,
        "d": "no",
        "e": "0x1F",
        "f": 5,
        "g": 0.5,
        "h": 1000.0,
        "i": "37.5.4",
        "j": "true",
    }


def test_platform_words_allow_list_and_variants() -> None:
    from wizard.content.platformwords import platform_word_problems

    path = INVALID / "platform-words.yaml"
    guide, _ = build_from(path)
    found = [p for p, _ in platform_word_problems(guide)]
    assert ("nodes", "version", "text") in found
    allowed = {("platform-words", "version"): "the text says the web has no such menu"}
    assert ("nodes", "version", "text") not in [
        p for p, _ in platform_word_problems(guide, allowed)
    ]
    sample = INVALID.parent / "guides" / "sample.yaml"
    assert list(platform_word_problems(build_from(sample)[0])) == []


def build_from(path: Path):  # type: ignore[no-untyped-def]
    from wizard.content.loader import build_guide
    from wizard.content.source import read_document

    guide, errors = build_guide(read_document(path))
    assert guide is not None and errors == [], errors
    return guide, errors
