"""What both front ends start from: configuration, installed checks and the guide library."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.config import Config
from wizard.content.errors import ContentError
from wizard.paths import builtin_content_dir
from wizard.registry import CheckRegistry, GuidePacks, guide_packs

if TYPE_CHECKING:
    from checks.api import CheckResult, ProgressCallback
    from wizard.content.library import Library


@dataclass
class Workspace:
    """Configuration plus lazily loaded checks and guides."""

    config: Config
    content_paths: list[Path] = field(default_factory=list)
    """Guide files or folders given on the command line, searched after the built-in ones."""
    include_builtin: bool = True
    _library: Library | None = field(default=None, init=False, repr=False)
    _library_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @cached_property
    def registry(self) -> CheckRegistry:
        """The installed checks (names only until one is needed)."""
        return CheckRegistry.from_environment()

    @cached_property
    def guide_packs(self) -> GuidePacks:
        """The installed guide packs (imported once), and those that failed to import."""
        return guide_packs()

    def guide_paths(self) -> list[Path]:
        """Where guides are read from, in order."""
        paths: list[Path] = [builtin_content_dir()] if self.include_builtin else []
        paths.extend(folder for _, folder in self.guide_packs.folders)
        paths.extend(Path(p).expanduser() for p in self.config.get("content.paths"))
        paths.extend(self.content_paths)
        return paths

    @property
    def library(self) -> Library:
        """All guides, fully validated against the installed checks (loaded once).

        A guide pack that did not import is one of its errors, first, so that whatever
        reports broken guides names it. Safe to ask from a worker thread and the UI at
        once: one of them loads it.
        """
        with self._library_lock:
            if self._library is None:
                from wizard.content.library import load_library

                library = load_library(self.guide_paths(), self.registry.specs())
                library.errors[:0] = [
                    ContentError(str(failure), 0, "", "its guides are left out")
                    for failure in self.guide_packs.failures
                ]
                self._library = library
            return self._library

    @property
    def library_loaded(self) -> bool:
        """Whether :attr:`library` is ready without loading anything."""
        return self._library is not None

    async def run_check(
        self,
        check_id: str,
        params: Mapping[str, str] | None = None,
        facts: Mapping[str, str] | None = None,
        progress: ProgressCallback | None = None,
    ) -> CheckResult:
        """Run one installed check with the configured deadline.

        A KeyError when it is not installed, a ParamError (before it runs) when its
        parameters are not what it declares.
        """
        from wizard.checkparams import checked_params
        from wizard.runner import build_context, run_check

        cls = self.registry.get(check_id)
        if cls is None:
            raise KeyError(check_id)
        context = build_context(
            cls,
            self.config,
            checked_params(cls, params or {}),
            facts,
            progress=progress,
        )
        return await run_check(cls(), context, log_folder=self.config.data_dir)
