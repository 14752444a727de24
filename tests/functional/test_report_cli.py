"""``wizard report`` on a walk with a real data export, read as the support agent would."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest

from tests.exportgen import make_account, write_export

FORMATS = ("form", "txt", "md", "json", "eml")


def _readable(fmt: str, out: str) -> str:
    if fmt != "eml":
        return out
    message = email.message_from_bytes(out.encode("utf-8"), policy=policy.default)
    parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
    return "\n".join(p.decode() if isinstance(p, bytes) else p for p in parts)


@pytest.fixture
def follows_walk(wizard_cli, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A web user's walk to the follows comparison of their export, saved under a home
    and a file name that carry their login name."""
    home = tmp_path / "jane"
    export = write_export(
        make_account(followers=30, following=40, seed=3),
        home / "Downloads" / "TikTok_Data_jane.zip",
    )
    env = {"HOME": str(home), "USER": "jane", "LOGNAME": "jane"}
    answers = ("platform=web", "goal=follow-back", "follow-back=export", f"export-path={export}")
    walked = wizard_cli(
        "run",
        "unfollow",
        *(a for answer in answers for a in ("--answer", answer)),
        "--json",
        env=env,
    )
    assert walked.code == 3, walked.err  # stopped at the fix it has no answer for
    return json.loads(walked.out)["session"], env


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_real_report_hides_the_login_name_and_keeps_findings_apart(
    wizard_cli, follows_walk: tuple[str, dict[str, str]], fmt: str
) -> None:
    session, env = follows_walk
    result = wizard_cli("report", session, "--format", fmt, env=env)
    assert result.code == 0, result.err
    text = _readable(fmt, result.out)
    assert "jane" not in text.lower(), fmt
    assert "[HOME]/Downloads/TikTok_Data_[USER-1].zip" in text, fmt
    assert "the phone" not in text, fmt
    if fmt == "json":
        report = json.loads(text)
        assert report["ruled_out"] == []
        assert report["found"][0].startswith("Comparing followers and following: ")
        assert report["user_says"][1] == {
            "question": "What would you like to do?",
            "answer": "Find who does not follow me back",
        }
    else:
        assert "Ruled out: nothing yet" in text.replace("**", ""), fmt
        assert "Found: Comparing followers and following: " in text.replace("**", ""), fmt
        assert "What would you like to do? → Find who does not follow me back" in text, fmt
