"""How a check declares a setting: :class:`Setting`, re-exported by :mod:`checks.api`.

A module of its own so that the configuration loader can read declarations without
importing the rest of the check API (a start with nothing configured imports no check).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class SettingError(ValueError):
    """A value a :class:`Setting` refuses; the message says what it allows, in words."""


@dataclass(frozen=True, slots=True)
class Setting:
    """A configuration key of a check's section, declared by the check beside its params.

    ``name`` is the key within the section (``duration_s`` of ``speed``); values are
    converted to the type of ``default``. A number may have a ``minimum`` (excluded when
    ``above`` is true) and a ``maximum``; NaN and infinity are refused for every number.
    Text, and each item of a list, may be limited to ``choices``. ``help`` is the sentence
    of the README's settings table.
    """

    name: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False
    choices: tuple[str, ...] = ()

    @classmethod
    def seconds(cls, name: str, default: float, help: str) -> Setting:
        """A duration in seconds: more than zero."""
        return cls(name, float(default), help, minimum=0, above=True)

    @property
    def kind(self) -> type:
        """The type values are converted to (taken from the default)."""
        return type(self.default)

    def allowed(self) -> str:
        """The allowed values in words, for errors and the README ("" for any)."""
        choices = self.choices
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

    def convert(self, value: Any) -> Any:
        """``value`` as this setting's type, checked against what it allows.

        Raises :class:`SettingError` worded to follow the key: "must be 1 to 32, not '0'".
        """
        converted = self._typed(value)
        choices = self.choices
        if choices and isinstance(converted, list):
            stray = [v for v in converted if v not in choices]
            if stray:
                raise SettingError(f"has {stray[0]!r}, which is not one of {', '.join(choices)}")
        if not self._fits(converted):
            raise SettingError(f"must be {self.allowed()}, not {value!r}")
        return converted

    def _fits(self, value: Any) -> bool:
        choices = self.choices
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

    def _typed(self, value: Any) -> Any:
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
            raise SettingError(f"must be {_kind_words(kind)}, not {value!r}") from None


def _kind_words(kind: type) -> str:
    return {
        list: "a list of text (in TOML a list; on the command line comma-separated)",
        bool: "true or false",
        float: "a number",
        int: "a whole number",
    }.get(kind, "text")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
