"""The home screen's guide list, kept between starts and never trusted past a change."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from wizard import catalogue
from wizard.config import load_config
from wizard.content.library import load_library
from wizard.paths import builtin_content_dir
from wizard.workspace import Workspace

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "sample.yaml"


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "sample.yaml")
    return folder


def workspace(data: Path, guides: Path) -> Workspace:
    config = load_config(data_dir=data, environ={})
    return Workspace(config, content_paths=[guides], include_builtin=False)


def test_entries_say_what_the_guides_say() -> None:
    library = load_library([builtin_content_dir()], None)
    entries = catalogue.entries_of(library.guides.values())
    assert entries.keys() == library.guides.keys()
    for guide_id, guide in library.guides.items():
        entry = entries[guide_id]
        assert (entry.title, entry.summary) == (guide.title, guide.summary)
        assert entry.headings == {n: node.heading for n, node in guide.nodes.items()}


def test_the_listing_is_kept_and_then_read_without_the_guides(tmp_path: Path, guides: Path) -> None:
    first = workspace(tmp_path / "data", guides).guide_listing()
    assert first["sample"].title == "A sample guide"
    kept = tmp_path / "data" / "cache" / "guides.json"
    assert kept.is_file()
    # The file is unchanged, so the kept list answers: proven by a kept title the file
    # does not have.
    data = json.loads(kept.read_text("utf-8"))
    data["guides"][0]["title"] = "From the kept list"
    kept.write_text(json.dumps(data), "utf-8")
    again = workspace(tmp_path / "data", guides).guide_listing()
    assert again["sample"].title == "From the kept list"
    assert again["sample"].headings == first["sample"].headings


@pytest.mark.parametrize("change", ["edit", "touch", "add", "remove"])
def test_any_change_to_the_guide_files_reads_them_again(
    tmp_path: Path, guides: Path, change: str
) -> None:
    workspace(tmp_path / "data", guides).guide_listing()
    kept = tmp_path / "data" / "cache" / "guides.json"
    data = json.loads(kept.read_text("utf-8"))
    data["guides"][0]["title"] = "Stale"
    kept.write_text(json.dumps(data), "utf-8")
    sample = guides / "sample.yaml"
    if change == "edit":
        sample.write_text(
            sample.read_text("utf-8").replace("A sample guide", "A changed guide"), "utf-8"
        )
    elif change == "touch":
        stat = sample.stat()
        os.utime(sample, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    elif change == "add":
        other = SAMPLE.read_text("utf-8").replace("id: sample", "id: second", 1)
        (guides / "second.yaml").write_text(other, "utf-8")
    else:
        sample.unlink()
    listing = workspace(tmp_path / "data", guides).guide_listing()
    titles = {entry.title for entry in listing.values()}
    assert "Stale" not in titles
    if change == "edit":
        assert titles == {"A changed guide"}
    elif change == "add":
        assert set(listing) == {"sample", "second"}
    elif change == "remove":
        assert listing == {}


def test_a_kept_list_from_another_version_or_a_broken_one_is_not_used(
    tmp_path: Path, guides: Path
) -> None:
    stamps = catalogue.file_stamps([guides / "sample.yaml"])
    kept = tmp_path / "guides.json"
    entries = {"sample": catalogue.GuideEntry("sample", "T", "S", {"start": "Start"})}
    catalogue.write(kept, stamps, entries)
    assert catalogue.read(kept, stamps) == entries
    data = json.loads(kept.read_text("utf-8"))
    for key, value in (("version", "0.0.0"), ("format", 0)):
        kept.write_text(json.dumps({**data, key: value}), "utf-8")
        assert catalogue.read(kept, stamps) is None
    for broken in ("", "[]", "{", '{"format": 1}', json.dumps({**data, "guides": [{}]})):
        kept.write_text(broken, "utf-8")
        assert catalogue.read(kept, stamps) is None


def test_a_guide_with_errors_is_not_listed_and_a_data_folder_that_cannot_be_written_is_fine(
    tmp_path: Path, guides: Path
) -> None:
    (guides / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", "utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "cache").write_text("a file where the cache folder would go", "utf-8")
    listing = workspace(data, guides).guide_listing()
    assert set(listing) == {"sample"}
    assert not list(data.glob(".guides.json.*"))
