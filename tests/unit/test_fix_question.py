"""A fix's own closing question replaces the generic "Did this help?"."""

from __future__ import annotations

import pytest

from wizard.tui.screens.walk import split_question


def test_a_closing_question_paragraph_is_taken_out() -> None:
    body, question = split_question("1. Restart.\n2. Like a video.\n\nDid your likes stay?\n")
    assert question == "Did your likes stay?"
    assert body == "1. Restart.\n2. Like a video.\n"


@pytest.mark.parametrize(
    "steps",
    [
        "1. Restart.\n2. Does it work now?\n",  # a list item, not a paragraph
        "Restart the phone.\nDoes it work now?\n",  # same paragraph as the steps
        "Restart the phone.\n",  # no question at all
        "Does it work now?\n",  # nothing but the question
    ],
)
def test_anything_else_is_left_alone(steps: str) -> None:
    assert split_question(steps) == (steps, None)
