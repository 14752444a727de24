"""Finding check plugins and guide packs through entry points.

Built-in checks are registered in our own ``pyproject.toml`` under ``wizard.checks``,
exactly as a third-party package would register its own. Listing the names imports
nothing; a check plugin or guide pack that fails to import is reported (which entry point,
and why) and the others still work.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checks.api import Check
    from wizard.content.validate import CheckSpec

CHECKS_GROUP = "wizard.checks"
GUIDES_GROUP = "wizard.guides"


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """A name and the ``module:attribute`` it points at."""

    name: str
    value: str
    group: str


@dataclass(frozen=True, slots=True)
class PluginFailure:
    """A plugin that could not be loaded, and why, in words."""

    name: str
    target: str
    reason: str
    group: str = CHECKS_GROUP

    def __str__(self) -> str:
        what = "check plugin" if self.group == CHECKS_GROUP else "guide pack"
        return f"{what} {self.name!r} ({self.target}) did not load: {self.reason}"


@dataclass(frozen=True, slots=True)
class GuidePacks:
    """The guide packs registered under ``wizard.guides``: the folders of those that
    import, and why the others did not."""

    folders: tuple[tuple[str, Path], ...] = ()
    """(entry point name, folder) of each pack that imports."""
    failures: tuple[PluginFailure, ...] = ()


def discover(groups: tuple[str, ...] = (CHECKS_GROUP, GUIDES_GROUP)) -> list[EntryPoint]:
    """Entry points of our groups from every installed distribution."""
    from importlib.metadata import entry_points

    return [
        EntryPoint(ep.name, ep.value, group) for group in groups for ep in entry_points(group=group)
    ]


def _import_failed(exc: Exception) -> str:
    return f"import failed: {type(exc).__name__}: {exc}"


def _import_target(value: str) -> object:
    module_name, _, attribute = value.partition(":")
    target: object = importlib.import_module(module_name.strip())
    for part in filter(None, attribute.strip().split(".")):
        target = getattr(target, part)
    return target


@dataclass
class CheckRegistry:
    """The installed checks, loaded lazily by id."""

    entry_points: dict[str, EntryPoint] = field(default_factory=dict)
    loaded: dict[str, type[Check]] = field(default_factory=dict)
    failures: dict[str, PluginFailure] = field(default_factory=dict)

    @classmethod
    def from_environment(cls) -> CheckRegistry:
        """Every check registered under ``wizard.checks`` in this environment."""
        registry = cls()
        for ep in discover():
            if ep.group == CHECKS_GROUP and ep.name not in registry.entry_points:
                registry.entry_points[ep.name] = ep
        return registry

    def add(self, check: type[Check]) -> None:
        """Register a check class directly (tests and embedding use this)."""
        self.loaded[check.id] = check
        self.failures.pop(check.id, None)

    def names(self) -> list[str]:
        """Ids of all registered checks, loaded or not, without importing anything."""
        return sorted({*self.entry_points, *self.loaded})

    def get(self, check_id: str) -> type[Check] | None:
        """The check class for ``check_id``, importing its plugin on first use."""
        if check_id in self.loaded:
            return self.loaded[check_id]
        ep = self.entry_points.get(check_id)
        if ep is None or check_id in self.failures:
            return None
        from checks.api import Check  # with the first check: naming checks imports nothing

        try:
            target = _import_target(ep.value)
        except Exception as exc:
            self.failures[check_id] = PluginFailure(check_id, ep.value, _import_failed(exc))
            return None
        if not (isinstance(target, type) and issubclass(target, Check)):
            self.failures[check_id] = PluginFailure(
                check_id, ep.value, "the entry point does not name a Check subclass"
            )
            return None
        if getattr(target, "id", None) != check_id:
            self.failures[check_id] = PluginFailure(
                check_id, ep.value, f"the class says its id is {getattr(target, 'id', None)!r}"
            )
            return None
        self.loaded[check_id] = target
        return target

    def load_all(self) -> dict[str, type[Check]]:
        """Every check that loads; the others are in :attr:`failures`."""
        for name in self.names():
            self.get(name)
        return dict(sorted(self.loaded.items()))

    def specs(self) -> dict[str, CheckSpec]:
        """What the content validator needs of every registered check; one that did not load
        says why, so that a guide running it is told that rather than "not installed"."""
        from wizard.content.validate import CheckSpec

        specs = {
            cid: CheckSpec(
                id=cid,
                outcomes=cls.all_outcomes(),
                params=tuple(p.name for p in cls.params),
                required_params=tuple(p.name for p in cls.params if p.required),
            )
            for cid, cls in self.load_all().items()
        }
        for cid, failure in self.failures.items():
            reason = f"its plugin ({failure.target}) did not load: {failure.reason}"
            specs.setdefault(cid, CheckSpec(id=cid, outcomes=(), failed=reason))
        return specs


def guide_packs() -> GuidePacks:
    """The guide packs registered under ``wizard.guides``.

    An entry point there names a package; its folder's ``*.yaml`` files are guides. A
    pack that does not import, or has no folder, is a failure that names it.
    """
    folders: list[tuple[str, Path]] = []
    failures: list[PluginFailure] = []
    for ep in discover((GUIDES_GROUP,)):
        try:
            module = importlib.import_module(ep.value.partition(":")[0].strip())
        except Exception as exc:
            failures.append(PluginFailure(ep.name, ep.value, _import_failed(exc), GUIDES_GROUP))
            continue
        location = getattr(module, "__file__", None)
        if not location:
            reason = "the package has no folder of its own to read guides from"
            failures.append(PluginFailure(ep.name, ep.value, reason, GUIDES_GROUP))
            continue
        folders.append((ep.name, Path(location).parent))
    return GuidePacks(tuple(folders), tuple(failures))
