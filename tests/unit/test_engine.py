"""The session engine: events in, state out; back, restart, JSON round trip and replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wizard.content.library import load_file
from wizard.content.model import AskNode, Guide, InputNode
from wizard.drive import accept_input
from wizard.engine import (
    REPORT,
    SOLVED,
    Answer,
    Back,
    BackTo,
    CheckDone,
    Continue,
    EngineError,
    Input,
    Note,
    Restart,
    Session,
    Verdict,
    event_from_dict,
)

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "sample.yaml"


@pytest.fixture(scope="module")
def guide() -> Guide:
    loaded, errors = load_file(SAMPLE, None)
    assert errors == [] and loaded is not None
    return loaded


def walk_to_fix(guide: Guide) -> Session:
    session = Session(guide)
    for event in (
        Continue("welcome", at="2026-11-23T10:00:00+00:00"),
        Answer("which", "likes", at="2026-11-23T10:00:05+00:00"),
        Input("platform", " iPhone ", at="2026-11-23T10:00:09+00:00"),
        CheckDone("probe", "ios", {"check_id": "echo", "outcome": "ios"}),
    ):
        session.apply(event)
    return session


def test_a_walk_collects_facts_path_and_outcomes(guide: Guide) -> None:
    session = walk_to_fix(guide)
    assert session.current == "fix-cache"
    assert session.facts == {"problem": "likes", "platform": "ios"}
    assert [s.node for s in session.path] == ["welcome", "which", "platform", "probe"]
    assert session.check_outcomes() == {"probe": "ios"}
    assert session.started_at == "2026-11-23T10:00:00+00:00"
    assert session.updated_at == "2026-11-23T10:00:09+00:00"


def test_answer_by_number_and_label_of_option(guide: Guide) -> None:
    session = Session(guide)
    session.apply(Continue("welcome"))
    session.apply(Answer("which", "2"))
    assert session.current == "support" and session.status == REPORT and session.ended


def test_fix_that_helped_solves_and_one_that_did_not_moves_on(guide: Guide) -> None:
    session = walk_to_fix(guide)
    session.apply(Verdict("fix-cache", True))
    assert session.status == SOLVED and session.fix_verdicts() == {"fix-cache": True}
    session.apply(Back())
    assert session.current == "fix-cache" and not session.ended
    session.apply(Verdict("fix-cache", False))
    assert session.current == "support" and session.status == REPORT
    assert session.fix_verdicts() == {"fix-cache": False}


def test_back_steps_over_a_check_node_and_restores_facts(guide: Guide) -> None:
    session = walk_to_fix(guide)
    session.apply(Back())
    assert session.current == "platform"
    assert session.facts == {"problem": "likes"}
    assert session.check_outcomes() == {}


def test_back_to_an_earlier_step(guide: Guide) -> None:
    session = walk_to_fix(guide)
    session.apply(BackTo(1))
    assert session.current == "which" and session.facts == {}
    with pytest.raises(EngineError):
        session.apply(BackTo(5))


def test_steps_left_counts_to_the_nearest_end(guide: Guide) -> None:
    session = Session(guide)
    assert session.steps_left() == 2  # welcome → which → support
    session.apply(Continue("welcome"))
    assert session.steps_left() == 1
    session.apply(Answer("which", "other"))
    assert session.ended and session.steps_left() == 0


def test_steps_left_range_runs_from_the_nearest_to_the_farthest_end(guide: Guide) -> None:
    session = Session(guide)
    # welcome → which → support, or welcome → which → platform → probe → fix-cache → support
    assert session.steps_left_range() == (2, 5)
    session.apply(Continue("welcome"))
    assert session.steps_left_range() == (1, 4)
    session.apply(Answer("which", "likes"))
    assert session.steps_left_range() == (2, 3)  # the check may skip the fix
    session.apply(Back())
    session.apply(Answer("which", "other"))
    assert session.ended and session.steps_left_range() == (0, 0)


def test_at_a_fix_the_fewest_steps_left_are_none_for_yes_ends_the_walk(guide: Guide) -> None:
    session = walk_to_fix(guide)
    assert session.node.kind == "fix"
    assert session.steps_left_range() == (0, 1)  # helped: done; not: → support


def test_back_at_the_start_is_refused(guide: Guide) -> None:
    with pytest.raises(EngineError, match="nothing to go back to"):
        Session(guide).apply(Back())


def test_restart_forgets_facts_but_keeps_the_log(guide: Guide) -> None:
    session = walk_to_fix(guide)
    session.apply(Restart())
    assert session.current == "welcome" and session.facts == {} and session.path == []
    assert len(session.events) == 5


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (Answer("which", "1"), "the walk is at 'welcome'"),
        (Continue("which"), "the walk is at 'welcome'"),
        (Verdict("welcome", True), "is a info node"),
    ],
)
def test_events_that_do_not_fit_are_refused_and_change_nothing(
    guide: Guide, event, message
) -> None:
    session = Session(guide)
    with pytest.raises(EngineError, match=message):
        session.apply(event)
    assert session.events == [] and session.current == "welcome"


def test_invalid_input_and_unknown_option(guide: Guide) -> None:
    session = Session(guide)
    session.apply(Continue("welcome"))
    with pytest.raises(EngineError, match="no option 'maybe'"):
        session.apply(Answer("which", "maybe"))
    session.apply(Answer("which", "likes"))
    with pytest.raises(EngineError, match="choose one of: android, ios, web"):
        session.apply(Input("platform", "blackberry"))
    assert session.current == "platform"


def test_uncovered_check_outcome_goes_to_otherwise(guide: Guide) -> None:
    session = walk_to_fix(guide)
    session.apply(Back())
    session.apply(Input("platform", "web"))
    session.apply(CheckDone("probe", "web"))
    assert session.current == "support"


def test_json_round_trip_and_replay_give_the_same_state(guide: Guide) -> None:
    session = walk_to_fix(guide)
    session.apply(Note("My likes vanish after a day"))
    session.apply(Back())
    session.apply(Input("platform", "android"))
    session.apply(CheckDone("probe", "android"))
    data = json.loads(json.dumps(session.to_dict()))
    again = Session.from_dict(guide, data)
    assert again.current == session.current
    assert again.facts == session.facts
    assert again.path == session.path
    assert again.note == "My likes vanish after a day"
    assert [event_from_dict(e.to_dict()) for e in session.events] == session.events


def test_from_dict_refuses_another_guide_and_bad_records(guide: Guide) -> None:
    with pytest.raises(EngineError, match="for guide 'other'"):
        Session.from_dict(guide, {"guide": "other", "events": []})
    with pytest.raises(EngineError, match="unknown event type"):
        event_from_dict({"type": "teleport"})
    with pytest.raises(EngineError, match="bad answer event"):
        event_from_dict({"type": "answer", "node": "x"})


PATH_GUIDE = """\
id: paths
title: A path step
summary: One path, then done.
start: export
nodes:
  export:
    kind: input
    type: path
    fact: export
    text: Where is your export?
    next: end
  end:
    kind: done
    title: Done
    text: That is all.
"""


def test_a_new_path_answer_must_be_there_but_a_replay_never_looks(tmp_path: Path) -> None:
    source = tmp_path / "paths.yaml"
    source.write_text(PATH_GUIDE, "utf-8")
    guide, errors = load_file(source, None)
    assert errors == [] and guide is not None
    node = guide.nodes["export"]
    assert isinstance(node, InputNode)
    assert accept_input(node, f"  {source}  ") == str(source)
    missing = tmp_path / "gone.zip"
    with pytest.raises(EngineError, match="there is no file or folder at"):
        accept_input(node, str(missing))
    # A saved session whose file was deleted since still replays.
    session = Session(guide)
    session.apply(Input("export", str(missing)))
    assert session.status == SOLVED and session.facts == {"export": str(missing)}


def test_the_last_answer_at_a_step_survives_going_back(guide: Guide) -> None:
    session = Session(guide)
    session.apply(Continue("welcome"))
    assert session.last_answer("which") is None
    session.apply(Answer("which", "2"))  # by number: said back as the option's key
    which = guide.nodes["which"]
    assert isinstance(which, AskNode)
    key = which.options[1].key
    session.apply(Back())
    assert session.current == "which" and session.last_answer("which") == key
