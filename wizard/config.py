"""Configuration: one TOML file, then environment variables, then ``--set`` flags.

Each setting is declared once, by its owner, as a :class:`checks.api.Setting`: a check
in its ``settings`` (found through the check registry), wizard's own sections here
(``content``) and in the report package (``report``). A section's declarations are
loaded only when that section is configured or read, so a start with nothing configured
imports no check. An unknown section or key, or a value a setting refuses, is an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Not checks.api: reading declarations must not import the check API at start.
from checks.setting import Setting, SettingError

if TYPE_CHECKING:
    from checks.api import Check
    from wizard.registry import CheckRegistry

ENV_CONFIG = "WIZARD_CONFIG"
ENV_DATA_DIR = "WIZARD_DATA_DIR"
ENV_PREFIX = "WIZARD_"
_NOT_SETTINGS = frozenset({ENV_CONFIG, ENV_DATA_DIR, "WIZARD_CACHE_DIR"})


class ConfigError(Exception):
    """A configuration problem, worded for the user."""

    code: int = 2
    """The exit code of the command it ends (a usage error; see ``wizard.cli.main``)."""


class ConfigFileUnreadable(ConfigError):
    """A config file that exists but cannot be read (a folder, no permission)."""

    code = 5


CONTENT_SETTINGS: tuple[Setting, ...] = (
    Setting("paths", [], "Extra folders of guide files, searched after the built-in ones."),
)


def _report_settings() -> tuple[Setting, ...]:
    from wizard.report.settings import SETTINGS  # the report package: only when asked

    return SETTINGS


OWN_SECTIONS: dict[str, Callable[[], tuple[Setting, ...]]] = {
    "content": lambda: CONTENT_SETTINGS,
    "report": _report_settings,
}
"""Sections that are wizard's own; every other section is an installed check's."""


def _env_prefix(section: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}_"


def env_name(section: str, setting: Setting) -> str:
    """The environment variable that sets it: ``WIZARD_SPEED_DURATION_S``."""
    return _env_prefix(section) + setting.name.upper()


def _nearest(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest known name, or "" when none is close."""
    from difflib import get_close_matches

    close = get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class Declarations:
    """The sections that may be configured and the settings each declares, loaded as needed.

    A check's section is known from the registry's entry points without importing the
    check; its class is imported the first time a value of the section is given or read.
    """

    def __init__(self, checks: CheckRegistry | None = None) -> None:
        self._checks = checks
        self._loaded: dict[str, tuple[Setting, ...] | None] = {}

    def registry(self) -> CheckRegistry:
        """The installed checks (by default, the ``wizard.checks`` entry points)."""
        if self._checks is None:
            from wizard.registry import CheckRegistry

            self._checks = CheckRegistry.from_environment()
        return self._checks

    def sections(self) -> list[str]:
        """Every section: wizard's own, then each installed check's."""
        return [*OWN_SECTIONS, *(n for n in self.registry().names() if n not in OWN_SECTIONS)]

    def settings_of(self, section: str, origin: str) -> tuple[Setting, ...] | None:
        """What ``section`` declares; None for a check that does not load.

        A check that does not load cannot say what it takes, so its values pass as
        written (its failure is reported where it would run). ``origin`` says where the
        section was named, for the error about an unknown one.
        """
        if section in self._loaded:
            return self._loaded[section]
        declared: tuple[Setting, ...] | None
        own = OWN_SECTIONS.get(section)
        if own is not None:
            declared = own()
        elif section in self.registry().names():
            check = self.registry().get(section)
            declared = None if check is None else check.all_settings()
        else:
            known = sorted(self.sections())
            raise ConfigError(
                f"{origin}: unknown section {section!r}{_nearest(section, known)} "
                f"(sections: {', '.join(known)})"
            )
        self._loaded[section] = declared
        return declared

    def setting(self, key: str, origin: str) -> Setting | None:
        """The declaration of ``section.name``; None in a section that cannot say."""
        section, _, name = key.partition(".")
        declared = self.settings_of(section, origin)
        if declared is None:
            return None
        for setting in declared:
            if setting.name == name:
                return setting
        keys = [f"{section}.{s.name}" for s in declared]
        raise ConfigError(
            f"{origin}: unknown setting {key!r}{_nearest(key, keys)} "
            f"({section} has {', '.join(keys)})"
        )

    def convert(self, key: str, value: Any, origin: str) -> Any:
        """``value`` for ``key`` as its setting allows; a ConfigError otherwise."""
        setting = self.setting(key, origin)
        if setting is None:
            return value
        try:
            return setting.convert(value)
        except SettingError as exc:
            raise ConfigError(f"{origin}: {key} {exc}") from None

    def from_environment(self, env: Mapping[str, str]) -> dict[str, Any]:
        """The values set by ``WIZARD_<SECTION>_<KEY>`` variables, for every section.

        Only sections some variable starts with are loaded; the check ids are listed
        only when a variable names no section of wizard's own.
        """
        names = [n for n in env if n.startswith(ENV_PREFIX) and n not in _NOT_SETTINGS]
        if not names:
            return {}
        sections = list(OWN_SECTIONS)
        own_prefixes = tuple(_env_prefix(s) for s in OWN_SECTIONS)
        if any(not n.startswith(own_prefixes) for n in names):
            sections.extend(n for n in self.registry().names() if n not in OWN_SECTIONS)
        values: dict[str, Any] = {}
        for section in sections:
            if not any(n.startswith(_env_prefix(section)) for n in names):
                continue
            for setting in self.settings_of(section, "the environment") or ():
                name = env_name(section, setting)
                if name in env:
                    key = f"{section}.{setting.name}"
                    values[key] = self.convert(key, env[name], f"${name}")
        return values


def settings_table(declarations: Declarations | None = None) -> str:
    """The settings as a Markdown table, for the README (``python -m wizard.config``).

    Every declared setting: wizard's own sections, then each installed check's.
    """
    import json

    found = declarations or Declarations()
    rows = ["| key | default | allowed | meaning |", "|---|---|---|---|"]
    for section in found.sections():
        for s in found.settings_of(section, "the settings table") or ():
            if isinstance(s.default, list):
                default = "<br>".join(s.default) if s.default else "(none)"
            elif isinstance(s.default, str):
                default = s.default or "(empty)"
            else:
                default = json.dumps(s.default)
            rows.append(f"| `{section}.{s.name}` | {default} | {s.allowed() or 'any'} | {s.help} |")
    return "\n".join(rows) + "\n"


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration, and where files live."""

    values: Mapping[str, Any] = field(default_factory=dict)
    config_file: Path | None = None
    data_dir: Path = field(default_factory=lambda: Path("."))
    declarations: Declarations = field(default_factory=Declarations, repr=False, compare=False)

    def get(self, key: str) -> Any:
        """A value by its full key, the declared default when unset."""
        if key in self.values:
            return self.values[key]
        try:
            setting = self.declarations.setting(key, "")
        except ConfigError:
            raise KeyError(key) from None
        if setting is None:
            raise KeyError(key)
        return setting.default

    def section(self, name: str) -> dict[str, Any]:
        """All values of a section, declared defaults included, keyed without the prefix."""
        try:
            declared = self.declarations.settings_of(name, "") or ()
        except ConfigError:
            declared = ()
        return {s.name: s.default for s in declared} | self._given(name)

    def for_check(self, check: type[Check]) -> dict[str, Any]:
        """The settings ``check`` runs with: what it declares, then what is configured."""
        return check.setting_defaults() | self._given(check.id)

    def _given(self, section: str) -> dict[str, Any]:
        prefix = section + "."
        return {k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)}


def default_config_file() -> Path:
    """The platform's config file location."""
    from platformdirs import user_config_path

    return user_config_path("wizard", appauthor=False) / "config.toml"


def default_data_dir() -> Path:
    """The platform's user data folder."""
    from platformdirs import user_data_path

    return user_data_path("wizard", appauthor=False)


def choose_data_dir(data_dir: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The data folder: ``--data-dir``, else ``$WIZARD_DATA_DIR``, else the platform's."""
    chosen = data_dir or environ.get(ENV_DATA_DIR)
    return Path(chosen).expanduser() if chosen else default_data_dir()


def load_config(
    config_file: str | Path | None = None,
    sets: Iterable[str] = (),
    data_dir: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    checks: CheckRegistry | None = None,
) -> Config:
    """Build the configuration: file, then environment, then ``--set KEY=VALUE`` flags.

    ``checks`` are the installed checks whose sections may be configured (by default the
    ``wizard.checks`` entry points, read only when a check's section is given).
    """
    env = os.environ if environ is None else environ
    declarations = Declarations(checks)
    explicit = config_file or env.get(ENV_CONFIG)
    path = Path(explicit).expanduser() if explicit else default_config_file()
    values: dict[str, Any] = {}
    if path.is_file() or explicit:
        values.update(_read_file(path, declarations))
    values.update(declarations.from_environment(env))
    for item in sets:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or "." not in key:
            raise ConfigError(
                f"--set {item!r}: expected SECTION.KEY=VALUE, for example speed.duration_s=3"
            )
        values[key] = declarations.convert(key, raw, f"--set {key}")
    return Config(
        values=values,
        config_file=path if path.is_file() else None,
        data_dir=choose_data_dir(data_dir, env),
        declarations=declarations,
    )


def _read_file(path: Path, declarations: Declarations) -> dict[str, Any]:
    import tomllib  # only when there is a file to read: most starts have none

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigFileUnreadable(
            f"cannot read config file {path}: {exc.strerror or exc}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start} cannot be read)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: top-level key {section!r} must be a [section] table")
        for key, value in table.items():
            full = f"{section}.{key}"
            values[full] = declarations.convert(full, value, str(path))
    return values


if __name__ == "__main__":
    print(settings_table(), end="")
