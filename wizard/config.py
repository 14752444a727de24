"""Configuration: one TOML file, then environment variables, then ``--set`` flags.

Every endpoint, timeout and threshold a built-in check uses is a :class:`Setting` in
:data:`SETTINGS`, with its default and a sentence for the README. Sections that no
built-in knows (a third-party check's) are passed through as they are.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_CONFIG = "WIZARD_CONFIG"
ENV_DATA_DIR = "WIZARD_DATA_DIR"
ENV_PREFIX = "WIZARD_"


class ConfigError(Exception):
    """A configuration problem, worded for the user."""


@dataclass(frozen=True, slots=True)
class Setting:
    """A documented configuration key."""

    key: str
    default: Any
    doc: str

    @property
    def kind(self) -> type:
        """The type values are converted to (taken from the default)."""
        return type(self.default)

    @property
    def env_name(self) -> str:
        """The environment variable that sets it: ``WIZARD_SPEED_DURATION_S``."""
        return ENV_PREFIX + self.key.upper().replace(".", "_")

    def convert(self, value: Any, origin: str) -> Any:
        """``value`` as this setting's type; ``origin`` says where it came from, for errors."""
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
                return float(value)
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


SETTINGS: tuple[Setting, ...] = (
    Setting("content.paths", [], "Extra folders of guide files, searched after the built-in ones."),
    Setting(
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
    Setting("connectivity.timeout_s", 5.0, "Bound on the whole connectivity check, in seconds."),
    Setting(
        "connectivity.slow_ms", 1500.0, "An endpoint slower than this (total time) counts as slow."
    ),
    # device
    Setting("device.low_disk_gb", 1.0, "Free disk below this many GB gives the outcome low_disk."),
    Setting("device.low_memory_mb", 300.0, "Available memory below this many MB gives low_memory."),
    Setting("device.deadline_s", 5.0, "Deadline of the device check, in seconds."),
    # speed
    Setting(
        "speed.backend",
        "auto",
        "auto, http (our multi-stream measurement) or ookla (speedtest-cli).",
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
    Setting("speed.duration_s", 4.0, "How long each direction is measured, in seconds."),
    Setting("speed.streams", 6, "Parallel connections per direction."),
    Setting("speed.latency_probes", 12, "Idle latency probes (the median is reported)."),
    Setting(
        "speed.min_download_mbps",
        5.0,
        "Below this download rate the line counts as slow (HD short video).",
    ),
    Setting(
        "speed.min_upload_mbps",
        1.5,
        "Below this upload rate the line counts as slow (posting, live).",
    ),
    Setting("speed.max_jitter_ms", 30.0, "Jitter above this counts as unstable."),
    Setting(
        "speed.max_loaded_latency_ms", 250.0, "Latency under load above this counts as unstable."
    ),
    Setting("speed.deadline_s", 20.0, "Deadline of the whole speed test, in seconds."),
    # app version
    Setting(
        "app_version.lookup_url",
        "https://itunes.apple.com/lookup?id=835599320",
        "App Store lookup for TikTok.",
    ),
    Setting("app_version.cache_hours", 24.0, "How long a looked-up latest version is trusted."),
    Setting(
        "app_version.snapshot_max_age_days",
        60.0,
        "The shipped version list is trusted for this many days after its date.",
    ),
    Setting("app_version.deadline_s", 8.0, "Deadline of the app version check, in seconds."),
    # data export
    Setting("data_export.max_unpacked_mb", 128.0, "Refuse exports that unpack to more than this."),
    Setting("data_export.deadline_s", 60.0, "Deadline of the data export check, in seconds."),
    Setting("privacy_liked_videos.max_unpacked_mb", 128.0, "As data_export.max_unpacked_mb."),
    # report
    Setting(
        "report.redact",
        ["ip", "mac", "hostname", "username", "email", "home", "device_id"],
        "Kinds of personal data redacted by default.",
    ),
    Setting("report.extra_words", [], "Extra words always redacted from reports."),
)
SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def settings_table() -> str:
    """The settings as a Markdown table, for the README (``python -m wizard.config``)."""
    import json

    rows = ["| key | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        if isinstance(s.default, list):
            default = "<br>".join(s.default) if s.default else "(none)"
        elif isinstance(s.default, str):
            default = s.default or "(empty)"
        else:
            default = json.dumps(s.default)
        rows.append(f"| `{s.key}` | {default} | {s.doc} |")
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
) -> Config:
    """Build the configuration: file, then environment, then ``--set KEY=VALUE`` flags."""
    env = os.environ if environ is None else environ
    explicit = config_file or env.get(ENV_CONFIG)
    path = Path(explicit).expanduser() if explicit else default_config_file()
    values: dict[str, Any] = {}
    if path.is_file() or explicit:
        values.update(_read_file(path))
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
        values[key] = _convert(key, raw, f"--set {key}")
    chosen_dir = data_dir or env.get(ENV_DATA_DIR)
    return Config(
        values=values,
        config_file=path if path.is_file() else None,
        data_dir=Path(chosen_dir).expanduser() if chosen_dir else default_data_dir(),
    )


def _convert(key: str, value: Any, origin: str) -> Any:
    setting = SETTINGS_BY_KEY.get(key)
    if setting is not None:
        return setting.convert(value, origin)
    section = key.split(".", 1)[0]
    if any(s.key.startswith(section + ".") for s in SETTINGS):
        known = ", ".join(s.key for s in SETTINGS if s.key.startswith(section + "."))
        raise ConfigError(f"{origin}: unknown setting {key!r}; {section} has {known}")
    return value


def _read_file(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file to read: most starts have none

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: top-level key {section!r} must be a [section] table")
        for key, value in table.items():
            full = f"{section}.{key}"
            values[full] = _convert(full, value, str(path))
    return values


if __name__ == "__main__":
    print(settings_table(), end="")
