"""``wizard serve`` in a real browser: Debian's Chromium, driven by Playwright.

The page is read where a person reads it, in the terminal xterm.js draws (its buffer,
through ``page.evaluate``); keys are typed on the page; the export arrives as a download.
Skipped, saying why, where Chromium or Playwright is missing; never passed without a run.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serving import Served, serve
from tests.world import World

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# textual-serve's page keeps its xterm.js Terminal to itself: catch it as it is stored.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    window.__wizardTerminal = value;
    Object.defineProperty(this, 'terminal', {
      value, writable: true, configurable: true, enumerable: true });
  },
});
"""
READ_SCREEN = """() => {
  const terminal = window.__wizardTerminal;
  if (!terminal) return '';
  const buffer = terminal.buffer.active, lines = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    lines.push(line ? line.translateToString(true) : '');
  }
  return lines.join('\\n');
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def screen_of(page: Any) -> str:
    """The terminal's text as the browser shows it."""
    return str(page.evaluate(READ_SCREEN))


def wait_screen(page: Any, done: Callable[[str], bool], timeout: float = 20.0) -> str:
    """Wait until the terminal shows what ``done`` looks for; fail showing the screen."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen_of(page)
        if done(text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"the screen never showed it; it shows:\n{text}")


def press_until(page: Any, key: str, done: Callable[[str], bool], tries: int = 10) -> None:
    """Press ``key`` until the screen shows ``done`` (a key that waits for focus to land)."""
    for _ in range(tries):
        page.keyboard.press(key)
        try:
            wait_screen(page, done, timeout=2.0)
            return
        except AssertionError:
            continue
    wait_screen(page, done, timeout=0)


def open_wizard(browser: Any, served: Served) -> tuple[Any, Any, float]:
    """A new browser context on the printed URL; the page, and seconds to the home screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.add_init_script(CATCH_TERMINAL)
    started = time.monotonic()
    page.goto(served.url)
    wait_screen(page, lambda s: "Guides" in s and "My likes keep disappearing" in s)
    return context, page, time.monotonic() - started


def test_home_screen_in_the_browser_and_the_token_leaves_the_address(
    browser: Any, tmp_path: Path
) -> None:
    with serve(tmp_path) as served:
        context, page, seconds = open_wizard(browser, served)
        assert seconds < 10, f"the home screen took {seconds:.1f} s"
        assert "token" not in page.url
        assert page.url == f"{served.base}/"
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["wizard_token"]["httpOnly"] is True
        assert cookies["wizard_token"]["sameSite"] == "Strict"
        assert "measure that computer's network" in " ".join(screen_of(page).split())
        assert page.evaluate("() => document.cookie") == ""  # invisible to scripts
        page.focus(".xterm-helper-textarea")
        page.keyboard.press("q")  # quitting the app ends its process and says so on the page
        served.wait_children(0, 10)
        page.wait_for_selector("body.-closed", state="attached", timeout=10_000)
        assert page.is_visible("text=Session ended")
        context.close()


def test_a_guide_walked_to_a_downloaded_redacted_report(
    browser: Any, world: World, tmp_path: Path
) -> None:
    with serve(tmp_path, *world.args()) as served:
        context, page, _ = open_wizard(browser, served)
        downloads: list[Any] = []

        def got(download: Any) -> None:
            downloads.append(download)

        context.on("page", lambda popup: popup.on("download", got))
        page.on("download", got)
        page.focus(".xterm-helper-textarea")
        keys = page.keyboard
        keys.press("Enter")  # the first guide: my likes keep disappearing
        wait_screen(page, lambda s: "— step 1," in s)
        for key, step in (("1", 2), ("5", 3)):  # Android; something else
            keys.press(key)
            wait_screen(page, lambda s, step=step: f"— step {step}," in s)
        press_until(page, "Enter", lambda s: "support report" in s.lower())  # past the words
        keys.press("Enter")  # prepare the support report
        wait_screen(page, lambda s: "exactly what will be exported" in s and "Support request" in s)
        # The words box has the focus: a line with an e-mail address, which must not leave.
        keys.type("Write to jane.doe@example.com please")
        wait_screen(page, lambda s: "[EMAIL-1]" in s)  # the preview, already redacted
        keys.press("Control+e")
        dialog = wait_screen(page, lambda s: "Export the report" in s)
        assert "tiktok-support-disappearing-likes.txt" in dialog
        assert "/root" not in dialog and "/home" not in dialog and "/tmp" not in dialog
        keys.press("Enter")
        deadline = time.monotonic() + 20
        while not downloads and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert downloads, f"no download arrived; the screen shows:\n{screen_of(page)}"
        download = downloads[0]
        assert download.suggested_filename == "tiktok-support-disappearing-likes.txt"
        saved = tmp_path / "got.txt"
        download.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        assert text.startswith("Support request: My likes keep disappearing")
        assert "jane.doe@example.com" not in text
        assert "[EMAIL-1]" in text
        assert str(served.home) not in text
        wait_screen(page, lambda s: "Sent to your browser" in s)
        context.close()
        served.wait_children(0, 10)
