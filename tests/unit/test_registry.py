"""Plugins come from entry points; a broken one is reported and the rest still load."""

from __future__ import annotations

from pathlib import Path

from wizard.registry import CHECKS_GROUP, CheckRegistry, discover


def test_entry_points_from_the_test_plugin_distribution() -> None:
    names = {ep.name for ep in discover() if ep.group == CHECKS_GROUP}
    assert {"echo", "slow", "boom", "broken", "notacheck"} <= names


def test_broken_plugins_are_reported_and_the_rest_load() -> None:
    registry = CheckRegistry.from_environment()
    loaded = registry.load_all()
    assert "echo" in loaded and "slow" in loaded
    assert "broken" not in loaded and "notacheck" not in loaded
    assert "No module named 'a_module_that_does_not_exist'" in registry.failures["broken"].reason
    assert registry.failures["notacheck"].reason == "the entry point does not name a Check subclass"


def test_a_plugin_installed_while_running_is_found(monkeypatch, tmp_path: Path) -> None:
    assert "late" not in {ep.name for ep in discover()}
    extra = tmp_path / "site"
    dist = extra / "late_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: late-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[wizard.checks]\nlate = late_plugin:LateCheck\n")
    monkeypatch.syspath_prepend(str(extra))
    assert "late" in {ep.name for ep in discover()}
