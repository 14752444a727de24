"""The parameters a check is given, checked against what it declares before it runs.

``wizard check`` and a guide walk (headless or in the app) both come through here, so a
parameter the check does not take, a missing one, or a value it does not allow is refused
the same way, with words that name the parameter and what it allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checks.api import Check


class ParamError(ValueError):
    """A parameter a check does not take, a required one left out, or a value it refuses."""


def checked_params(check: type[Check], params: Mapping[str, str]) -> dict[str, str]:
    """``params`` as the check gets them (choices spelled as declared), or a ParamError."""
    declared = {p.name: p for p in check.params}
    for name in params:
        if name not in declared:
            close = get_close_matches(name, list(declared), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(declared) or "none"
            raise ParamError(
                f"check {check.id!r} takes no parameter {name!r}{hint} (parameters: {known})"
            )
    for param in check.params:
        if param.required and param.name not in params:
            raise ParamError(f"check {check.id!r} needs the parameter {param.name}")
    out: dict[str, str] = {}
    for name, value in params.items():
        try:
            out[name] = declared[name].checked(value)
        except ValueError as exc:
            raise ParamError(f"check {check.id!r}: {exc}") from None
    return out
