"""Reports of walks through the shipped guides, read as the support agent receiving them."""

from __future__ import annotations

import email
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email import policy
from typing import Any

import jsonschema
import pytest

from checks.api import CheckResult, Status
from wizard.content.library import load_library
from wizard.content.model import Guide
from wizard.engine import Answer, CheckDone, Continue, Input, Note, Session, Verdict
from wizard.paths import builtin_content_dir
from wizard.report import SCHEMA_PATH, prepare
from wizard.report.redact import Redactor
from wizard.report.render import FORMATS, render

NOW = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
AT = "2026-12-02T06:00:00+00:00"
HUMAN = ("form", "txt", "md", "eml")


def _guide(guide_id: str) -> Guide:
    return load_library([builtin_content_dir()], None).guides[guide_id]


def _walk(guide_id: str, plan: Mapping[str, Any]) -> Session:
    """Walk a shipped guide: ``plan`` gives each node its answer (an option key, a value,
    a check's (outcome, result), or a fix's verdict); the walk stops at a node it lacks."""
    guide = _guide(guide_id)
    session = Session(guide)
    while not session.ended:
        node = guide.nodes[session.current]
        if node.kind == "info":
            session.apply(Continue(node.id, at=AT))
        elif node.id not in plan:
            break
        elif node.kind == "ask":
            session.apply(Answer(node.id, plan[node.id], at=AT))
        elif node.kind == "input":
            session.apply(Input(node.id, plan[node.id], at=AT))
        elif node.kind == "check":
            outcome, result = plan[node.id]
            session.apply(CheckDone(node.id, outcome, result, at=AT))
        elif node.kind == "fix":
            session.apply(Verdict(node.id, plan[node.id], at=AT))
    return session


def _formats(session: Session) -> dict[str, str]:
    report = prepare(session, now=NOW, redactor=Redactor())
    return {fmt: render(report, fmt).decode("utf-8", "replace") for fmt in FORMATS}


def _section(text: str, heading: str) -> str:
    """The lines of ``text`` from ``heading`` to the next blank line."""
    return text.split(heading, 1)[1].split("\n\n", 1)[0]


def _ok(summary: str, **details: Any) -> dict[str, Any]:
    return {"status": "ok", "summary": summary, "details": details}


FOLLOWERS_DROPPING = {"platform": "android", "goal": "dropping", "drop-next": "wrong"}


def test_every_format_says_what_the_user_says_is_wrong() -> None:
    """Unfollow → "My follower count keeps dropping" → "I lost many at once": no check ran,
    and the short report still tells the agent what is going on, in the user's answers."""
    shown = _formats(_walk("unfollow", FOLLOWERS_DROPPING))
    for fmt, text in shown.items():
        assert "My follower count keeps dropping" in text, fmt
        assert "No: I lost many followers at once and do not know why" in text, fmt
    says = next(line for line in shown["form"].splitlines() if line.startswith("The user says: "))
    assert "What next? → No: I lost many followers at once and do not know why" in says
    assert shown["form"].startswith(
        "Support request: Unfollow accounts and understand your follows: "
        "My follower count keeps dropping\n"
    )


HEART_ON_THIS_NETWORK = {
    "platform": "android",
    "what": "heart",
    "heart-first": "same-network",
}


def _skipped() -> dict[str, Any]:
    """What the walk screen records for a check the user skipped."""
    skipped = CheckResult(
        "connectivity", "not_run", Status.SKIPPED, "Not run: skipped after it was cancelled."
    )
    return dict(skipped.to_dict())


def test_a_skipped_check_is_not_a_check_that_ran_nor_fine() -> None:
    guide = _guide("disappearing-likes")
    plan = {**HEART_ON_THIS_NETWORK, "net-check": ("not_run", _skipped())}
    session = _walk("disappearing-likes", plan)
    assert session.current != "net-check"
    for _ in range(50):  # the last answer everywhere after the skip, to the end
        if session.ended:
            break
        node = guide.nodes[session.current]
        if node.kind == "fix":
            session.apply(Verdict(node.id, False, at=AT))
        elif node.kind == "ask":
            session.apply(Answer(node.id, node.options[-1].key, at=AT))
        elif node.kind == "info":
            session.apply(Continue(node.id, at=AT))
        elif node.kind == "input":
            session.apply(Input(node.id, "", at=AT))
        else:
            session.apply(CheckDone(node.id, "up_to_date", _ok("Your app is up to date."), at=AT))
    report = prepare(session, now=NOW, redactor=Redactor())
    assert "every check that ran came back fine" not in report["suspected_cause"]
    assert "not run: Testing this computer's connection" in report["suspected_cause"]
    assert not any(line.startswith("Testing") for line in report["ruled_out"])
    for fmt in ("txt", "md"):
        text = render(report, fmt).decode()
        assert "Testing this computer's connection" not in _section(text, "Checks that ran"), fmt
        assert "Not run: Testing this computer's connection (Not run: skipped" in text, fmt


UPDATE_ON_THE_WEB = {
    "platform": "web",
    "what": "heart",
    "heart-first": "same-network",
    "net-check": ("online", _ok("You are online and TikTok's servers answer normally.")),
    "speed-check": ("good", _ok("Good for short video.")),
    "app-version": "",
    "version-check": (
        "up_to_date",
        _ok("On the web there is nothing to update: the site is always the latest."),
    ),
    "fix-app": False,
}


def test_a_web_users_report_speaks_of_the_browser_not_a_phone() -> None:
    session = _walk("disappearing-likes", UPDATE_ON_THE_WEB)
    assert session.current != "fix-app", "the walk did not get past the update"
    for fmt, text in _formats(session).items():
        assert "the phone" not in text, fmt
        # The version question was left empty on the web: no app version, changed or not.
        assert "TikTok app version" not in text and "new value not given" not in text, fmt
        if fmt in HUMAN:
            tried = (
                "Update TikTok and clear what it has stored (in a web browser step by step: "
                "Reload fully, Clear the site's data, Rule out extensions, Log out and back in) "
                "→ No, the heart still turns white"
            )
            if fmt == "form":  # its lines are cut to length
                assert tried[:100] in text, fmt
            else:
                assert "Is TikTok up to date? (the web browser;" in text, fmt
                assert tried in text, fmt


def test_checks_of_other_branches_are_not_listed_as_not_checked() -> None:
    finished = _formats(_walk("unfollow", FOLLOWERS_DROPPING))
    for fmt, text in finished.items():
        assert "Comparing followers and following" not in text, fmt
        assert "Not checked" not in text, fmt
    # A walk that stopped part-way names the checks it could still have reached.
    stopped = _walk("unfollow", {"platform": "ios", "goal": "follow-back"})
    text = _formats(stopped)["txt"]
    assert "Not reached (the walk stopped before them): Comparing followers and following." in text


def test_a_finding_is_not_a_ruling_out() -> None:
    one_sided = _ok(
        "40 accounts you follow do not follow you back; you do not follow back 3 of your followers.",
        not_following_back=[f"someone{n}" for n in range(40)],
        not_followed_back=["a", "b", "c"],
    )
    plan = {
        "platform": "android",
        "goal": "follow-back",
        "follow-back": "export",
        "export-path": "/tmp/export.zip",
        "compare": ("one_sided", one_sided),
    }
    report = prepare(_walk("unfollow", plan), now=NOW, redactor=Redactor())
    assert report["ruled_out"] == []
    assert report["found"] == [f"Comparing followers and following: {one_sided['summary']}"]
    text = render(report, "txt").decode()
    assert "Ruled out: nothing yet" in text
    assert "Found: Comparing followers and following: 40 accounts" in text
    # A setting read as it stands is what the user has, not a cause ruled out.
    undo = _walk(
        "undo-accidental-like",
        {
            "platform": "android",
            "where": "open",
            "tap-heart": "gone",
            "privacy-now": "Everyone",
            "privacy-check": ("public", _ok("Everyone can see your liked videos.")),
        },
    )
    assert undo.current == "privacy-ask", undo.current
    report = prepare(undo, now=NOW, redactor=Redactor())
    assert report["ruled_out"] == []
    assert report["found"] == ["Reading the setting: Everyone can see your liked videos."]


def test_no_internal_ids_in_the_human_formats() -> None:
    plan = {**HEART_ON_THIS_NETWORK, "net-check": ("online", {"status": "ok"})}
    session = _walk("disappearing-likes", plan)
    ids = [n for n in session.guide.nodes if re.search(r"[-_]", n)] + ["online"]
    for fmt in HUMAN:
        text = _formats(session)[fmt]
        for word in ids:
            assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), (fmt, word)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_login_name_is_hidden_inside_file_names(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "jane")
    monkeypatch.setenv("HOME", "/home/jane")
    plan = {
        "platform": "android",
        "goal": "follow-back",
        "follow-back": "export",
        "export-path": "/home/jane/Downloads/TikTok_Data_jane.zip",
    }
    report = prepare(_walk("unfollow", plan), now=NOW)
    data = render(report, fmt)
    if fmt == "eml":
        message = email.message_from_bytes(data, policy=policy.default)
        parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
        text = "\n".join(p.decode() if isinstance(p, bytes) else p for p in parts)
    else:
        text = data.decode("utf-8")
    assert "jane" not in text.lower()
    assert "[HOME]/Downloads/TikTok_Data_[USER-1].zip" in text


def test_a_long_note_leaves_the_answers_in_the_short_report() -> None:
    session = _walk("unfollow", FOLLOWERS_DROPPING)
    session.apply(Note("They vanish overnight. " * 30, at=AT))
    short = _formats(session)["form"]
    says = next(line for line in short.splitlines() if line.startswith("The user says: "))
    assert says == (
        "The user says: Android phone or tablet; My follower count keeps dropping; "
        "No: I lost many followers at once and do not know why"
    )


def test_the_json_of_these_walks_keeps_to_the_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    skipped = {**HEART_ON_THIS_NETWORK, "net-check": ("not_run", _skipped())}
    for guide_id, plan in (
        ("unfollow", FOLLOWERS_DROPPING),
        ("disappearing-likes", UPDATE_ON_THE_WEB),
        ("disappearing-likes", skipped),
    ):
        report = json.loads(_formats(_walk(guide_id, plan))["json"])
        jsonschema.validate(report, schema)


def test_the_problem_line_is_the_answer_to_the_guides_problem_question() -> None:
    """The question marked ``fact: problem`` says what is wrong; a guide about one problem
    has none, and its title alone is the problem (not its first question's answer)."""
    likes = _walk("disappearing-likes", {"platform": "ios", "what": "heart"})
    undo = _walk("undo-accidental-like", {"platform": "ios", "where": "open"})
    likes_line = prepare(likes, now=NOW, redactor=Redactor())["problem"]
    undo_line = prepare(undo, now=NOW, redactor=Redactor())["problem"]
    heart = next(s.label for s in likes.path if s.node == "what")
    assert likes_line == f"My likes keep disappearing: {heart}"
    assert undo_line == "Undo a like I gave by accident"
