"""Loading every guide file, with every error of every file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wizard.content.errors import ContentError
from wizard.content.files import guide_files
from wizard.content.loader import build_guide
from wizard.content.model import Guide
from wizard.content.source import read_document
from wizard.content.validate import CheckSpec, validate_guide


@dataclass
class Library:
    """Guides by id, and the errors of the files that did not load."""

    guides: dict[str, Guide] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    broken: dict[str, list[ContentError]] = field(default_factory=dict)
    """The errors of each file that names its guide's id but did not load, by that id."""

    def get(self, guide_id: str) -> Guide | None:
        """The guide called ``guide_id``."""
        return self.guides.get(guide_id)


def load_file(
    path: Path, checks: Mapping[str, CheckSpec] | None
) -> tuple[Guide | None, list[ContentError]]:
    """Load and fully validate one guide file; the guide is None if it has errors."""
    guide, errors, _ = _load(path, checks)
    return guide, errors


def _load(
    path: Path, checks: Mapping[str, CheckSpec] | None
) -> tuple[Guide | None, list[ContentError], str]:
    """:func:`load_file`, and the guide id the file declares ("" when it names none)."""
    try:
        doc = read_document(path)
    except ContentError as exc:
        return None, [exc], ""
    guide, errors = build_guide(doc)
    if guide is not None:
        errors.extend(validate_guide(guide, doc, checks))
    errors.sort(key=lambda e: e.line)
    declared = guide.id if guide is not None else ""
    return (guide if not errors else None), errors, declared


def load_library(paths: Iterable[Path], checks: Mapping[str, CheckSpec] | None) -> Library:
    """Load every guide under ``paths``; ``checks=None`` skips the installed-check rules."""
    library = Library()
    first_file: dict[str, Path] = {}
    for path in guide_files(paths):
        library.files.append(path)
        guide, errors, declared = _load(path, checks)
        library.errors.extend(errors)
        if guide is None:
            if declared:
                library.broken.setdefault(declared, []).extend(errors)
            continue
        if guide.id in first_file:
            library.errors.append(
                ContentError(
                    str(path),
                    1,
                    "id",
                    f"duplicate guide id {guide.id!r}: {first_file[guide.id]} has it too",
                )
            )
            continue
        first_file[guide.id] = path
        library.guides[guide.id] = guide
    return library
