"""``wizard refresh-versions``: bring the shipped app-version list up to date (maintainers)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from checks.api import CheckContext
from checks.app_version import (
    AppVersionCheck,
    fetch_ios_latest,
    read_snapshot,
    refreshed_snapshot,
    snapshot_path,
)
from checks.net.failure import describe_failure
from wizard.cli.common import CliError, workspace_from
from wizard.ending import run_async
from wizard.report.write import WriteError, write_atomic


def cmd_refresh_versions(args: argparse.Namespace) -> int:
    """Fetch the current iOS version from the App Store lookup and rewrite the snapshot."""
    workspace = workspace_from(args)
    settings = workspace.config.for_check(AppVersionCheck)
    target = Path(args.output) if args.output else snapshot_path(settings["snapshot"])
    url = str(settings["lookup_url"])
    try:
        latest = run_async(fetch_ios_latest(CheckContext(), url))
    except (OSError, httpx.HTTPError) as exc:
        host = urlsplit(url).hostname or url
        raise CliError(
            f"the App Store lookup at {url} failed: {describe_failure(exc, host)}", code=5
        ) from None
    except Exception as exc:
        raise CliError(
            f"the App Store lookup at {url} failed: {type(exc).__name__}: {exc}", code=5
        ) from None
    snapshot = refreshed_snapshot(
        read_snapshot(target), latest, datetime.now(UTC).date().isoformat()
    )
    try:  # the same writer as a report: only a regular file is replaced, its mode kept
        write_atomic(target, (json.dumps(snapshot, indent=2) + "\n").encode(), overwrite=True)
    except WriteError as exc:
        raise CliError(str(exc), code=5) from None
    print(f"{target}: latest {latest.version} (released {latest.released or 'unknown'})")
    return 0
