"""Configuration: one TOML file, then environment variables, then ``--set`` flags.

Every endpoint, timeout and threshold a built-in check uses is a :class:`Setting` in
:data:`SETTINGS`, with its default, the values it allows and a sentence for the README.
The section of an installed check that no built-in setting knows (a third-party check's)
is passed through as it is; any other unknown section or key is refused.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_CONFIG = "WIZARD_CONFIG"
ENV_DATA_DIR = "WIZARD_DATA_DIR"
ENV_PREFIX = "WIZARD_"


class ConfigError(Exception):
    """A configuration problem, worded for the user."""

    code: int = 2
    """The exit code of the command it ends (a usage error; see ``wizard.cli.main``)."""


class ConfigFileUnreadable(ConfigError):
    """A config file that exists but cannot be read (a folder, no permission)."""

    code = 5


# The owners of these choices are imported only when the setting is given or documented.
def _redaction_kinds() -> tuple[str, ...]:
    from wizard.report.redact import KINDS

    return KINDS


def _speed_backends() -> tuple[str, ...]:
    from checks.speed.check import BACKENDS

    return BACKENDS


@dataclass(frozen=True, slots=True)
class Setting:
    """A documented configuration key, with the values it allows.

    A number may have a ``minimum`` (excluded when ``above`` is true) and a ``maximum``;
    NaN and infinity are refused for every number. Text, and each item of a list, may be
    limited to ``choices`` (a tuple, or a function giving one, when the owner of the
    choices is costly to import).
    """

    key: str
    default: Any
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()

    def allowed_choices(self) -> tuple[str, ...]:
        """The values text (or each list item) may take; empty for any."""
        return self.choices() if callable(self.choices) else self.choices

    def allowed(self) -> str:
        """The allowed values in words, for errors and the README ("" for any)."""
        choices = self.allowed_choices()
        if choices:
            return ("any of " if self.kind is list else "") + ", ".join(choices)
        low = _number(self.minimum) if self.minimum is not None else None
        high = _number(self.maximum) if self.maximum is not None else None
        if low is not None and high is not None and not self.above:
            return f"{low} to {high}"
        words = []
        if low is not None:
            words.append(f"more than {low}" if self.above else f"at least {low}")
        if high is not None:
            words.append(f"at most {high}")
        return ", ".join(words)

    @property
    def kind(self) -> type:
        """The type values are converted to (taken from the default)."""
        return type(self.default)

    @property
    def env_name(self) -> str:
        """The environment variable that sets it: ``WIZARD_SPEED_DURATION_S``."""
        return ENV_PREFIX + self.key.upper().replace(".", "_")

    def convert(self, value: Any, origin: str) -> Any:
        """``value`` as this setting's type, checked against what it allows.

        ``origin`` says where the value came from, for errors.
        """
        converted = self._typed(value, origin)
        choices = self.allowed_choices()
        if choices and isinstance(converted, list):
            stray = [v for v in converted if v not in choices]
            if stray:
                raise ConfigError(
                    f"{origin}: {self.key} has {stray[0]!r}, which is not one of "
                    f"{', '.join(choices)}"
                )
        if not self._fits(converted):
            raise ConfigError(f"{origin}: {self.key} must be {self.allowed()}, not {value!r}")
        return converted

    def _fits(self, value: Any) -> bool:
        choices = self.allowed_choices()
        if choices:
            return all(v in choices for v in (value if isinstance(value, list) else [value]))
        if isinstance(value, int | float):
            if self.minimum is not None and (
                value <= self.minimum if self.above else value < self.minimum
            ):
                return False
            if self.maximum is not None and value > self.maximum:
                return False
        return True

    def _typed(self, value: Any, origin: str) -> Any:
        kind = self.kind
        try:
            if kind is list:
                if isinstance(value, str):
                    return [v.strip() for v in value.split(",") if v.strip()]
                if isinstance(value, list):
                    return [str(v) for v in value]
                raise TypeError
            if kind is bool:
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    return True
                if text in ("0", "false", "no", "off"):
                    return False
                raise ValueError
            if kind is float:
                if isinstance(value, bool):
                    raise TypeError
                number = float(value)
                if not math.isfinite(number):
                    raise ValueError
                return number
            if kind is int:
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise TypeError
                return int(value)
            if isinstance(value, dict | list):
                raise TypeError
            return str(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{origin}: {self.key} must be {_kind_words(kind)}, not {value!r}"
            ) from None


def _kind_words(kind: type) -> str:
    return {
        list: "a list of text (in TOML a list; on the command line comma-separated)",
        bool: "true or false",
        float: "a number",
        int: "a whole number",
    }.get(kind, "text")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _seconds(key: str, default: float, doc: str) -> Setting:
    """A duration in seconds: more than zero."""
    return Setting(key, default, doc, minimum=0, above=True)


SETTINGS: tuple[Setting, ...] = (
    Setting("content.paths", [], "Extra folders of guide files, searched after the built-in ones."),
    _seconds(
        "checks.deadline_s", 30.0, "Deadline of a check that sets none of its own, in seconds."
    ),
    # connectivity
    Setting(
        "connectivity.service_urls",
        [
            "https://www.tiktok.com/",
            "https://m.tiktok.com/",
            "https://api16-normal-c-useast1a.tiktokv.com/",
        ],
        "The service's own endpoints: the web site, the mobile site and an API host of the app.",
    ),
    Setting(
        "connectivity.baseline_urls",
        [
            "https://www.google.com/generate_204",
            "https://www.cloudflare.com/cdn-cgi/trace",
            "https://www.wikipedia.org/",
        ],
        "Well-known sites that tell 'my internet' from 'their service'.",
    ),
    Setting(
        "connectivity.portal_url",
        "http://connectivitycheck.gstatic.com/generate_204",
        "A plain-HTTP URL that answers 204 with no body; anything else means a captive portal.",
    ),
    Setting(
        "connectivity.portal_body",
        "",
        "If set, the portal probe may also answer 200 with exactly this body.",
    ),
    _seconds("connectivity.timeout_s", 5.0, "Bound on the whole connectivity check, in seconds."),
    Setting(
        "connectivity.slow_ms",
        1500.0,
        "An endpoint slower than this (total time) counts as slow.",
        minimum=0,
        above=True,
    ),
    # device
    Setting(
        "device.low_disk_gb",
        1.0,
        "Free disk below this many GB gives the outcome low_disk.",
        minimum=0,
    ),
    Setting(
        "device.low_memory_mb",
        300.0,
        "Available memory below this many MB gives low_memory.",
        minimum=0,
    ),
    _seconds("device.deadline_s", 5.0, "Deadline of the device check, in seconds."),
    # speed
    Setting(
        "speed.backend",
        "auto",
        "auto, http (our multi-stream measurement) or ookla (speedtest-cli).",
        choices=_speed_backends,
    ),
    Setting(
        "speed.download_url",
        "https://speed.cloudflare.com/__down",
        "Answers GET ?bytes=N with N bytes.",
    ),
    Setting(
        "speed.upload_url",
        "https://speed.cloudflare.com/__up",
        "Accepts a POST body and discards it.",
    ),
    Setting(
        "speed.ookla_server",
        "",
        "host:port of a speedtest.net-protocol server to use instead of the nearest.",
    ),
    Setting(
        "speed.ookla_config_url",
        "https://www.speedtest.net/speedtest-config.php",
        "Where speedtest-cli's configuration is fetched when no server is given.",
    ),
    Setting(
        "speed.duration_s",
        4.0,
        "How long each direction is measured, in seconds.",
        minimum=0.5,
        maximum=60,
    ),
    Setting("speed.streams", 6, "Parallel connections per direction.", minimum=1, maximum=32),
    Setting(
        "speed.latency_probes",
        12,
        "Idle latency probes (the median is reported).",
        minimum=10,
        maximum=100,
    ),
    Setting(
        "speed.min_download_mbps",
        5.0,
        "Below this download rate the line counts as slow (HD short video).",
        minimum=0,
    ),
    Setting(
        "speed.min_upload_mbps",
        1.5,
        "Below this upload rate the line counts as slow (posting, live).",
        minimum=0,
    ),
    Setting("speed.max_jitter_ms", 30.0, "Jitter above this counts as unstable.", minimum=0),
    Setting(
        "speed.max_loaded_latency_ms",
        250.0,
        "Latency under load above this counts as unstable.",
        minimum=0,
    ),
    _seconds("speed.deadline_s", 20.0, "Deadline of the whole speed test, in seconds."),
    # app version
    Setting(
        "app_version.lookup_url",
        "https://itunes.apple.com/lookup?id=835599320",
        "App Store lookup for TikTok.",
    ),
    Setting(
        "app_version.cache_hours",
        24.0,
        "How long a looked-up latest version is trusted.",
        minimum=0,
    ),
    Setting(
        "app_version.snapshot_max_age_days",
        60.0,
        "The shipped version list is trusted for this many days after its date.",
        minimum=0,
    ),
    _seconds("app_version.deadline_s", 8.0, "Deadline of the app version check, in seconds."),
    # data export
    Setting(
        "data_export.max_unpacked_mb",
        128.0,
        "Refuse exports that unpack to more than this.",
        minimum=0,
        above=True,
    ),
    _seconds("data_export.deadline_s", 60.0, "Deadline of the data export check, in seconds."),
    Setting(
        "privacy_liked_videos.max_unpacked_mb",
        128.0,
        "As data_export.max_unpacked_mb.",
        minimum=0,
        above=True,
    ),
    # report
    Setting(
        "report.redact",
        ["ip", "mac", "hostname", "username", "email", "home", "device_id", "handle"],
        "The kinds of personal data redacted: only those listed ("
        "extra, the words of report.extra_words, always is).",
        choices=_redaction_kinds,
    ),
    Setting("report.extra_words", [], "Extra words always redacted from reports."),
)
SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def settings_table() -> str:
    """The settings as a Markdown table, for the README (``python -m wizard.config``)."""
    import json

    rows = ["| key | default | allowed | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        if isinstance(s.default, list):
            default = "<br>".join(s.default) if s.default else "(none)"
        elif isinstance(s.default, str):
            default = s.default or "(empty)"
        else:
            default = json.dumps(s.default)
        rows.append(f"| `{s.key}` | {default} | {s.allowed() or 'any'} | {s.doc} |")
    return "\n".join(rows) + "\n"


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration, and where files live."""

    values: Mapping[str, Any] = field(default_factory=dict)
    config_file: Path | None = None
    data_dir: Path = field(default_factory=lambda: Path("."))

    def get(self, key: str) -> Any:
        """A value by its full key, the default when unset."""
        if key in self.values:
            return self.values[key]
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            raise KeyError(key)
        return setting.default

    def section(self, name: str) -> dict[str, Any]:
        """All values of a section, keyed without the section prefix."""
        prefix = name + "."
        out = {s.key[len(prefix) :]: s.default for s in SETTINGS if s.key.startswith(prefix)}
        out.update({k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)})
        return out

    def with_values(self, **updates: Any) -> Config:
        """A copy with some values changed (keys with dots passed as ``a__b``)."""
        values = dict(self.values)
        values.update({k.replace("__", "."): v for k, v in updates.items()})
        return Config(values, self.config_file, self.data_dir)


def default_config_file() -> Path:
    """The platform's config file location."""
    from platformdirs import user_config_path

    return user_config_path("wizard", appauthor=False) / "config.toml"


def default_data_dir() -> Path:
    """The platform's user data folder."""
    from platformdirs import user_data_path

    return user_data_path("wizard", appauthor=False)


def load_config(
    config_file: str | Path | None = None,
    sets: Iterable[str] = (),
    data_dir: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    check_ids: Iterable[str] | None = None,
) -> Config:
    """Build the configuration: file, then environment, then ``--set KEY=VALUE`` flags.

    A section is known when a built-in setting lives in it or it is the id of an installed
    check (``check_ids``; by default the names of the ``wizard.checks`` entry points,
    listed only when a section no built-in knows appears).
    """
    env = os.environ if environ is None else environ
    sections = _Sections(check_ids)
    explicit = config_file or env.get(ENV_CONFIG)
    path = Path(explicit).expanduser() if explicit else default_config_file()
    values: dict[str, Any] = {}
    if path.is_file() or explicit:
        values.update(_read_file(path, sections))
    for setting in SETTINGS:
        if setting.env_name in env:
            values[setting.key] = setting.convert(env[setting.env_name], f"${setting.env_name}")
    for item in sets:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or "." not in key:
            raise ConfigError(
                f"--set {item!r}: expected SECTION.KEY=VALUE, for example speed.duration_s=3"
            )
        values[key] = sections.convert(key, raw, f"--set {key}")
    chosen_dir = data_dir or env.get(ENV_DATA_DIR)
    return Config(
        values=values,
        config_file=path if path.is_file() else None,
        data_dir=Path(chosen_dir).expanduser() if chosen_dir else default_data_dir(),
    )


BUILTIN_SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.key.split(".", 1)[0] for s in SETTINGS))


def _nearest(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest known name, or "" when none is close."""
    from difflib import get_close_matches

    close = get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Sections:
    """Which sections may be configured; a check's own section is passed through."""

    def __init__(self, check_ids: Iterable[str] | None) -> None:
        self._check_ids = None if check_ids is None else tuple(check_ids)

    def check_ids(self) -> tuple[str, ...]:
        if self._check_ids is None:
            from wizard.registry import CHECKS_GROUP, discover

            self._check_ids = tuple(ep.name for ep in discover() if ep.group == CHECKS_GROUP)
        return self._check_ids

    def convert(self, key: str, value: Any, origin: str) -> Any:
        """``value`` for ``key`` as its setting allows; a ConfigError for an unknown name."""
        setting = SETTINGS_BY_KEY.get(key)
        if setting is not None:
            return setting.convert(value, origin)
        section, _, name = key.partition(".")
        if section in BUILTIN_SECTIONS:
            keys = [s.key for s in SETTINGS if s.key.startswith(section + ".")]
            raise ConfigError(
                f"{origin}: unknown setting {key!r}{_nearest(key, keys)} "
                f"({section} has {', '.join(keys)})"
            )
        if section not in self.check_ids():
            known = sorted({*BUILTIN_SECTIONS, *self.check_ids()})
            raise ConfigError(
                f"{origin}: unknown section {section!r}{_nearest(section, known)} "
                f"(sections: {', '.join(known)})"
            )
        if name == "deadline_s":  # every check's deadline, a third-party one's too
            return _seconds(key, 30.0, "").convert(value, origin)
        return value


def _read_file(path: Path, sections: _Sections) -> dict[str, Any]:
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
            values[full] = sections.convert(full, value, str(path))
    return values


if __name__ == "__main__":
    print(settings_table(), end="")
