"""The report: built, redacted with zero leaks in every format, schema-valid, exported safely."""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import jsonschema
import pytest

from wizard.content.library import load_file
from wizard.engine import Answer, Back, CheckDone, Continue, Input, Note, Session, Verdict
from wizard.report import SCHEMA_PATH, prepare
from wizard.report.redact import KINDS, Redactor
from wizard.report.render import FORMATS, render
from wizard.report.write import WriteError, write_atomic

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "sample.yaml"
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)

# Personal data seeded into facts, check details, device facts and free text.
SECRETS = {
    "ip": [
        "192.168.1.23",
        "203.0.113.77",
        "2001:db8:85a3::8a2e:370:7334",
        "fe80::1c2d:3eff:fe4f:5a6b%eth0",
    ],
    "mac": ["3c:22:fb:9a:11:0e", "A4-83-E7-12-34-56"],
    "hostname": ["jos-macbook-pro"],
    "username": ["josephine"],
    "email": ["jo.smith+tiktok@example.com", "parent@school.example.org"],
    "home": ["/home/josephine"],
    "device_id": ["6D92078A-8246-4BA4-AE5B-76104861E7DC", "9774d56d682e549c"],
    "handle": ["dave.kowalski", "erin_the_cat", "carol.films"],
    "extra": ["Maplewood Academy"],
}


def _session(**result: object) -> Session:
    """The sample walk; ``result`` replaces fields of its check's result."""
    guide, errors = load_file(SAMPLE, None)
    assert guide is not None, errors
    session = Session(guide)
    session.apply(Continue("welcome", at="2026-11-23T10:00:00+00:00"))
    session.apply(
        Note(
            "My likes vanish since I changed Wi-Fi at Maplewood Academy. Write to "
            "jo.smith+tiktok@example.com or parent@school.example.org. My laptop "
            "jos-macbook-pro (user josephine) saved logs in "
            "/home/josephine/Downloads/tiktok.log; router 192.168.1.23.",
            at="2026-11-23T10:00:02+00:00",
        )
    )
    session.apply(Answer("which", "likes", at="2026-11-23T10:00:04+00:00"))
    session.apply(Input("platform", "android", at="2026-11-23T10:00:06+00:00"))
    session.apply(
        CheckDone(
            "probe",
            "android",
            {
                "check_id": "echo",
                "outcome": "android",
                "status": "ok",
                "summary": "Reached 203.0.113.77 from 192.168.1.23 via 3c:22:fb:9a:11:0e",
                "advice": "",
                "metrics": [{"name": "rtt", "value": 12.5, "unit": "ms", "label": "round trip"}],
                "details": {
                    "layers": [
                        {
                            "name": "Network",
                            "status": "ok",
                            "summary": "wlan0 2001:db8:85a3::8a2e:370:7334 fe80::1c2d:3eff:fe4f:5a6b%eth0"
                            " device 9774d56d682e549c",
                        }
                    ],
                    "network_type": "wifi",
                    "endpoints": [{"url": "http://192.168.1.23/", "result": "ok"}],
                    "advertising_id": "6D92078A-8246-4BA4-AE5B-76104861E7DC",
                    "exports": [{"source": "/home/josephine/Downloads/export.zip"}],
                    "not_following_back": ["dave.kowalski", "erin_the_cat"],
                    "vanished": [
                        {
                            "date": "2026-10-01",
                            "link": "https://www.tiktok.com/@carol.films/video/71",
                        }
                    ],
                },
                "tables": [],
                "duration_s": 0.4,
                "source": "measured",
            }
            | result,
            at="2026-11-23T10:00:08+00:00",
        )
    )
    session.apply(Verdict("fix-cache", False, at="2026-11-23T10:01:00+00:00"))
    return session


DEVICE = {
    "os": "Ubuntu 24.04",
    "machine": "x86_64",
    "hostname": "jos-macbook-pro",
    "time_zone": "CET",
    "utc_offset": "+01:00",
    "memory_available_mb": 2048,
    "disk_free_gb": 12.5,
    "interfaces": [
        {
            "name": "wlan0",
            "kind": "wifi",
            "up": True,
            "addresses": ["192.168.1.23", "2001:db8:85a3::8a2e:370:7334"],
            "mac": "A4-83-E7-12-34-56",
        },
        {"name": "x", "kind": "wifi", "up": True, "addresses": [], "mac": "9774d56d682e549c"},
    ],
}


def _redactor(disabled: set[str] = frozenset()) -> Redactor:  # type: ignore[assignment]
    return Redactor(
        enabled=frozenset(KINDS) - disabled,
        hostnames=["jos-macbook-pro"],
        usernames=["josephine"],
        homes=["/home/josephine"],
        extra_words=["Maplewood Academy"],
    )


def _all_formats(report: dict) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        data = render(report, fmt)
        if fmt == "eml":
            message = email.message_from_bytes(data, policy=policy.default)
            parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
            out[fmt] = (
                str(message["Subject"])
                + "\n"
                + "\n".join(p.decode() if isinstance(p, bytes) else p for p in parts)
            )
        else:
            out[fmt] = data.decode("utf-8")
    return out


def test_zero_leaks_in_every_format() -> None:
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor())
    for fmt, text in _all_formats(report).items():
        for kind, values in SECRETS.items():
            for value in values:
                assert value.lower() not in text.lower(), f"{kind} {value!r} leaked in {fmt}"


def test_placeholders_are_consistent_and_typed() -> None:
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor())
    text = render(report, "md").decode()
    assert (
        text.count("[IPv4-1]") >= 3
    )  # the router address, in the note, the summary and the device
    assert "[EMAIL-1]" in text and "[EMAIL-2]" in text and "[HOST-1]" in text
    assert "[HOME]/Downloads/tiktok.log" in text
    assert "[DEVICE-ID-" in render(report, "json").decode()


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "extra"])
def test_each_kind_can_be_turned_off(kind: str) -> None:
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor({kind}))
    text = render(report, "json").decode()
    if kind == "home":
        # The folder shows again; the user name inside it is still a user name, still hidden.
        assert "[HOME]" not in text and "/home/[USER-1]/Downloads" in text
    else:
        assert any(value in text for value in SECRETS[kind]), kind
    others = [v for k, vs in SECRETS.items() if k not in (kind, "username", "home") for v in vs]
    assert not any(v in text for v in others if kind != "hostname" or v != "jos-macbook-pro")


def test_the_mapping_is_never_exported() -> None:
    redactor = _redactor()
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=redactor)
    assert redactor.replaced > 5
    for text in _all_formats(report).values():
        assert "_mapping" not in text and "192.168.1.23" not in text


def test_json_validates_against_the_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(
        render(prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor()), "json")
    )
    jsonschema.validate(report, schema)
    assert report["schema_version"] == 2
    assert report["outcome"] == "report"
    assert report["times"]["utc_offset"] == "+01:00"
    assert [f["helped"] for f in report["fixes"]] == [False]
    assert report["checks"][0]["source"] == "measured"
    unfinished = Session(_session().guide)
    jsonschema.validate(json.loads(render(prepare(unfinished, now=NOW), "json")), schema)


def test_eml_is_a_draft_with_the_json_attached() -> None:
    data = render(prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor()), "eml")
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert message["Subject"].startswith("TikTok support: A sample guide: My likes vanish")
    assert message["Date"]
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["support-report.json"]
    assert json.loads(attachments[0].get_content())["guide"]["id"] == "sample"
    body = message.get_body(("plain",)).get_content()
    assert "Steps taken:" in body


def test_markdown_reads_like_a_ticket() -> None:
    text = render(prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor()), "md").decode()
    # The guide's line for the path heads it; the user's words follow, whole.
    assert text.startswith("# Support request: A sample guide: My likes vanish\n")
    assert "**In the user's words:** My likes vanish since I changed Wi-Fi at [REDACTED-1]." in text
    for heading in ("## Evidence", "## Checks that ran", "## Facts", "## Steps taken"):
        assert heading in text
    assert "**Tried, did not help:** Clear the cache" in text
    assert "round trip: 12.5 ms" in text


@pytest.mark.parametrize(
    "secret", ["jo.smith+tiktok@example.com", "6D92078A-8246-4BA4-AE5B-76104861E7DC"]
)
def test_a_long_problem_is_redacted_before_it_is_shortened(secret: str) -> None:
    """An address straddling the cut of the problem line is hidden whole, in every format."""
    session = Session(_session().guide)
    padding = "My likes vanish " + "and vanish " * 10  # the cut falls inside the secret
    assert len(padding) + 8 < 139 < len(padding) + len(secret)
    session.apply(Note(f"{padding}{secret} tonight.", at="2026-11-23T10:00:02+00:00"))
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    # The user's words are never cut: the whole sentence is there, the secret hidden whole.
    assert report["user_words"].startswith(padding) and report["user_words"].endswith(" tonight.")
    for fmt, text in _all_formats(report).items():
        assert secret[:8].lower() not in text.lower(), f"part of {secret!r} leaked in {fmt}"
    subject = email.message_from_bytes(render(report, "eml"), policy=policy.default)["Subject"]
    assert secret[:8] not in subject and subject.startswith("TikTok support: A sample guide")


def test_shortening_never_cuts_a_placeholder_in_half() -> None:
    from wizard.report.model import shorten

    assert shorten("x" * 135 + " [IPv4-1] tonight", 140) == "x" * 135 + "…"
    assert shorten("short", 140) == "short"


def test_public_resolvers_in_the_wizards_advice_are_not_hidden() -> None:
    """1.1.1.1 in a check's advice is the same for everyone; the user's own address is not."""
    from checks.net.verdict import ADVICE

    session = _session(
        advice=ADVICE["dns_failure"],
        summary="Asked 8.8.8.8 and 2001:4860:4860::8888 from 192.168.1.23",
    )
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    assert report["checks"][0]["advice"] == ADVICE["dns_failure"]
    assert "such as 1.1.1.1" in ADVICE["dns_failure"]
    for fmt, text in _all_formats(report).items():
        if fmt != "form":  # the short text names the checks that ruled things out, no more
            assert "Asked 8.8.8.8 and 2001:4860:4860::8888 from [IPv4-" in text, fmt
        assert "192.168.1.23" not in text, fmt


def test_placeholders_are_numbered_without_gaps_in_every_format() -> None:
    """Each kind counts 1, 2, 3… in the order the format shows it: no number hints at more."""
    from wizard.report.redact import PLACEHOLDER

    # A virtual interface first: its address is in the JSON only, before a shown one.
    virtual = {"name": "docker0", "kind": "virtual", "up": True, "addresses": ["172.17.0.1"]}
    device = DEVICE | {"interfaces": [virtual, *DEVICE["interfaces"]]}
    device["interfaces"][1] = device["interfaces"][1] | {"addresses": ["10.20.30.40"]}
    report = prepare(_session(), device=device, now=NOW, redactor=_redactor())
    for fmt, text in _all_formats(report).items():
        firsts: dict[str, list[int]] = {}
        for match in PLACEHOLDER.finditer(text):
            kind, number = match.group(0)[1:-1].rsplit("-", 1)
            seen = firsts.setdefault(kind, [])
            if int(number) not in seen:
                seen.append(int(number))
        assert firsts.get("IPv4"), fmt
        for kind, numbers in firsts.items():
            assert numbers == list(range(1, len(numbers) + 1)), (fmt, kind, numbers)


def test_a_solved_walk_is_titled_solved_not_support_request() -> None:
    session = _session()
    session.apply(Back(at="2026-11-23T10:02:00+00:00"))  # to the fix again: this time it helped
    session.apply(Verdict("fix-cache", True, at="2026-11-23T10:02:05+00:00"))
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    assert report["outcome"] == "solved"
    texts = _all_formats(report)
    assert texts["md"].startswith("# Solved: A sample guide: My likes vanish")
    assert texts["txt"].startswith("Solved: A sample guide: My likes vanish")
    assert texts["eml"].startswith("TikTok problem solved: A sample guide: My likes vanish")
    assert not any("Support request" in text for text in texts.values())
    assert "**Result:** Solved by the wizard" in texts["md"]


# --- export ------------------------------------------------------------------------------


def test_atomic_write_refuses_to_overwrite_and_leaves_nothing_partial(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    write_atomic(target, b"first")
    with pytest.raises(WriteError, match="already exists"):
        write_atomic(target, b"second")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second", overwrite=True)
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_missing_folder_and_folder_as_target(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "r.md", b"x")
    with pytest.raises(WriteError, match="is a folder"):
        write_atomic(tmp_path, b"x")


def _mount_tmpfs(where: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir()
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
        ).returncode
        == 0
    )


@pytest.mark.parametrize(
    ("options", "words"),
    [("ro,size=1m", "permission denied (is it read-only?)"), ("size=64k", "the disk is full")],
    ids=["read-only", "full"],
)
def test_read_only_and_full_disks(tmp_path: Path, options: str, words: str) -> None:
    mount = tmp_path / "mnt"
    if not _mount_tmpfs(mount, options):
        pytest.skip("needs root and tmpfs to make a read-only or full file system")
    try:
        with pytest.raises(
            WriteError, match=words.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
        ):
            write_atomic(mount / "r.json", b"x" * (1024 * 1024))
        assert list(mount.iterdir()) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# --- written for the agent -----------------------------------------------------------------


def test_the_first_lines_say_problem_ruled_out_tried_and_cause() -> None:
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor())
    text = render(report, "txt").decode()
    lines = text.splitlines()
    assert lines[0] == "Support request: A sample guide: My likes vanish"
    assert [line.split(":", 1)[0] for line in lines[2:9]] == [
        "The user says",
        "In the user's words",
        "Ruled out",
        "Found",  # the sample's check came back ok with lists of what it found
        "Tried, did not help",
        "Suspected cause",
        "Result",
    ]
    # The user's words in full, never cut, even past any line limit.
    assert lines[3].endswith("router [IPv4-1].")


def test_every_check_and_fact_names_its_device_and_source() -> None:
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=_redactor())
    for fact in report["facts"]:
        assert fact["device"] and fact["source"], fact
    text = render(report, "md").decode()
    assert "Where TikTok is used: Android phone or tablet (the phone; said by the user)" in text
    assert "probe (this computer; measured on this computer)" in text
    # Computer facts that do not bear on a phone problem stay out of every format.
    for fmt, shown in _all_formats(report).items():
        assert "wlan0" not in shown.split("Evidence")[0] or fmt in ("json", "eml")
        assert "memory" not in shown.lower() and "disk_free" not in shown, fmt
        assert "Interface" not in shown, fmt


def test_no_outcome_codes_or_internal_ids_in_text_formats() -> None:
    session = _session(summary="", outcome="android")
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    for fmt in ("form", "txt", "md"):
        text = render(report, fmt).decode()
        assert "→ Read" not in text and "(not run)" not in text, fmt
    from wizard.report.model import outcome_words

    assert outcome_words("likes_dropped") == "likes dropped"
    assert outcome_words(None) == "not run"


def test_a_fix_after_a_check_supersedes_the_fact_it_read() -> None:
    """After "Update the app" did not help, the version the user gave is history, not news."""
    from wizard.content.library import load_library
    from wizard.paths import builtin_content_dir

    guide = load_library([builtin_content_dir()], None).guides["disappearing-likes"]
    events = [
        Answer("platform", "android", at="2026-11-23T10:00:00+00:00"),
        Answer("what", "heart", at="2026-11-23T10:00:01+00:00"),
        Answer("heart-first", "other-network", at="2026-11-23T10:00:02+00:00"),
    ]
    session = Session.replay(guide, events)
    while session.current != "app-version":
        node = guide.nodes[session.current]
        if node.kind == "check":
            first = next(iter(node.on))
            session.apply(
                CheckDone(
                    node.id,
                    first,
                    {"summary": "fine", "status": "ok"},
                    at="2026-11-23T10:00:03+00:00",
                )
            )
        elif node.kind == "fix":
            session.apply(Verdict(node.id, False, at="2026-11-23T10:00:04+00:00"))
        elif node.kind == "info":
            session.apply(Continue(node.id, at="2026-11-23T10:00:04+00:00"))
        else:
            raise AssertionError(f"unexpected {node.kind} at {node.id}")
    session.apply(Input("app-version", "30.1.0", at="2026-11-23T10:01:00+00:00"))
    session.apply(
        CheckDone(
            "version-check",
            "outdated",
            {
                "summary": "Your app (30.1.0) is out of date: the latest is 37.5.0.",
                "status": "warning",
            },
            at="2026-11-23T10:01:01+00:00",
        )
    )
    session.apply(Verdict("fix-app", False, at="2026-11-23T10:02:00+00:00"))
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    version = next(f for f in report["facts"] if f["name"] == "app_version")
    assert version["value"].startswith("changed by “Update TikTok and clear what it has stored”")
    assert version["history"] == [{"value": "30.1.0", "source": "reported"}]
    text = render(report, "txt").decode()
    assert "Then tried “Update TikTok and clear what it has stored”: it did not help." in text
    assert "earlier: 30.1.0, said by the user" in text
    check = next(c for c in report["checks"] if c["check"] == "app_version")
    assert (check["device"], check["source"]) == ("the phone", "reported")
    # Updating did not help: the old version is no longer the suspect, and it says so.
    assert report["suspected_cause"].startswith("unclear: Is TikTok up to date? found")
    fix = "“Update TikTok and clear what it has stored”"
    assert report["suspected_cause"].endswith(f"but {fix} did not help")


def test_evidence_is_in_every_format_capped_with_a_count() -> None:
    vanished = [
        {"date": f"2026-10-{n:02}", "link": f"https://www.tiktok.com/@carol.films/video/{n}"}
        for n in range(1, 15)
    ]
    drops = [
        {
            "link": "https://www.tiktok.com/@me/video/9",
            "date": "2026-09-01",
            "before": 80,
            "after": 50,
        }
    ]
    session = _session(
        details={"vanished": vanished, "drops": drops, "not_following_back": ["dave.kowalski"]}
    )
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    for fmt, text in _all_formats(report).items():
        if fmt in ("json", "eml"):
            continue
        assert "Likes that vanished between the two exports (14; " in text or fmt == "form", fmt
        assert "https://www.tiktok.com/@[HANDLE-1]/video/1" in text, fmt
        assert "https://www.tiktok.com/@me/video/9: 80 → 50" in text, fmt
        assert "carol.films" not in text and "dave.kowalski" not in text, fmt
    md = render(report, "md").decode()
    assert "video/10\n" in md and "video/11\n" not in md and "… and 4 more" in md
    # The one-sided follow: its name is hidden, its own kind, and the count is what shows.
    assert "do not follow back (1; this computer; measured on this computer):" in md
    assert "(the names are hidden in this report)" in md


def test_other_peoples_handles_can_be_shown() -> None:
    session = _session()
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor({"handle"}))
    text = render(report, "md").decode()
    assert "@dave.kowalski" in text and "@carol.films/video/71" in text


def test_the_wizards_own_text_is_never_redacted() -> None:
    """A guide title that happens to hold a user's name stays; the user's words do not."""
    redactor = _redactor()
    redactor.usernames.append("Clear")  # the fix's title is "Clear the cache"
    report = prepare(_session(), device=DEVICE, now=NOW, redactor=redactor)
    assert report["tried"] == ["Clear the cache"]
    assert report["fixes"][0]["title"] == "Clear the cache"


def test_the_short_text_fits_the_form_and_is_the_default() -> None:
    from wizard.report.render import DEFAULT_FORMAT, FORM_LIMIT

    assert DEFAULT_FORMAT == "form"
    vanished = [
        {"date": "2026-10-01", "link": f"https://www.tiktok.com/@x/video/{n}"} for n in range(400)
    ]
    report = prepare(
        _session(details={"vanished": vanished}), device=DEVICE, now=NOW, redactor=_redactor()
    )
    short = render(report, "form").decode()
    assert len(short) <= FORM_LIMIT
    assert "Likes that vanished between the two exports: 400" in short
    assert "and 397 more" in short
    assert len(render(report, "txt").decode()) > FORM_LIMIT


def test_eml_headers_are_short_single_lines_with_no_fake_sender() -> None:
    session = _session()
    session.apply(Note("é" * 300, at="2026-11-23T10:00:09+00:00"))
    data = render(prepare(session, device=DEVICE, now=NOW, redactor=_redactor()), "eml")
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["From"] is None and message["To"] is None
    subject = str(message["Subject"])
    assert "\n" not in subject and len(subject) <= 70
    for raw in data.split(b"\n\n", 1)[0].splitlines():
        assert not raw.startswith((b" ", b"\t")), "a folded header"
        assert len(raw) < 78 or raw.startswith(b"Content-Type: multipart/mixed; boundary="), raw
    assert message.get_body(("plain",)).get_content().startswith("Support request:")
    attachment = next(message.iter_attachments())
    assert json.loads(attachment.get_content())["user_words"] == "é" * 300


def test_a_solved_walk_says_what_fixed_it() -> None:
    session = _session()
    session.apply(Back(at="2026-11-23T10:02:00+00:00"))
    session.apply(Verdict("fix-cache", True, at="2026-11-23T10:02:05+00:00"))
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    text = render(report, "txt").decode()
    assert text.splitlines()[2] == "What fixed it: Clear the cache"
    assert "Suspected cause" not in text


def test_the_short_text_keeps_to_its_limit_with_long_findings() -> None:
    from wizard.report.render import FORM_LIMIT

    session = _session(summary="Reached TikTok " + "and more " * 200, status="warning")
    report = prepare(session, device=DEVICE, now=NOW, redactor=_redactor())
    short = render(report, "form").decode()
    assert len(short) <= FORM_LIMIT
    assert report["user_words"] in short  # whole


def test_report_options_replay_from_a_stored_record() -> None:
    """The switches and words are an event: replayed from JSON they come back the same."""
    from wizard.engine import ReportOptions, event_from_dict

    session = _session()
    session.apply(ReportOptions(("ip", "handle"), ("Maplewood",), at="2026-11-23T10:03:00+00:00"))
    stored = json.loads(json.dumps(session.to_dict()))
    again = Session.from_dict(session.guide, stored)
    assert again.report_options is not None
    assert (again.report_options.shown, again.report_options.words) == (
        ("ip", "handle"),
        ("Maplewood",),
    )
    assert again.status == session.status and again.current == session.current
    assert event_from_dict(stored["events"][-1]).type == "report_options"


def test_a_walk_that_ends_without_a_fix_says_how_it_ended_not_what_fixed_it() -> None:
    from wizard.content.library import load_library
    from wizard.paths import builtin_content_dir

    guide = load_library([builtin_content_dir()], None).guides["disappearing-likes"]
    session = Session.replay(
        guide,
        [
            Answer("platform", "ios", at="2026-11-23T10:00:00+00:00"),
            Answer("what", "mine", at="2026-11-23T10:00:01+00:00"),
        ],
    )
    while not session.ended:  # the first answer of each question: the quickest ending
        node = guide.nodes[session.current]
        assert node.kind == "ask", node.id
        session.apply(Answer(node.id, node.options[0].key, at="2026-11-23T10:00:02+00:00"))
    assert session.status == "solved" and not any(
        f["helped"] for f in prepare(session, device=DEVICE, now=NOW)["fixes"]
    )
    text = render(prepare(session, device=DEVICE, now=NOW), "txt").decode()
    assert "What fixed it" not in text
    assert f"How it ended: {guide.nodes[session.current].heading}" in text
