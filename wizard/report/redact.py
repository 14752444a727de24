"""Redaction: personal data out of a report before anyone sees it rendered.

Every string in the report (keys included) passes through :meth:`Redactor.text`. The same
value always becomes the same typed placeholder within one report (``[IPv4-1]``,
``[EMAIL-2]``…), so a reader can still follow it. The mapping stays in memory and is
never part of any export. Each kind can be switched off.

The wizard's own words (questions, titles, advice, the guide's summary) are never redacted:
they are the same for everyone. The user's words, the values they gave and everything a
check found are.
"""

from __future__ import annotations

import contextlib
import getpass
import ipaddress
import os
import platform
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = (
    "ip",
    "mac",
    "hostname",
    "username",
    "email",
    "home",
    "device_id",
    "handle",
    "extra",
)

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
MAC = re.compile(r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])")
IPV4 = re.compile(
    r"(?<!\d)(?<!\d\.)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)"
)
IPV6_CANDIDATE = re.compile(
    r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?:%[\w.]+)?(?![0-9A-Fa-f:])"
)
UUID = re.compile(
    r"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b"
)
HEX16 = re.compile(r"\b[0-9a-f]{16}\b")
DEVICE_KEY = re.compile(
    r"(idfa|idfv|gaid|advertis|android.?id|web.?id|device.?id|install.?id|udid|imei)", re.I
)
OTHER_HOMES = re.compile(r"(?:/home/|/Users/|[A-Za-z]:\\\\Users\\\\|[A-Za-z]:\\Users\\)([^/\\\s]+)")
# Well-known public DNS resolvers: the same for everyone, so never personal data. The wizard's
# own advice names them ("set a public DNS server such as 1.1.1.1") and so may the user.
PUBLIC_RESOLVERS = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "1.1.1.1",
        "1.0.0.1",
        "8.8.8.8",
        "8.8.4.4",
        "9.9.9.9",
        "149.112.112.112",
        "208.67.222.222",
        "208.67.220.220",
        "2606:4700:4700::1111",
        "2606:4700:4700::1001",
        "2001:4860:4860::8888",
        "2001:4860:4860::8844",
        "2620:fe::fe",
        "2620:fe::9",
    )
)
LABELS = ("EMAIL", "USER", "MAC", "DEVICE-ID", "IPv4", "IPv6", "HOST", "HANDLE", "REDACTED")
"""The kinds a numbered placeholder names (``[HOME]`` has no number)."""
PLACEHOLDER = re.compile(rf"\[({'|'.join(LABELS)})-\d+\]")
# Keys whose values come from closed sets (outcomes, statuses…): never personal, kept as is
# so that a user name that happens to equal "report" cannot break the schema.
KEEP_KEYS = frozenset({"schema_version", "kind", "status", "outcome", "unit"})
# Keys whose values are the wizard's own text, from the guide or the check: never personal.
WIZARD_TEXT_KEYS = frozenset(
    {
        "question",
        "title",
        "advice",
        "label",
        "device",
        "check",
        "node",
        "id",
        "fix",
        "problem",
        "fixed_by",
        "tried",
        "steps",
        "not_checked",
        "columns",
    }
)
HANDLE_IN_LINK = re.compile(r"(tiktok\.com/@)([\w.]+)", re.I)


def local_identity() -> tuple[list[str], list[str], list[str]]:
    """(host names, user names, home folders) of this machine, to find in reports."""
    # Not getfqdn(): it asks DNS, which can hang for seconds on the very networks we diagnose.
    hosts = {socket.gethostname(), platform.node()}
    users = {
        os.environ.get("USER", ""),
        os.environ.get("USERNAME", ""),
        os.environ.get("LOGNAME", ""),
    }
    with contextlib.suppress(Exception):  # getuser raises when no name can be found at all
        users.add(getpass.getuser())
    home = str(Path.home())
    users.add(Path(home).name)
    homes = [home] if home not in ("/", "") else []
    bad = {"", "localhost", "localhost.localdomain", "root", "user", "admin"}
    return (
        sorted(h for h in hosts if h and h.lower() not in bad and len(h) > 1),
        sorted(u for u in users if u and u.lower() not in bad and len(u) > 1),
        homes,
    )


@dataclass
class Redactor:
    """Replaces personal data with consistent placeholders."""

    enabled: frozenset[str] = frozenset(KINDS)
    hostnames: list[str] = field(default_factory=list)
    usernames: list[str] = field(default_factory=list)
    homes: list[str] = field(default_factory=list)
    extra_words: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    """Other people's TikTok handles the report carries (without the @)."""
    _mapping: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _counts: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def for_this_machine(
        cls, disabled: Iterable[str] = (), extra_words: Iterable[str] = ()
    ) -> Redactor:
        """A redactor that knows this machine's host name, user names and home folder."""
        hosts, users, homes = local_identity()
        return cls(
            enabled=frozenset(KINDS) - frozenset(disabled),
            hostnames=hosts,
            usernames=users,
            homes=homes,
            extra_words=[w for w in extra_words if w.strip()],
        )

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder for ``value``: the same one every time within this report."""
        key = (kind, value.lower())
        if key not in self._mapping:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._mapping[key] = f"[{kind}-{self._counts[kind]}]"
        return self._mapping[key]

    @property
    def replaced(self) -> int:
        """How many distinct values were replaced (the values themselves are never exposed)."""
        return len(self._mapping)

    def _words(
        self, text: str, words: Iterable[str], kind: str, label: str, *, in_names: bool = False
    ) -> str:
        # ``in_names``: the word is found inside a file name too, where "_", "-" and "."
        # join words ("TikTok_Data_jane.zip"); otherwise only as a word of its own.
        before, after = (r"[^\W_]", r"[^\W_]") if in_names else (r"[\w.-]", r"[\w-]")
        for word in sorted(set(words), key=len, reverse=True):
            pattern = re.compile(rf"(?<!{before}){re.escape(word)}(?!{after})", re.I)
            replacement = self.placeholder(label, word) if pattern.search(text) else ""
            if replacement:
                text = pattern.sub(replacement.replace("\\", "\\\\"), text)
        return text

    def text(self, text: str) -> str:
        """``text`` with every enabled kind of personal data replaced."""
        on = self.enabled
        if "email" in on:
            text = EMAIL.sub(lambda m: self.placeholder("EMAIL", m.group(0)), text)
        if "home" in on:
            for home in sorted(self.homes, key=len, reverse=True):
                text = text.replace(home, "[HOME]")
            text = OTHER_HOMES.sub(
                lambda m: m.group(0).replace(m.group(1), self.placeholder("USER", m.group(1))), text
            )
        if "mac" in on:
            text = MAC.sub(lambda m: self.placeholder("MAC", m.group(0)), text)
        if "device_id" in on:
            text = UUID.sub(lambda m: self.placeholder("DEVICE-ID", m.group(0)), text)
            text = HEX16.sub(lambda m: self.placeholder("DEVICE-ID", m.group(0)), text)
        if "ip" in on:
            text = IPV6_CANDIDATE.sub(self._ipv6, text)
            text = IPV4.sub(self._ipv4, text)
        if "hostname" in on:
            text = self._words(text, self.hostnames, "hostname", "HOST")
        if "username" in on:
            text = self._words(text, self.usernames, "username", "USER", in_names=True)
        if "handle" in on:
            text = self._handles(text)
        if "extra" in on:
            text = self._words(text, self.extra_words, "extra", "REDACTED")
        return text

    def _handles(self, text: str) -> str:
        known = {h.lower() for h in self.handles}
        text = HANDLE_IN_LINK.sub(
            lambda m: (
                m.group(1) + self.placeholder("HANDLE", m.group(2))
                if m.group(2).lower() in known
                else m.group(0)
            ),
            text,
        )
        for handle in sorted(known, key=len, reverse=True):
            pattern = re.compile(rf"(?<![\w.]){re.escape(handle)}(?![\w])", re.I)
            if pattern.search(text):
                text = pattern.sub(self.placeholder("HANDLE", handle), text)
        return text

    def _ipv4(self, match: re.Match[str]) -> str:
        value = match.group(0)
        with contextlib.suppress(ValueError):  # leading zeros: not a resolver's spelling
            if ipaddress.IPv4Address(value) in PUBLIC_RESOLVERS:
                return value
        return self.placeholder("IPv4", value)

    def _ipv6(self, match: re.Match[str]) -> str:
        value = match.group(0)
        try:
            address = ipaddress.IPv6Address(value.split("%", 1)[0])
        except ValueError:
            return value
        if address in PUBLIC_RESOLVERS:
            return value
        return self.placeholder("IPv6", value)

    def value(self, data: Any, key: str = "") -> Any:
        """``data`` (any JSON value) with every string redacted; device-id fields blanked."""
        if isinstance(data, str):
            if key in KEEP_KEYS or key in WIZARD_TEXT_KEYS:
                return data
            if "device_id" in self.enabled and key and DEVICE_KEY.search(key) and data:
                return self.placeholder("DEVICE-ID", data)
            return self.text(data)
        if isinstance(data, dict):
            return {
                self.text(str(k)) if k not in KEEP_KEYS else k: self.value(v, str(k))
                for k, v in data.items()
            }
        if isinstance(data, list):
            return [self.value(v, key) for v in data]
        return data


def _strings(data: Any) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _replaced(data: Any, new: dict[str, str]) -> Any:
    def sub(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: new.get(m.group(0), m.group(0)), text)

    if isinstance(data, str):
        return sub(data)
    if isinstance(data, dict):
        return {sub(str(k)): _replaced(v, new) for k, v in data.items()}
    if isinstance(data, list):
        return [_replaced(v, new) for v in data]
    return data


def renumbered(data: Any, shown: str) -> Any:
    """``data`` (a redacted report) with its placeholders numbered as ``shown`` reads them.

    ``shown`` is the report rendered in the format the reader gets: each kind counts 1, 2, 3…
    in the order its placeholders first appear there, so no number hints at something left
    out. Placeholders the format does not show are numbered after those.
    """
    order = [m.group(0) for m in PLACEHOLDER.finditer(shown)]
    order += [m.group(0) for text in _strings(data) for m in PLACEHOLDER.finditer(text)]
    new: dict[str, str] = {}
    counts: dict[str, int] = {}
    for old in order:
        if old not in new:
            kind = old[1:].rsplit("-", 1)[0]
            counts[kind] = counts.get(kind, 0) + 1
            new[old] = f"[{kind}-{counts[kind]}]"
    return _replaced(data, new)
