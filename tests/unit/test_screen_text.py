"""Small pieces of the walk and report screens that decide what the user sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.tui.screens.walk import split_question, steps_more


def test_the_closing_question_of_a_paragraph_is_taken_out() -> None:
    body, question = split_question(
        "1. Choose Only me.\n\nOthers no longer see it.\nDid that\nwork?\n"
    )
    assert question == "Did that work?"
    assert body == "1. Choose Only me.\n\nOthers no longer see it.\n"


def test_a_closing_question_paragraph_is_taken_out() -> None:
    body, question = split_question("1. Restart.\n2. Like a video.\n\nDid your likes stay?\n")
    assert question == "Did your likes stay?"
    assert body == "1. Restart.\n2. Like a video.\n"


@pytest.mark.parametrize(
    "steps",
    [
        "1. Restart.\n2. Does it work now?\n",  # a list item, not a paragraph
        "Restart the phone.\n",  # no question at all
        "Does it work now?\n",  # nothing but the question
    ],
)
def test_anything_else_is_left_alone(steps: str) -> None:
    assert split_question(steps) == (steps, None)


@pytest.mark.parametrize(
    ("typed", "selected", "expected"),
    [
        ("/tmp/r.txt", "md", ("txt", "/tmp/r.txt")),
        ("/tmp/r.JSON", "md", ("json", "/tmp/r.JSON")),
        ("/tmp/r", "eml", ("eml", "/tmp/r.eml")),
        ("/tmp/r.v2.notes", "md", ("md", "/tmp/r.v2.notes")),
        ("/tmp/r.md", "txt", ("md", "/tmp/r.md")),
    ],
)
def test_the_typed_file_name_decides_the_export_format(
    typed: str, selected: str, expected: tuple[str, str]
) -> None:
    from wizard.report.write import export_target

    fmt, path = export_target(typed, selected)
    assert (fmt, str(path)) == expected


def test_a_folder_typed_for_the_export_gets_the_report_inside_it(tmp_path: Path) -> None:
    from wizard.report.write import export_target

    assert export_target(str(tmp_path), "md", "wizard-report") == (
        "md",
        tmp_path / "wizard-report.md",
    )
    assert export_target(f"{tmp_path}/new/", "form", "r") == ("form", tmp_path / "new" / "r.txt")


@pytest.mark.parametrize(
    ("fewest", "most", "words"),
    [(2, 5, ", 2 to 5 more"), (1, 1, ", 1 more"), (0, 3, ", up to 3 more"), (0, 0, "")],
)
def test_steps_left_in_words(fewest: int, most: int, words: str) -> None:
    """At a fix the walk may end at once, so the title gives only the most still to come."""
    assert steps_more(fewest, most) == words
