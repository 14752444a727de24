"""The HTML the server answers with: the terminal page, and the pages that say no."""

from __future__ import annotations

from html import escape

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
"""Sent with every answer: nothing cached, no address leaked onwards, never framed."""


def page_policy(host: str) -> str:
    """The Content-Security-Policy of the terminal page: only this server's own files."""
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"connect-src 'self' ws://{host}; img-src 'self' data:; font-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


_STYLE = """
body { background: #0c181f; color: #eee; margin: 0; font-family: sans-serif; }
.note { max-width: 36em; margin: 3em auto; padding: 1.5em; background: #12232d; line-height: 1.5; }
#terminal { position: absolute; inset: 0; }
.closed { display: none; position: absolute; inset: 0; z-index: 10; }
body.-closed .closed { display: block; }
"""


def _note(title: str, text: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{_STYLE}</style></head><body><div class='note'><h1>{escape(title)}</h1>"
        f"<p>{escape(text)}</p></div></body></html>"
    )


FORBIDDEN = _note(
    "Not allowed",
    "This address needs the link that 'wizard serve' printed, with its token. "
    "Open that link exactly as printed.",
)

BAD_HOST = _note(
    "Not allowed",
    "Open the wizard by the address that 'wizard serve' printed (a number address, not a name).",
)


def busy(limit: int) -> str:
    """The page for a visitor when every session is taken."""
    return _note(
        "The wizard is busy",
        f"All {limit} sessions are in use. Try again in a few minutes, once someone has "
        "closed their tab.",
    )


def terminal(static_url: str, websocket_url: str) -> str:
    """The page that shows the wizard: textual-serve's terminal, fed by our websocket."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>wizard</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<link rel='stylesheet' href='{escape(static_url)}css/xterm.css'>"
        f"<script src='{escape(static_url)}js/textual.js'></script>"
        f"<style>{_STYLE}</style></head><body>"
        "<div class='closed'><div class='note'><h1>Session ended</h1>"
        "<p>This wizard session has ended: the app was closed, nothing was typed for too "
        "long, every session was taken (the wizard is busy), or the server stopped. "
        "Reload the page to start a new one.</p></div></div>"
        f"<div id='terminal' class='textual-terminal' data-session-websocket-url="
        f"'{escape(websocket_url)}' data-font-size='16'></div></body></html>"
    )
