"""The shipped guides: clean, fully covered, and walked end to end against local servers."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
import yaml

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
    coverage = yaml.safe_load((CONTENT / "coverage.yaml").read_text("utf-8"))
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


def test_texts_are_not_placeholders(library) -> None:
    for guide in library.guides.values():
        for node in guide.nodes.values():
            text = f"{node.title} {node.text} {getattr(node, 'steps', '')}".lower()
            for marker in ("todo", "lorem", "tbd", "xxx", "fixme"):
                assert marker not in text.split(), f"{guide.id}.{node.id} has {marker!r}"


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


NET_OK = ("net-check", "speed-check")
SCENARIOS = [
    Scenario(
        "likes-fixed-by-clearing-cache",
        "disappearing-likes",
        ("what=given", "platform-given=ios", "app-version=41.2.0", "fix-cache-in-app=yes"),
        "fix-cache-in-app",
        "solved",
        ("connectivity", "speed", "app_version"),
    ),
    Scenario(
        "captive-portal-signed-in",
        "disappearing-likes",
        ("what=given", "platform-given=ios", "fix-portal=yes"),
        "fix-portal",
        "solved",
        ("connectivity",),
        sets=("connectivity.portal_url={portal}",),
    ),
    Scenario(
        "service-blocked-then-old-app",
        "disappearing-likes",
        (
            "what=given",
            "platform-given=ios",
            "fix-switch-network=no",
            "fix-closer-router=no",
            "fix-restart-router=no",
            "fix-other-device=no",
            "app-version=38.0.1",
            "fix-update-app=yes",
        ),
        "fix-update-app",
        "solved",
        ("connectivity", "app_version"),
        sets=("connectivity.service_urls={dead}",),
    ),
    Scenario(
        "slow-line-moved-closer",
        "disappearing-likes",
        ("what=given", "platform-given=android", "fix-closer-router=yes"),
        "fix-closer-router",
        "solved",
        ("connectivity", "speed"),
        sets=("speed.min_download_mbps=1000000",),
    ),
    Scenario(
        "tiktok-outage-to-support",
        "disappearing-likes",
        ("what=given", "platform-given=android", "fix-wait-outage=no"),
        "support",
        "report",
        ("connectivity",),
        sets=("connectivity.service_urls={broken}",),
    ),
    Scenario(
        "tls-interception",
        "disappearing-likes",
        ("what=given", "platform-given=android", "fix-interception=yes"),
        "fix-interception",
        "solved",
        ("connectivity",),
        sets=("connectivity.service_urls={tls}",),
    ),
    Scenario(
        "dns-failure-router-restart",
        "disappearing-likes",
        ("what=given", "platform-given=android", "fix-restart-router=yes"),
        "fix-restart-router",
        "solved",
        ("connectivity",),
        sets=("connectivity.service_urls=https://tiktok.invalid/",),
    ),
    Scenario(
        "broken-proxy",
        "disappearing-likes",
        ("what=given", "platform-given=ios", "fix-proxy=yes"),
        "fix-proxy",
        "solved",
        ("connectivity",),
        env=(("HTTP_PROXY", "{dead}"), ("HTTPS_PROXY", "{dead}")),
    ),
    Scenario(
        "web-user-exports-show-vanished-likes",
        "disappearing-likes",
        (
            "what=given",
            "platform-given=web",
            "app-version=",
            "fix-cache-in-app=no",
            "fix-cache-phone=no",
            "fix-relogin=no",
            "given-export-ask=yes",
            "given-export-new={new}",
            "given-export-old={old}",
        ),
        "support",
        "report",
        ("connectivity", "speed", "app_version", "data_export"),
    ),
    Scenario(
        "likes-intact-in-exports",
        "disappearing-likes",
        (
            "what=given",
            "platform-given=ios",
            "app-version=41.2.0",
            "fix-cache-in-app=no",
            "fix-cache-phone=no",
            "fix-relogin=no",
            "given-export-ask=yes",
            "given-export-new={old}",
            "given-export-old={old}",
            "fix-refresh-liked=yes",
        ),
        "fix-refresh-liked",
        "solved",
        ("connectivity", "speed", "app_version", "data_export"),
    ),
    Scenario(
        "own-videos-small-drops-explained",
        "disappearing-likes",
        ("what=mine", "platform-mine=ios", "mine-shape=trickle", "mine-explained=yes"),
        "mine-done",
        "solved",
        (),
    ),
    Scenario(
        "own-videos-sudden-drop-measured",
        "disappearing-likes",
        (
            "what=mine",
            "platform-mine=android",
            "mine-shape=sudden",
            "fix-mine-glitch=no",
            "fix-mine-guidelines=no",
            "fix-mine-reach=no",
            "fix-mine-audience=no",
            "mine-export-ask=yes",
            "mine-export-new={new}",
            "mine-export-old={old}",
        ),
        "support",
        "report",
        ("data_export",),
    ),
    Scenario(
        "liked-videos-were-private",
        "disappearing-likes",
        ("what=seen", "platform-seen=ios", "seen-setting=Only me", "fix-liked-everyone=yes"),
        "fix-liked-everyone",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "liked-videos-public-viewer-side",
        "disappearing-likes",
        (
            "what=seen",
            "platform-seen=web",
            "seen-setting=Everyone",
            "fix-viewer-side=no",
            "fix-seen-relogin=no",
        ),
        "support",
        "report",
        ("privacy_liked_videos",),
    ),
    Scenario("something-else", "disappearing-likes", ("what=other",), "support", "report", ()),
    Scenario(
        "undo-like-already-private",
        "undo-accidental-like",
        ("where=gone", "find-liked=found", "tap-heart=gone", "privacy-now=Only me"),
        "already-private",
        "solved",
        ("privacy_liked_videos",),
    ),
    Scenario(
        "undo-like-make-private",
        "undo-accidental-like",
        (
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
        "undo-like-keeps-coming-back",
        "undo-accidental-like",
        ("where=open", "tap-heart=back", "retry=no"),
        "support",
        "report",
        (),
    ),
    Scenario(
        "unfollow-on-android",
        "unfollow",
        ("goal=unfollow", "platform=android", "unfollow-steps=yes"),
        "unfollow-steps",
        "solved",
        (),
    ),
    Scenario(
        "who-does-not-follow-back",
        "unfollow",
        ("goal=follow-back", "export-ask=yes", "export-path={new}", "unfollow-chosen=yes"),
        "unfollow-chosen",
        "solved",
        ("data_export",),
    ),
    Scenario(
        "followers-dropping-explained",
        "unfollow",
        ("goal=dropping", "drop-next=done"),
        "explained",
        "solved",
        (),
    ),
    Scenario(
        "fake-followers-to-support",
        "unfollow",
        ("goal=fake", "remove-fake=no"),
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
