"""Settings through the real ``wizard`` command: bad values are usage errors in words."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("speed.duration_s=0", "speed.duration_s must be 0.5 to 60, not '0'"),
        ("connectivity.timeout_s=-5", "connectivity.timeout_s must be more than 0"),
        ("connectivity.timeout_s=nan", "connectivity.timeout_s must be a number, not 'nan'"),
        ("speed.streams=0", "speed.streams must be 1 to 32"),
        ("speed.backend=foo", "speed.backend must be auto, http, ookla, not 'foo'"),
        (
            "report.redact=ip,nosuch",
            "report.redact has 'nosuch', which is not one of ip, mac, hostname, username",
        ),
    ],
)
def test_a_value_a_setting_does_not_allow_is_a_usage_error(
    wizard_cli, setting: str, words: str
) -> None:
    result = wizard_cli("guides", "--set", setting)
    assert result.code == 2, result.err
    assert words in result.err and "Traceback" not in result.err


def test_environment_variables_are_checked_the_same_way(wizard_cli) -> None:
    result = wizard_cli("guides", env={"WIZARD_SPEED_DURATION_S": "0"})
    assert result.code == 2
    assert "$WIZARD_SPEED_DURATION_S: speed.duration_s must be 0.5 to 60" in result.err


def test_an_unknown_section_is_refused_and_a_plugins_section_is_not(wizard_cli) -> None:
    result = wizard_cli("guides", "--set", "spede.duration_s=3")
    assert result.code == 2
    assert "--set spede.duration_s: unknown section 'spede'; did you mean 'speed'?" in result.err
    assert wizard_cli("guides", "--set", "foo.bar=1").code == 2
    assert wizard_cli("guides", "--set", "echo.repeats=2").code == 0
    unknown = wizard_cli("guides", "--set", "echo.colour=blue")
    assert unknown.code == 2, unknown.err
    assert "unknown setting 'echo.colour' (echo has echo.repeats, echo.deadline_s)" in unknown.err


def _repeats(wizard_cli, *args: str, env: dict[str, str] | None = None) -> int:
    result = wizard_cli(*args, "check", "echo", "--json", env=env)
    assert result.code == 0, result.err
    return int(json.loads(result.out)["details"]["repeats"])


def test_a_third_party_checks_setting_is_reached_by_file_environment_and_flag(
    wizard_cli, tmp_path
) -> None:
    # The echo check of the test plugin package declares repeats (1 to 5, default 1).
    assert _repeats(wizard_cli) == 1
    path = tmp_path / "config.toml"
    path.write_text("[echo]\nrepeats = 2\n", "utf-8")
    assert _repeats(wizard_cli, "--config", str(path)) == 2
    env = {"WIZARD_CONFIG": str(path), "WIZARD_ECHO_REPEATS": "3"}
    assert _repeats(wizard_cli, env=env) == 3
    assert _repeats(wizard_cli, "--set", "echo.repeats=4", env=env) == 4


@pytest.mark.parametrize(
    ("where", "words"),
    [
        (["--set", "echo.repeats=9"], "--set echo.repeats: echo.repeats must be 1 to 5, not '9'"),
        ("env", "$WIZARD_ECHO_REPEATS: echo.repeats must be 1 to 5, not '0'"),
        ("file", "echo.repeats must be 1 to 5, not 6"),
    ],
)
def test_a_third_party_checks_setting_out_of_range_is_a_usage_error(
    wizard_cli, tmp_path, where, words
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[echo]\nrepeats = 6\n", "utf-8")
    if where == "env":
        result = wizard_cli("check", "echo", env={"WIZARD_ECHO_REPEATS": "0"})
    elif where == "file":
        result = wizard_cli("--config", str(path), "check", "echo")
    else:
        result = wizard_cli(*where, "check", "echo")
    assert result.code == 2, (result.code, result.err)
    assert words in result.err and "Traceback" not in result.err


def test_a_checks_deadline_setting_is_its_deadline(wizard_cli) -> None:
    # slow sleeps 60 s; its own deadline is 0.5 s, and deadline_s overrides it.
    result = wizard_cli("check", "slow", "--set", "slow.deadline_s=0.2", "--json")
    assert result.code == 4, result.err
    assert "did not finish within 0.2 s" in json.loads(result.out)["summary"]


def test_an_unknown_section_in_the_file_is_refused(wizard_cli, tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[nosuch]\nx = 1\n", "utf-8")
    result = wizard_cli("--config", str(path), "guides")
    assert result.code == 2 and f"{path}: unknown section 'nosuch'" in result.err


def test_a_config_file_that_is_not_utf8_is_exit_2_naming_it(wizard_cli, tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[speed]\nbackend = "caf\xe9"\n')
    result = wizard_cli("--config", str(path), "guides")
    assert result.code == 2, result.err
    assert f"config file {path} is not UTF-8 text" in result.err
    assert "Traceback" not in result.err


def test_a_config_path_that_is_a_folder_is_exit_5(wizard_cli, tmp_path) -> None:
    result = wizard_cli("guides", env={"WIZARD_CONFIG": str(tmp_path)})
    assert result.code == 5, result.err
    assert f"cannot read config file {tmp_path}" in result.err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["speed", "--param", "backend=foo"], "parameter backend cannot be 'foo'; use auto"),
        (
            ["data_export", "--param", "export=x.zip", "--param", "mode=banana"],
            "parameter mode cannot be 'banana'; use summary, likes, videos, follows",
        ),
        (
            ["app_version", "--param", "platform=windows", "--param", "version=37.5.4"],
            "parameter platform cannot be 'windows'; use android, ios, web",
        ),
        (
            ["privacy_liked_videos", "--param", "setting=maybe"],
            "parameter setting cannot be 'maybe'; use Everyone, Only me, I cannot find it",
        ),
    ],
)
def test_a_value_a_check_does_not_allow_is_a_usage_error(wizard_cli, args, words) -> None:
    result = wizard_cli("check", *args)
    assert result.code == 2, (result.code, result.err)
    assert words in result.err and "Traceback" not in result.err


def test_a_guide_walk_checks_parameters_the_same_way(wizard_cli, tmp_path) -> None:
    guide = tmp_path / "bad-setting.yaml"
    guide.write_text(
        "id: bad-setting\ntitle: Bad setting\nsummary: Passes a value the check refuses.\n"
        "start: start\nnodes:\n  start:\n    kind: check\n    check: privacy_liked_videos\n"
        "    params: {setting: maybe}\n    otherwise: end\n  end: {kind: done}\n",
        "utf-8",
    )
    result = wizard_cli("run", "bad-setting", "--content", str(guide), "--no-save")
    assert result.code == 3, (result.code, result.out, result.err)
    assert "parameter setting cannot be 'maybe'" in result.out + result.err
