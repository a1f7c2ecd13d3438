"""The editing server's locks: who may talk to it, and what a browser may do with its pages.

- Only this machine: the server listens on 127.0.0.1, and a request naming another Host
  (a web page using DNS rebinding to reach it) is refused.
- Only the person it was started for: the address it prints carries a random one-time
  token, swapped on first use for a cookie (HttpOnly, SameSite=Strict) that every other
  page needs.
- Only its own pages may change the plan: a POST must come from this origin (Origin
  header) and carry the page's CSRF token.
- A page cannot be framed or run scripts from anywhere (Content-Security-Policy), and a
  file is never read as another type (nosniff).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

HOST = "127.0.0.1"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class Gate:
    """The secrets of one editing session, made fresh each time the editor starts."""

    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    token_used: bool = False

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def cookie(self) -> str:
        """The cookie's name, with the port: browsers share cookies between a host's ports, so two
        editors open at once (the person's and the carer's, say) each keep their own."""
        return f"wellplan_editor_{self.port}"

    @property
    def start_url(self) -> str:
        return f"{self.origin}/start?token={self.token}"

    def host_ok(self, host: str | None) -> bool:
        return host == f"{HOST}:{self.port}"

    def take_token(self, token: str | None) -> bool:
        """True once, for the token the start address carries."""
        if self.token_used or not token or not hmac.compare_digest(token, self.token):
            return False
        self.token_used = True
        return True

    def cookie_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value or "", self.session)

    def post_ok(self, origin: str | None, csrf: str | None) -> bool:
        return origin == self.origin and bool(csrf) and hmac.compare_digest(csrf or "", self.csrf)
