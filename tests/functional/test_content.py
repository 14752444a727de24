"""The shipped guides: clean, fully covered, and walked end to end against local servers."""

from __future__ import annotations

import json
import string
import unicodedata
from dataclasses import dataclass

import pytest
import yaml
from rich.cells import cell_len

from tests.conftest import FIXTURES
from tests.world import World
from wizard.content.library import load_library
from wizard.paths import builtin_content_dir
from wizard.registry import CheckRegistry

CONTENT = builtin_content_dir()
GUIDES = ("disappearing-likes", "undo-accidental-like", "unfollow")


@pytest.fixture(scope="module")
def library():
    lib = load_library([CONTENT], CheckRegistry.from_environment().specs())
    assert lib.errors == [], [str(e) for e in lib.errors]
    return lib


def test_lint_is_clean(wizard_cli) -> None:
    result = wizard_cli("lint", str(CONTENT), plugins=False)
    assert result.code == 0, result.out + result.err
    for guide in GUIDES:
        assert f"ok  {guide}:" in result.out


def test_all_three_guides_ship(library) -> None:
    assert set(library.guides) == set(GUIDES)


def test_coverage_maps_every_node_and_only_real_ones(library) -> None:
    coverage = yaml.safe_load((FIXTURES / "coverage.yaml").read_text("utf-8"))
    assert set(coverage) == set(GUIDES)
    for guide_id, items in coverage.items():
        nodes = set(library.guides[guide_id].nodes)
        mapped = {node for item in items for node in item["nodes"]}
        assert all(item["item"].strip() for item in items)
        assert mapped - nodes == set(), f"{guide_id}: coverage names missing nodes {mapped - nodes}"
        assert nodes - mapped == set(), f"{guide_id}: nodes mapped to nothing {nodes - mapped}"


def test_every_path_ends_in_done_or_report(library) -> None:
    for guide in library.guides.values():
        for node in guide.nodes.values():
            successors = list(node.successors())
            if not successors:
                assert node.kind in ("done", "report"), f"{guide.id}.{node.id} is a dead end"
            assert all(s in guide.nodes for s in successors)


MAX_STEPS_TO_REPORT = 12
"""The ceiling: no walk shows more steps than this before the support report."""


def _longest_to_report(guide, node_id: str, seen: frozenset[str], memo: dict[str, int]) -> int:
    """Steps before a report on the longest path from ``node_id`` (-1: none reaches one)."""
    if node_id in memo:
        return memo[node_id]
    node = guide.nodes[node_id]
    if node.kind == "report":
        return 0
    best = -1
    for target in set(node.successors()):
        assert target not in seen, f"{guide.id}: a loop through {node_id} and {target}"
        steps = _longest_to_report(guide, target, seen | {node_id}, memo)
        if steps >= 0:
            best = max(best, steps + 1)
    memo[node_id] = best
    return best


def test_no_path_to_the_report_is_longer_than_the_ceiling(library) -> None:
    for guide in library.guides.values():
        longest = _longest_to_report(guide, guide.start, frozenset(), {})
        assert 0 < longest <= MAX_STEPS_TO_REPORT, f"{guide.id}: {longest} steps to the report"


def _answers(node, outcomes: dict[str, tuple[str, ...]]):  # type: ignore[no-untyped-def]
    """Every event that can leave ``node``: each option, outcome, verdict or a sample value."""
    from wizard.content.model import AskNode, CheckNode, FixNode, InfoNode, InputNode
    from wizard.engine import Answer, CheckDone, Continue, Input, Verdict

    at = "2026-11-23T09:00:00+00:00"
    if isinstance(node, AskNode):
        return [Answer(node.id, o.key, at=at) for o in node.options]
    if isinstance(node, InputNode):
        sample = {"version": "12.3.4", "number": "1", "platform": "web"}.get(node.input_type, "x")
        return [Input(node.id, value, at=at) for value in (node.choices or (sample,))]
    if isinstance(node, CheckNode):
        return [CheckDone(node.id, o, at=at) for o in outcomes[node.check]]
    if isinstance(node, FixNode):
        return [Verdict(node.id, helped, at=at) for helped in (True, False)]
    assert isinstance(node, InfoNode)
    return [Continue(node.id, at=at)]


def test_every_walk_through_the_engine_ends(library) -> None:
    """Each answer, outcome and verdict at every step, walked by the engine: all walks end."""
    from wizard.engine import Session

    outcomes = {
        cid: spec.outcomes for cid, spec in CheckRegistry.from_environment().specs().items()
    }
    for guide in library.guides.values():
        ends: set[str] = set()
        stack: list[tuple] = [()]
        while stack:
            events = stack.pop()
            session = Session(guide)
            for event in events:
                session.apply(event)
            if session.ended:
                ends.add(session.current)
                continue
            assert len(events) <= MAX_STEPS_TO_REPORT + 1, f"{guide.id}: {session.current}"
            stack.extend((*events, e) for e in _answers(session.node, outcomes))
        terminal = {n.id for n in guide.nodes.values() if n.kind in ("done", "report")}
        assert terminal <= ends, f"{guide.id}: never reached {terminal - ends}"


def test_texts_are_not_placeholders(library) -> None:
    for guide in library.guides.values():
        for node in guide.nodes.values():
            text = f"{node.title} {node.text} {getattr(node, 'steps', '')}".lower()
            for marker in ("todo", "lorem", "tbd", "xxx", "fixme"):
                assert marker not in text.split(), f"{guide.id}.{node.id} has {marker!r}"


def _terminal_width(char: str) -> int:
    """The columns a terminal that follows this Python's Unicode tables gives ``char``."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def test_no_text_holds_a_character_terminals_and_the_app_measure_differently() -> None:
    """Textual lays text out with Rich's widths; a terminal with older Unicode tables draws
    some symbols narrower (``☰`` is two columns to Rich, one to most terminals), and every
    line holding one is drawn shifted against the panel beside it."""
    for path in sorted((builtin_content_dir() / "guides").glob("*.yaml")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for char in set(line) - set(string.printable):
                assert cell_len(char) == _terminal_width(char), (
                    f"{path.name}:{number}: {char!r} ({unicodedata.name(char, '?')}) "
                    "is measured differently by terminals and the app: say it in words"
                )


# --- scenario walks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A named walk: the answers, where it must end, and which checks must have run."""

    name: str
    guide: str
    answers: tuple[str, ...]
    end: str
    status: str
    checks: tuple[str, ...]
    sets: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()


HEART = ("platform=ios", "what=heart", "heart-first=same-network")
SCENARIOS = [
    Scenario(
        "likes-fixed-by-clearing-cache",
        "disappearing-likes",
        (*HEART, "app-version=41.2.0", "fix-app=yes"),
        "fix-app",
        "solved",
        ("connectivity", "speed", "app_version"),
    ),
    Scenario(
        "quick-checks-first",
        "disappearing-likes",
        ("platform=android", "what=heart", "heart-first=stays"),
        "heart-solved",
        "solved",
        (),
    ),
    Scenario(
        "phone-on-mobile-data-not-tested-from-here",
        "disappearing-likes",
        (
            "platform=android",
            "what=heart",
            "heart-first=other-network",
            "fix-other-network=no",
            "app-version=38.0.1",
            "fix-app=yes",
        ),
        "fix-app",
        "solved",
        ("app_version",),
    ),
    Scenario(
        "captive-portal-signed-in",
        "disappearing-likes",
        (*HEART, "fix-portal=yes"),
        "fix-portal",
        "solved",
        ("connectivity",),
        sets=("connectivity.portal_url={portal}",),
    ),
    Scenario(
        "service-blocked-then-app",
        "disappearing-likes",
        (*HEART, "fix-network=no", "fix-app=yes"),
        "fix-app",
        "solved",
        ("connectivity",),
        sets=("connectivity.service_urls={dead}",),
    ),
    Scenario(
        "slow-line-steadier",
        "disappearing-likes",
        ("platform=android", "what=heart", "heart-first=same-network", "fix-network=yes"),
        "fix-network",
        "solved",
        ("connectivity", "speed"),
        sets=("speed.min_download_mbps=1000000",),
    ),
    Scenario(
        "tiktok-outage-to-support",
        "disappearing-likes",
        (*HEART, "fix-wait-outage=no"),
        "support",
        "report",
        ("connectivity",),
        sets=("connectivity.service_urls={broken}",),
    ),
    Scenario(
        "tls-interception",
        "disappearing-likes",
        (*HEART, "fix-interception=yes"),
        "fix-interception",
        "solved",
        ("connectivity",),
        sets=("connectivity.service_urls={tls}",),
    ),
    Scenario(
        "dns-failure-router-restart",
        "disappearing-likes",
        (*HEART, "fix-network=yes"),
        "fix-network",
        "solved",
        ("connectivity",),
        sets=("connectivity.service_urls=https://tiktok.invalid/",),
    ),
    Scenario(
        "broken-proxy",
        "disappearing-likes",
        (*HEART, "fix-proxy=yes"),
        "fix-proxy",
        "solved",
        ("connectivity",),
        env=(("HTTP_PROXY", "{dead}"), ("HTTPS_PROXY", "{dead}")),
    ),
    Scenario(
        "web-user-exports-show-vanished-likes",
        "disappearing-likes",
        (
            "platform=web",
            "what=heart",
            "heart-first=same-network",
            "app-version=",
            "fix-app=no",
            "heart-export-ask=two",
            "heart-export-new={new}",
            "heart-export-old={old}",
        ),
        "support",
        "report",
        ("connectivity", "speed", "app_version", "data_export"),
    ),
    Scenario(
        "exports-compared-after-the-app-update-did-not-help",
        "disappearing-likes",
        (
            *HEART,
            "app-version=41.2.0",
            "fix-app=no",
            "heart-export-ask=two",
            "heart-export-new={new}",
            "heart-export-old={old}",
        ),
        "support",
        "report",
        ("connectivity", "speed", "app_version", "data_export"),
    ),
    Scenario(
        "liked-tab-gaps-intact-in-exports",
        "disappearing-likes",
        (
            "platform=ios",
            "what=tab",
            "fix-tab-refresh=no",
            "tab-export-ask=two",
            "tab-export-new={grown}",
            "tab-export-old={old}",
            "fix-refresh-liked=yes",
        ),
        "fix-refresh-liked",
        "solved",
        ("data_export",),
    ),
    Scenario(
        # One export given as both is no evidence that nothing was lost.
        "liked-tab-same-export-twice",
        "disappearing-likes",
        (
            "platform=ios",
            "what=tab",
            "fix-tab-refresh=no",
            "tab-export-ask=two",
            "tab-export-new={old}",
            "tab-export-old={old}",
        ),
        "support",
        "report",
        ("data_export",),
    ),
    Scenario(
        "liked-tab-refreshed",
        "disappearing-likes",
        ("platform=android", "what=tab", "fix-tab-refresh=yes"),
        "fix-tab-refresh",
        "solved",
        (),
    ),
    Scenario(
        "own-videos-small-drops-explained",
        "disappearing-likes",
        ("platform=ios", "what=mine", "mine-shape=trickle", "mine-causes=yes"),
        "mine-done",
        "solved",
        (),
    ),
    Scenario(
        "own-videos-sudden-drop-measured",
        "disappearing-likes",
        (
            "platform=android",
            "what=mine",
            "mine-shape=sudden",
            "fix-mine-glitch=no",
            "mine-notice=none",
            "mine-reach=fewer",
            "fix-mine-audience=no",
            "mine-export-ask=two",
            "mine-export-new={new}",
            "mine-export-old={old}",
        ),
        "support",
        "report",
        ("data_export",),
    ),
    Scenario(
        "own-video-notice-explains-it",
        "disappearing-likes",
        (
            "platform=web",
            "what=mine",
            "mine-shape=one-video",
            "mine-notice=notice",
            "fix-mine-appeal=yes",
        ),
        "fix-mine-appeal",
        "solved",
        (),
    ),
    Scenario(
        "liked-videos-were-private",
        "disappearing-likes",
        ("platform=ios", "what=seen", "seen-setting=Only me", "fix-liked-everyone=yes"),
        "fix-liked-everyone",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "liked-videos-public-viewer-side",
        "disappearing-likes",
        (
            "platform=web",
            "what=seen",
            "seen-setting=Everyone",
            "fix-viewer-side=no",
            "fix-seen-relogin=no",
        ),
        "support",
        "report",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "liked-setting-not-found-other-way",
        "disappearing-likes",
        (
            "platform=android",
            "what=seen",
            "seen-setting=I cannot find it",
            "seen-find=public",
            "fix-viewer-side=yes",
        ),
        "fix-viewer-side",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "something-else",
        "disappearing-likes",
        ("platform=android", "what=other"),
        "support",
        "report",
        (),
    ),
    Scenario(
        "undo-like-already-private",
        "undo-accidental-like",
        ("platform=ios", "where=gone", "find-liked=found", "tap-heart=gone", "privacy-now=Only me"),
        "already-private",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "undo-like-make-private",
        "undo-accidental-like",
        (
            "platform=web",
            "where=open",
            "tap-heart=gone",
            "privacy-now=Everyone",
            "privacy-ask=private",
            "make-private=yes",
        ),
        "make-private",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "undo-like-setting-unknown-asks-first",
        "undo-accidental-like",
        (
            "platform=android",
            "where=open",
            "tap-heart=gone",
            "privacy-now=I cannot find it",
            "privacy-unknown=keep",
        ),
        "finished",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "undo-like-keeps-coming-back",
        "undo-accidental-like",
        ("platform=android", "where=open", "tap-heart=back", "retry=no"),
        "support",
        "report",
        (),
    ),
    Scenario(
        "unfollow-on-android",
        "unfollow",
        ("platform=android", "goal=unfollow", "unfollow-steps=yes"),
        "unfollow-steps",
        "solved",
        (),
    ),
    Scenario(
        "who-does-not-follow-back",
        "unfollow",
        (
            "platform=ios",
            "goal=follow-back",
            "follow-back=export",
            "export-path={new}",
            "unfollow-chosen=yes",
        ),
        "unfollow-chosen",
        "solved",
        ("data_export",),
    ),
    Scenario(
        "follow-back-from-the-lists",
        "unfollow",
        ("platform=web", "goal=follow-back", "follow-back=enough"),
        "lists-enough",
        "solved",
        (),
    ),
    Scenario(
        "followers-dropping-explained",
        "unfollow",
        ("platform=android", "goal=dropping", "drop-next=done"),
        "explained",
        "solved",
        (),
    ),
    Scenario(
        "followers-dropping-to-support",
        "unfollow",
        ("platform=android", "goal=dropping", "drop-next=wrong"),
        "support",
        "report",
        (),
    ),
    Scenario(
        "fake-followers-to-support",
        "unfollow",
        ("platform=web", "goal=fake", "remove-fake=no"),
        "support",
        "report",
        (),
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario(wizard_cli, world: World, scenario: Scenario) -> None:
    values = {**world.urls, **{k: str(v) for k, v in world.files.items()}}
    args = ["run", scenario.guide, "--json", *world.args()]
    for item in scenario.sets:
        args += ["--set", item.format(**values)]
    for answer in scenario.answers:
        args += ["--answer", answer.format(**values)]
    env = {k: v.format(**values).rstrip("/") for k, v in scenario.env}
    result = wizard_cli(*args, plugins=False, env=env, timeout=120)
    assert result.code == 0, result.out + result.err
    walk = json.loads(result.out)
    assert (walk["end"]["node"], walk["status"]) == (scenario.end, scenario.status), walk["path"]
    assert tuple(c["check_id"] for c in walk["checks"]) == scenario.checks
    assert all(c["outcome"] not in ("error", "timeout") for c in walk["checks"]), walk["checks"]


def test_there_are_at_least_twelve_named_scenarios() -> None:
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS) >= 12
    assert {s.guide for s in SCENARIOS} == set(GUIDES)


WORDED = """\
id: worded
title: Answers in their own words
summary: A fix with its own answers, a check with its own words, text per platform.
start: platform
nodes:
  platform:
    kind: input
    type: platform
    fact: platform
    text: Which platform?
    next: look
  look:
    kind: input
    fact: seen
    text: Open the app's settings and read the line.
    variants:
      web: Open the site's settings page and read the line.
    next: echo
  echo:
    kind: check
    check: echo
    params: {outcome: ios}
    otherwise: notice
    says:
      ios: The guide's own words for this outcome.
  notice:
    kind: fix
    title: Look for a notice
    steps: Open your inbox and look for a notice.
    yes: Yes, a notice explains it
    no: No notice
    next: end
  end: {kind: report, title: Ask support}
"""


def test_answers_and_verdicts_in_a_guide_s_own_words(wizard_cli, tmp_path) -> None:
    (tmp_path / "worded.yaml").write_text(WORDED, "utf-8")
    base = ("run", "worded", "--content", str(tmp_path), "--answer", "platform=web")
    result = wizard_cli(*base, "--answer", "look=x", "--answer", "notice=no")
    assert result.code == 0, result.out + result.err
    lines = result.out.splitlines()
    expected = [
        "Open the site's settings page and read the line.",
        "✓ echo: The guide's own words for this outcome.",
        "  yes. Yes, a notice explains it",
        "  no.  No notice",
        "  → no: No notice",
    ]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions), result.out
    assert "app's settings" not in result.out
    assert "Echoed" not in result.out
    assert "Did it help?" not in result.out
    walked = wizard_cli(*base, "--answer", "look=x", "--answer", "notice=yes", "--json")
    path = {step["node"]: step["label"] for step in json.loads(walked.out)["path"]}
    assert path["echo"] == "The guide's own words for this outcome."
    assert path["notice"] == "Yes, a notice explains it"
    stopped = wizard_cli(*base, "--answer", "look=x")
    assert stopped.code == 3
    assert "answer yes (Yes, a notice explains it) or no (No notice)" in stopped.out


def test_an_untitled_fix_without_an_answer_is_named_once(wizard_cli, tmp_path) -> None:
    (tmp_path / "bare.yaml").write_text(
        "id: bare\ntitle: Bare\nsummary: s\nstart: fix\nnodes:\n"
        "  fix: {kind: fix, steps: Do it., next: end}\n  end: {kind: report, title: R}\n",
        "utf-8",
    )
    result = wizard_cli("run", "bare", "--content", str(tmp_path))
    assert result.code == 3
    assert "no answer for fix 'fix': did it help? Answer yes or no." in result.out


def test_without_exports_the_walk_waits_at_its_step_and_resumes_there(
    wizard_cli, world: World
) -> None:
    """Exports take days: the walk stops at the step that says so, and picks up from it."""
    first = wizard_cli(
        "run",
        "disappearing-likes",
        "--json",
        *world.args(),
        *(f"--answer={a}" for a in (*HEART, "app-version=41.2.0", "fix-app=no")),
        plugins=False,
        timeout=120,
    )
    assert first.code == 3, first.out + first.err
    walk = json.loads(first.out)
    assert (walk["end"]["node"], walk["status"]) == ("heart-export-ask", "incomplete")
    later = wizard_cli(
        "resume",
        walk["session"],
        "--json",
        *world.args(),
        "--answer=heart-export-ask=two",
        f"--answer=heart-export-new={world.files['new']}",
        f"--answer=heart-export-old={world.files['old']}",
        plugins=False,
        timeout=120,
    )
    assert later.code == 0, later.out + later.err
    walk = json.loads(later.out)
    assert (walk["end"]["node"], walk["status"]) == ("support", "report")
    assert [c["check_id"] for c in walk["checks"]][-1] == "data_export"
