"""The CLI end to end, through the installed console script in a subprocess."""

from __future__ import annotations

import json
import os
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "guides"


def test_version_and_help(wizard_cli) -> None:
    result = wizard_cli("--version")
    assert result.code == 0 and result.out.startswith("wizard ")
    result = wizard_cli("--help")
    assert result.code == 0
    for command in ("guides", "checks", "check", "run", "lint", "graph"):
        assert command in result.out
    assert "exit codes" in result.out


def test_python_dash_m_works_too(wizard_cli, isolated_env) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.startswith("wizard ")


def test_headless_commands_do_not_import_textual(wizard_cli) -> None:
    import subprocess
    import sys

    code = (
        "import sys, runpy; sys.argv=['wizard','guides','--json'];\n"
        "from wizard.cli.main import main\n"
        "main()\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "assert 'httpx' not in sys.modules, 'httpx was imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_guides_lists_extra_content_as_json(wizard_cli) -> None:
    result = wizard_cli("guides", "--json", "--content", str(SAMPLE))
    assert result.code == 0, result.err
    guides = {g["id"]: g for g in json.loads(result.out)}
    assert guides["sample"]["title"] == "A sample guide"
    assert guides["sample"]["summary"] == "Exercises every node kind."


def test_guides_leaves_out_a_guide_that_runs_a_check_nobody_installed(
    wizard_cli, tmp_path: Path
) -> None:
    """It lists what `wizard run` and the app can open: the guides checked against the checks."""
    broken = tmp_path / "broken.yaml"
    text = (SAMPLE / "sample.yaml").read_text("utf-8")
    broken.write_text(
        text.replace("id: sample", "id: broken", 1).replace("check: echo", "check: nope")
    )
    result = wizard_cli("guides", "--json", "--content", str(tmp_path))
    assert result.code == 1
    assert "broken" not in {g["id"] for g in json.loads(result.out)}
    assert "skipped a broken guide" in result.err and "nope" in result.err


def test_checks_lists_outcomes_and_reports_broken_plugins(wizard_cli) -> None:
    result = wizard_cli("checks", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    echo = next(c for c in data["checks"] if c["id"] == "echo")
    assert echo["outcomes"] == ["ok", "android", "ios", "web", "bad", "error", "timeout"]
    failed = {f["id"]: f["reason"] for f in data["failed"]}
    assert "a_module_that_does_not_exist" in failed["broken"]
    human = wizard_cli("checks")
    assert "check plugin 'broken'" in human.err and "echo" in human.out


def _guide_packs(site: Path) -> dict[str, str]:
    """Three guide packs registered as a distribution would: one that imports, one whose
    package is missing, one whose import raises. The environment that installs them."""
    dist = site / "wizard_test_packs-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: wizard-test-packs\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[wizard.guides]\n"
        "good = good_pack\n"
        "missing = a_pack_that_is_not_installed\n"
        "raising = raising_pack\n"
    )
    good = site / "good_pack"
    good.mkdir()
    (good / "__init__.py").write_text("")
    (good / "packed.yaml").write_text(
        (SAMPLE / "sample.yaml").read_text("utf-8").replace("id: sample", "id: packed", 1)
    )
    (site / "raising_pack.py").write_text('raise RuntimeError("this pack is broken on purpose")\n')
    plugins = FIXTURES.parent / "plugins"
    return {"PYTHONPATH": f"{plugins}{os.pathsep}{site}"}


def test_a_guide_pack_that_fails_to_import_is_named_with_why(wizard_cli, tmp_path: Path) -> None:
    env = _guide_packs(tmp_path / "site")
    listed = wizard_cli("guides", "--json", env=env)
    assert listed.code == 1, "a pack that did not load is a content error"
    ids = {g["id"] for g in json.loads(listed.out)}
    assert {"packed", "disappearing-likes"} <= ids, "the other guides still load"
    assert (
        "wizard: skipped a broken guide: guide pack 'missing' (a_pack_that_is_not_installed) "
        "did not load: import failed: ModuleNotFoundError: No module named "
        "'a_pack_that_is_not_installed': its guides are left out"
    ) in listed.err.splitlines()
    assert (
        "guide pack 'raising' (raising_pack) did not load: import failed: RuntimeError: "
        "this pack is broken on purpose"
    ) in listed.err
    assert "Traceback" not in listed.err
    linted = wizard_cli("lint", env=env)
    assert linted.code == 1
    assert "guide pack 'missing' (a_pack_that_is_not_installed) did not load" in linted.out
    assert "ok  packed:" in linted.out


def test_a_guide_whose_check_did_not_load_is_told_why(wizard_cli, tmp_path: Path) -> None:
    """Not "not installed": the check is registered, and its plugin's failure is the reason."""
    guide = tmp_path / "uses-broken.yaml"
    text = (SAMPLE / "sample.yaml").read_text("utf-8")
    guide.write_text(text.replace("id: sample", "id: uses-broken", 1).replace("echo", "broken"))
    linted = wizard_cli("lint", str(guide))
    assert linted.code == 1
    assert (
        "nodes.probe.check: check 'broken' is installed, but its plugin "
        "(wizard_test_checks.broken:BrokenCheck) did not load: import failed: "
        "ModuleNotFoundError: No module named 'a_module_that_does_not_exist'"
    ) in linted.out
    assert "not installed" not in linted.out


def test_check_runs_one_check(wizard_cli) -> None:
    result = wizard_cli("check", "echo", "--param", "outcome=ios", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["outcome"] == "ios"
    failed = wizard_cli("check", "boom")
    assert failed.code == 4
    assert "Traceback" not in failed.out + failed.err


def test_a_check_that_raises_is_said_in_words_and_logged(
    wizard_cli, isolated_env: Path, tmp_path: Path
) -> None:
    """`wizard check` and `wizard run`: the crash in words, the exception in the errors log."""
    log = isolated_env / "data" / "errors.log"
    said = f"Boom stopped unexpectedly; the details are in {log}."
    checked = wizard_cli("check", "boom")
    assert checked.code == 4
    assert said in checked.out, checked.out
    guide = (SAMPLE / "sample.yaml").read_text("utf-8")
    guide = guide.replace("id: sample", "id: crashing").replace("check: echo", "check: boom")
    guide = guide.replace('params: {outcome: "{platform}"}', "")
    guide = guide.replace("android: fix", "ok: fix").replace("      ios: fix-cache\n", "")
    (tmp_path / "crashing.yaml").write_text(guide, "utf-8")
    args = ("run", "crashing", "--content", str(tmp_path), "--answer", "which=likes")
    walked = wizard_cli(*args, "--answer", "platform=android")
    assert walked.code == 0, walked.err
    assert said in walked.out, walked.out
    for result in (checked, walked):
        shown = result.out + result.err
        assert "flux capacitor" not in shown and "RuntimeError" not in shown
    text = log.read_text(encoding="utf-8")
    assert text.count("RuntimeError: the flux capacitor is missing") == 2


def test_check_errors_are_usage_errors(wizard_cli) -> None:
    assert wizard_cli("check", "nope").code == 2
    bad = wizard_cli("check", "echo", "--param", "volume=3")
    assert bad.code == 2 and "takes no parameter 'volume'" in bad.err
    broken = wizard_cli("check", "broken")
    assert broken.code == 2 and "did not load" in broken.err


def test_run_walks_to_a_fix_and_to_a_report(wizard_cli) -> None:
    args = (
        "run",
        "sample",
        "--content",
        str(SAMPLE),
        "--answer",
        "which=likes",
        "--answer",
        "platform=android",
    )
    solved = wizard_cli(*args, "--answer", "fix-cache=yes", "--json")
    assert solved.code == 0, solved.err
    data = json.loads(solved.out)
    assert data["status"] == "solved" and data["end"]["node"] == "fix-cache"
    assert [c["outcome"] for c in data["checks"]] == ["android"]
    assert data["facts"] == {"problem": "likes", "platform": "android"}
    report = wizard_cli(*args, "--answer", "fix-cache=no")
    assert report.code == 0
    assert "This ends in a support report (support)" in report.out


def test_run_stops_with_a_clear_message_at_a_missing_answer(wizard_cli) -> None:
    result = wizard_cli("run", "sample", "--content", str(SAMPLE), "--answer", "which=likes")
    assert result.code == 3
    assert "Stopped at platform: no answer for 'platform'" in result.out
    assert "one of android, ios, web" in result.out
    bad = wizard_cli("run", "sample", "--content", str(SAMPLE), "--answer", "which=perhaps")
    # A wrong option is known before the walk: a usage error, not a stop.
    assert bad.code == 2 and "has no option 'perhaps'" in bad.err


def test_run_unknown_guide(wizard_cli) -> None:
    result = wizard_cli("run", "nonexistent")
    assert result.code == 2 and "no guide called 'nonexistent'" in result.err


def test_lint_clean_and_broken(wizard_cli) -> None:
    clean = wizard_cli("lint", str(SAMPLE))
    assert clean.code == 0, clean.out + clean.err
    assert "ok  sample: 6 nodes; checks: echo" in clean.out
    broken = wizard_cli("lint", str(FIXTURES / "invalid" / "many-errors.yaml"))
    assert broken.code == 1
    lines = broken.out.strip().splitlines()
    assert len(lines) == 3 and all("many-errors.yaml:" in line for line in lines)
    assert "Traceback" not in broken.err


def test_lint_all_invalid_fixtures_never_traceback(wizard_cli) -> None:
    result = wizard_cli("lint", str(FIXTURES / "invalid"))
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert "error(s) in" in result.err


def test_graph_formats(wizard_cli) -> None:
    mermaid = wizard_cli("graph", "sample", "--content", str(SAMPLE))
    assert mermaid.code == 0 and mermaid.out.startswith("%% A sample guide\nflowchart TD")
    dot = wizard_cli("graph", str(SAMPLE / "sample.yaml"), "--format", "dot")
    assert dot.code == 0 and dot.out.startswith('digraph "sample" {')
    assert '"probe" -> "fix-cache" [label="android"];' in dot.out


def test_bad_setting_is_a_usage_error(wizard_cli) -> None:
    result = wizard_cli("guides", "--set", "speed.duration_s=soon")
    assert result.code == 2 and "speed.duration_s must be a number" in result.err


def test_every_status_has_a_mark() -> None:
    from checks.api import Status
    from wizard.cli.common import MARKS, mark

    assert set(MARKS) == {status.value for status in Status}
    assert {mark(status) for status in Status} <= {"✓", "!", "✗", "–", "ok", "x", "-"}


def _sessions(wizard_cli) -> list[dict[str, object]]:
    history = wizard_cli("history", "--json")
    assert history.code == 0, history.err
    return json.loads(history.out)["sessions"]  # type: ignore[no-any-return]


def test_run_names_an_unknown_step_and_saves_nothing(wizard_cli) -> None:
    result = wizard_cli("run", "sample", "--content", str(SAMPLE), "--answer", "nosuch=1")
    assert result.code == 2
    assert "has no step 'nosuch'" in result.err and "which, platform, fix-cache" in result.err
    assert _sessions(wizard_cli) == []


def test_run_checks_every_answer_before_a_session_is_created(wizard_cli) -> None:
    base = ("run", "sample", "--content", str(SAMPLE), "--answer", "which=likes")
    for bad, words in (
        ("which", "expected NAME=VALUE"),
        ("platform=amiga", "choose one of: android, ios, web"),
        ("fix-cache=maybe", "answer yes or no"),
        ("welcome=1", "is an info step and takes no answer"),
    ):
        result = wizard_cli(*base, "--answer", bad)
        assert result.code == 2, (bad, result.out, result.err)
        assert words in result.err, (bad, result.err)
    assert _sessions(wizard_cli) == []


def test_run_creates_a_session_only_at_the_first_real_answer(wizard_cli) -> None:
    nothing = wizard_cli("run", "sample", "--content", str(SAMPLE), "--note", "likes vanish")
    assert nothing.code == 3
    assert "wizard run sample … --answer which=…" in nothing.out
    assert _sessions(wizard_cli) == []
    some = wizard_cli(
        "run", "sample", "--content", str(SAMPLE), "--note", "likes vanish", "--answer", "which=1"
    )
    assert some.code == 3
    [row] = _sessions(wizard_cli)
    assert f"wizard resume {row['id']} --answer platform=…" in some.out
    report = wizard_cli("report", str(row["id"]), "--format", "json", "--content", str(SAMPLE))
    assert report.code == 0, report.err
    assert "likes vanish" in report.out


def _make_sessions(count: int) -> list[str]:
    import os

    from wizard.store import open_store

    with open_store(Path(os.environ["WIZARD_DATA_DIR"])) as store:
        return [store.create_session("sample", "welcome") for _ in range(count)]


def test_report_and_resume_say_an_id_matches_no_session(wizard_cli) -> None:
    for command in ("report", "resume"):
        empty = wizard_cli(command, "deadbeef0000")
        assert empty.code == 2 and "no saved session matches 'deadbeef0000'" in empty.err
        assert "there are no saved sessions yet" in empty.err
    _make_sessions(2)
    for command in ("report", "resume"):
        result = wizard_cli(command, "deadbeef0000", "--content", str(SAMPLE))
        assert result.code == 2, result.err
        assert "no saved session matches 'deadbeef0000'" in result.err
        assert "no saved session yet" not in result.err


def test_an_ambiguous_session_prefix_lists_the_matches(wizard_cli) -> None:
    ids = _make_sessions(17)  # two of them must share a first character
    prefix = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)
    matching = [i for i in ids if i.startswith(prefix)]
    for command in ("report", "resume"):
        result = wizard_cli(command, prefix, "--content", str(SAMPLE))
        assert result.code == 2, result.err
        assert f"{prefix!r} matches {len(matching)} sessions" in result.err
        assert all(i in result.err for i in matching)
    whole = wizard_cli("report", matching[0], "--format", "json", "--content", str(SAMPLE))
    assert whole.code == 0, whole.err


CYCLE = """\
id: cyc
title: Round and round
summary: Never ends.
start: a
nodes:
  a: {kind: info, text: Round, next: b}
  b: {kind: info, text: And round, next: a}
"""


def test_a_guide_that_does_not_load_is_named_with_its_first_error(wizard_cli, tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(CYCLE, "utf-8")
    for command in (("run", "cyc"), ("graph", "cyc"), ("tui", "--guide", "cyc")):
        result = wizard_cli("--content", str(broken), *command)
        assert result.code == 1, (command, result.err)
        assert "guide 'cyc' is there but did not load" in result.err, (command, result.err)
        assert f"{broken}:" in result.err and "a loop with no way out" in result.err
        assert "no guide called" not in result.err


def test_tui_with_an_unknown_guide_is_a_usage_error(wizard_cli) -> None:
    result = wizard_cli("tui", "--guide", "nosuch")
    assert result.code == 2 and "no guide called 'nosuch'" in result.err


def test_a_file_with_thousands_of_errors_lists_fifty_and_a_count(wizard_cli, tmp_path) -> None:
    nodes = "".join(f"  n{i}: {{kind: info, text: x, next: nowhere}}\n" for i in range(3000))
    many = tmp_path / "many.yaml"
    many.write_text(f"id: many\ntitle: Many\nsummary: Errors.\nstart: n0\nnodes:\n{nodes}", "utf-8")
    lint = wizard_cli("lint", str(many))
    assert lint.code == 1
    lines = lint.out.splitlines()
    assert len(lines) == 51 and all(f"{many}:" in line for line in lines[:50])
    count = int(lines[50].removeprefix("… and ").removesuffix(" more").replace(",", ""))
    assert count + 50 == json.loads(wizard_cli("lint", str(many), "--json").out)["errors"].__len__()
    for command in (("guides",), ("graph", str(many))):
        result = wizard_cli("--content", str(many), *command)
        assert result.code == 1, (command, result.err)
        assert len(result.err.splitlines()) == 51, command
        assert f"… and {count:,} more" in result.err


def test_history_has_headers_and_aligned_columns(wizard_cli) -> None:
    import os

    from wizard.store import open_store

    with open_store(Path(os.environ["WIZARD_DATA_DIR"])) as store:
        for guide in ("a", "a-guide-with-a-name-much-longer-than-twenty-four"):
            store.create_session(guide, "start")
    assert wizard_cli("check", "echo", "--param", "outcome=ios").code == 0
    assert wizard_cli("check", "echo", "--param", "outcome=android").code == 0
    out = wizard_cli("history").out.splitlines()
    sessions = out[1:4]
    checks = out[out.index("Checks:") + 1 :]
    assert sessions[0].split() == ["id", "guide", "started", "outcome", "ended"]
    assert checks[0].split() == ["at", "check", "outcome", "numbers"]
    for block, columns in ((sessions, ("guide", "started", "outcome", "ended")), (checks, ())):
        header = block[0]
        for column in columns:
            start = header.index(column)
            # every row has a cell starting where its header does, after a gap
            assert all(row[start - 2 : start] == "  " and row[start] != " " for row in block)
    outcome = checks[0].index("outcome")
    assert {row[outcome:].split()[0] for row in checks[1:]} == {"ios", "android"}


def test_graph_uses_the_real_node_ids(wizard_cli, tmp_path) -> None:
    mermaid = wizard_cli("graph", str(SAMPLE / "sample.yaml")).out
    assert '    fix-cache(["fix: Clear the cache"])' in mermaid
    assert '    probe -->|"android"| fix-cache' in mermaid
    assert "n_" not in mermaid
    # 'end' is a Mermaid keyword and '--' starts an arrow: both are written so Mermaid reads
    # them, and the label names the real id.
    guide = tmp_path / "odd.yaml"
    guide.write_text(
        "id: odd\ntitle: Odd ids\nsummary: Ids Mermaid cannot take as they are.\nstart: a--b\n"
        "nodes:\n  a--b: {kind: info, text: Hello, next: end}\n"
        "  end: {kind: done, title: Done}\n",
        "utf-8",
    )
    odd = wizard_cli("graph", str(guide))
    assert odd.code == 0, odd.err
    assert '    A__B["a--b · info: Hello"]' in odd.out
    assert '    END(("end · done: Done"))' in odd.out
    assert "    A__B --> END" in odd.out
    dot = wizard_cli("graph", str(guide), "--format", "dot").out
    assert '"a--b" -> "end";' in dot


def test_report_uses_what_the_report_screen_saved(wizard_cli, isolated_env: Path) -> None:
    """Switches and words chosen on the report screen hold for ``wizard report`` too."""
    from wizard.content.library import load_library
    from wizard.engine import Note, ReportOptions
    from wizard.saved import SavedSession
    from wizard.store import open_store

    some = wizard_cli("run", "sample", "--content", str(SAMPLE), "--answer", "which=likes")
    assert some.code == 3, some.err
    [row] = _sessions(wizard_cli)
    guides = load_library([SAMPLE], None).guides
    with open_store(Path(os.environ["WIZARD_DATA_DIR"])) as store:
        saved = SavedSession.resume(guides, store, str(row["id"]))
        saved.apply(
            Note("Router 192.168.1.23 at Maplewood Academy", at="2026-11-23T10:00:00+00:00")
        )
        saved.apply(ReportOptions(("ip",), ("Maplewood",), at="2026-11-23T10:00:01+00:00"))
    report = wizard_cli("report", "--content", str(SAMPLE), "--format", "txt")
    assert report.code == 0, report.err
    assert "Router 192.168.1.23 at [REDACTED-1] Academy" in report.out


def test_a_name_the_system_refuses_is_one_line_not_a_traceback(wizard_cli, tmp_path: Path) -> None:
    """Even root cannot open a name that long: exit 5, in words, naming it."""
    name = tmp_path / ("guide-" + "x" * 300)
    result = wizard_cli("lint", str(name))
    assert result.code == 5, result.err
    assert result.err.strip() == f"wizard: {name}: file name too long"
