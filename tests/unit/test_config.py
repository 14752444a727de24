"""Configuration: file, then environment, then --set; clear errors for bad values."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from checks.api import Check, CheckContext, CheckResult, Setting
from wizard.cli.exitcodes import EXIT_IO, EXIT_USAGE
from wizard.config import (
    ConfigError,
    ConfigFileUnreadable,
    Declarations,
    load_config,
    settings_table,
)
from wizard.registry import CheckRegistry
from wizard.runner import build_context, deadline_for


class MyPluginCheck(Check):
    """A third party's check, declaring one setting and naming no deadline of its own."""

    id = "myplugin"
    title = "My plugin"
    outcomes = ("ok",)
    settings = (Setting("colour", "red", "Its colour.", choices=("red", "blue")),)

    async def run(self, context: CheckContext) -> CheckResult:
        raise NotImplementedError


def with_myplugin() -> CheckRegistry:
    """The installed checks and :class:`MyPluginCheck`."""
    registry = CheckRegistry.from_environment()
    registry.add(MyPluginCheck)
    return registry


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(environ={"WIZARD_CONFIG": ""}, data_dir=tmp_path)
    assert config.get("speed.duration_s") == 4.0
    assert config.section("connectivity")["timeout_s"] == 5.0
    assert config.data_dir == tmp_path


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[speed]\nduration_s = 2\nstreams = 3\n[connectivity]\nservice_urls = ["http://127.0.0.1:1/"]\n'
    )
    env = {"WIZARD_SPEED_STREAMS": "5"}
    config = load_config(path, sets=["speed.streams=7", "connectivity.slow_ms=99"], environ=env)
    assert config.get("speed.duration_s") == 2.0
    assert config.get("speed.streams") == 7
    assert config.get("connectivity.service_urls") == ["http://127.0.0.1:1/"]
    assert config.get("connectivity.slow_ms") == 99.0
    assert load_config(path, environ=env).get("speed.streams") == 5


def test_lists_from_the_command_line_are_comma_separated(tmp_path: Path) -> None:
    config = load_config(sets=["connectivity.baseline_urls=http://a/, http://b/"], environ={})
    assert config.get("connectivity.baseline_urls") == ["http://a/", "http://b/"]


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (["speed.duration_s=fast"], "speed.duration_s must be a number, not 'fast'"),
        (["speed.durration_s=3"], "unknown setting 'speed.durration_s'"),
        (["nodot=3"], "expected SECTION.KEY=VALUE"),
        (["speed.streams=2.5"], "speed.streams must be a whole number"),
    ],
)
def test_bad_flags_are_explained(sets: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(sets=sets, environ={})


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (["speed.duration_s=0"], "speed.duration_s must be 0.5 to 60, not '0'"),
        (["connectivity.timeout_s=0"], "connectivity.timeout_s must be more than 0, not '0'"),
        (["connectivity.timeout_s=-5"], "connectivity.timeout_s must be more than 0"),
        (["connectivity.timeout_s=nan"], "connectivity.timeout_s must be a number, not 'nan'"),
        (["speed.deadline_s=inf"], "speed.deadline_s must be a number, not 'inf'"),
        (["speed.streams=0"], "speed.streams must be 1 to 32, not '0'"),
        (["device.low_disk_gb=-1"], "device.low_disk_gb must be at least 0"),
        (["speed.backend=foo"], "speed.backend must be auto, http, ookla, not 'foo'"),
        (
            ["report.redact=ip,nosuch"],
            "report.redact has 'nosuch', which is not one of ip, mac, hostname",
        ),
    ],
)
def test_values_outside_what_a_setting_allows_are_refused(sets: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(sets=sets, environ={})


def test_the_environment_and_the_file_go_through_the_same_checks(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\$WIZARD_SPEED_DURATION_S: speed.duration_s must be"):
        load_config(environ={"WIZARD_SPEED_DURATION_S": "0"})
    path = tmp_path / "c.toml"
    path.write_text("[connectivity]\ntimeout_s = nan\n")
    with pytest.raises(ConfigError, match=r"connectivity\.timeout_s must be a number, not nan"):
        load_config(path, environ={})
    path.write_text('[report]\nredact = ["ip", "mac", "nosuch"]\n')
    with pytest.raises(ConfigError, match=r"report\.redact has 'nosuch'"):
        load_config(path, environ={})


def test_values_inside_the_ranges_are_kept() -> None:
    config = load_config(
        sets=[
            "speed.duration_s=0.5",
            "speed.streams=32",
            "report.redact=ip,mac",
            "speed.backend=http",
        ],
        environ={},
    )
    assert config.get("speed.duration_s") == 0.5 and config.get("speed.streams") == 32
    assert config.get("report.redact") == ["ip", "mac"] and config.get("speed.backend") == "http"


def test_a_third_party_checks_settings_are_its_declarations() -> None:
    config = load_config(sets=["myplugin.colour=blue"], environ={}, checks=with_myplugin())
    assert config.section("myplugin") == {"colour": "blue", "deadline_s": 10.0}
    assert load_config(environ={}, checks=with_myplugin()).get("myplugin.colour") == "red"
    env = {"WIZARD_MYPLUGIN_COLOUR": "blue"}
    assert load_config(environ=env, checks=with_myplugin()).get("myplugin.colour") == "blue"
    with pytest.raises(ConfigError, match=r"myplugin\.colour must be red, blue, not 'green'"):
        load_config(sets=["myplugin.colour=green"], environ={}, checks=with_myplugin())
    with pytest.raises(ConfigError, match=r"unknown setting 'myplugin\.color'; did you mean"):
        load_config(sets=["myplugin.color=blue"], environ={}, checks=with_myplugin())
    with pytest.raises(ConfigError, match=r"myplugin\.deadline_s must be more than 0"):
        load_config(sets=["myplugin.deadline_s=0"], environ={}, checks=with_myplugin())


def test_a_checks_context_carries_its_declared_defaults(tmp_path: Path) -> None:
    config = load_config(environ={}, data_dir=tmp_path, checks=with_myplugin())
    assert build_context(MyPluginCheck, config).config == {"colour": "red", "deadline_s": 10.0}


def test_a_deadline_is_the_checks_own_unless_its_deadline_setting_says_otherwise() -> None:
    class Quick(MyPluginCheck):
        timeout_s = 2.5

    assert deadline_for(Quick, load_config(environ={}, checks=with_myplugin())) == 2.5
    assert deadline_for(MyPluginCheck, load_config(environ={}, checks=with_myplugin())) == 10.0
    config = load_config(sets=["myplugin.deadline_s=4"], environ={}, checks=with_myplugin())
    assert deadline_for(MyPluginCheck, config) == 4.0
    with pytest.raises(ConfigError, match="unknown section 'checks'"):
        load_config(sets=["checks.deadline_s=5"], environ={})


def test_a_check_that_does_not_load_gets_its_values_as_written() -> None:
    # The test plugins register "broken", whose module fails to import.
    config = load_config(sets=["broken.anything=1"], environ={})
    assert config.section("broken") == {"anything": "1"}


def test_no_check_is_imported_while_nothing_of_a_checks_section_is_given(tmp_path: Path) -> None:
    registry = CheckRegistry.from_environment()
    path = tmp_path / "c.toml"
    path.write_text('[content]\npaths = ["/x"]\n[report]\nextra_words = ["a"]\n')
    env = {"WIZARD_CONFIG": str(path), "WIZARD_REPORT_EXTRA_WORDS": "b", "WIZARD_CACHE_DIR": "/c"}
    load_config(sets=["content.paths=/y"], environ=env, checks=registry)
    assert registry.loaded == {}
    load_config(environ={"WIZARD_SPEED_STREAMS": "3"}, checks=registry)
    assert list(registry.loaded) == ["speed"]


def test_unknown_sections_and_keys_are_refused_with_the_nearest_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown section 'foo'") as caught:
        load_config(sets=["foo.bar=1"], environ={}, checks=with_myplugin())
    assert "myplugin" in str(caught.value) and "speed" in str(caught.value)
    with pytest.raises(ConfigError, match="unknown section 'spede'; did you mean 'speed'"):
        load_config(sets=["spede.duration_s=3"], environ={})
    with pytest.raises(ConfigError, match=r"did you mean 'speed\.duration_s'"):
        load_config(sets=["speed.durration_s=3"], environ={})
    path = tmp_path / "c.toml"
    path.write_text("[nosuch]\nx = 1\n[myplugn]\ny = 2\n")
    with pytest.raises(ConfigError, match=f"{re.escape(str(path))}: unknown section 'nosuch'"):
        load_config(path, environ={}, checks=with_myplugin())
    path.write_text("[myplugn]\ny = 2\n")
    with pytest.raises(ConfigError, match="unknown section 'myplugn'; did you mean 'myplugin'"):
        load_config(path, environ={}, checks=with_myplugin())


def test_installed_checks_are_the_entry_points_by_default() -> None:
    # The test plugins (tests/plugins) register "echo" under wizard.checks.
    assert load_config(sets=["echo.repeats=2"], environ={}).section("echo")["repeats"] == 2
    with pytest.raises(ConfigError, match="unknown section 'ecko'; did you mean 'echo'"):
        load_config(sets=["ecko.repeats=2"], environ={})


def test_broken_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[speed\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "none.toml", environ={})


def test_a_file_that_is_not_utf8_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[report]\nextra_words = ["Café"]\n'.encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert f"config file {path} is not UTF-8 text" in str(caught.value)
    assert caught.value.code == EXIT_USAGE


def test_a_file_that_cannot_be_read_ends_in_the_file_exit_code(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileUnreadable, match="cannot read config file") as caught:
        load_config(tmp_path, environ={})
    assert caught.value.code == EXIT_IO


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_ends_in_the_file_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("")
    path.chmod(0)
    with pytest.raises(ConfigFileUnreadable, match="Permission denied"):
        load_config(path, environ={})


def shipped_checks() -> CheckRegistry:
    """The checks this project ships (the test plugins are on the path too)."""
    package = Check.__module__.rpartition(".")[0]
    registry = CheckRegistry.from_environment()
    for name, ep in list(registry.entry_points.items()):
        if not ep.value.startswith(package + "."):
            del registry.entry_points[name]
    return registry


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    declared = Declarations(shipped_checks())
    keys = [
        f"{section}.{s.name}"
        for section in declared.sections()
        for s in declared.settings_of(section, "") or ()
    ]
    assert {"speed.duration_s", "device.deadline_s", "report.redact"} <= set(keys)
    assert [k for k in keys if f"`{k}`" not in readme] == []
    table = settings_table(declared)
    assert table in readme, "README's settings table is stale: python -m wizard.config"
