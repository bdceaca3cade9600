"""Helpers of the portal's browser suite: what every test needs to watch a real Chromium use the portal.

- `RequestRecorder`: every request the pages of a browser context make (URL, method, body), so a test can assert
  that no master password, key or plaintext field ever left the browser.
- `ProblemLog`: uncaught page errors and console errors (a CSP refusal is one), to assert a page ran clean.
- `assert_accessible(page)`: axe-core in the page; no serious or critical violation.
- `shot(page, name)`: a full-page screenshot under test-artifacts/portal/.
- `invite_link(system, email, kind)`: the link of the newest invitation mail for `email` in the system's mail sink.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from axe_playwright_python.async_playwright import Axe

from mspvault.client.mailbox import InviteKind, wait_for_invitation

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, ConsoleMessage, Page, Request

    from mspvault.deploy.system import System

SHOTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
MAIL_TIMEOUT = 30.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    url: str
    body: bytes

    def contains(self, secret: str) -> bool:
        """The secret as it is, URL-encoded, JSON-escaped, or exactly it in base64 (a secret inside a larger
        base64 blob is not seen: pass binary keys as their own base64 strings)."""
        text = self.url.encode() + b"\n" + self.body
        return any(form in text for form in _encodings(secret))


@dataclass
class RequestRecorder:
    """Attach to a context before the first page opens; every request of every page in it is kept."""

    requests: list[RecordedRequest] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> RequestRecorder:
        context.on("request", self._record)
        return self

    def _record(self, request: Request) -> None:
        self.requests.append(RecordedRequest(request.method, request.url, request.post_data_buffer or b""))

    def leaks(self, secrets: dict[str, str]) -> list[str]:
        """`name in METHOD URL` for each named secret found in a request; an empty secret is a test bug."""
        assert all(secrets.values()), "every secret to look for must be non-empty"
        return [
            f"{name} in {request.method} {request.url}"
            for request in self.requests
            for name, secret in secrets.items()
            if request.contains(secret)
        ]

    def assert_no_leak(self, secrets: dict[str, str]) -> None:
        assert self.requests, "no request was recorded: attach the recorder before the page opens"
        found = self.leaks(secrets)
        assert not found, "secrets left the browser:\n" + "\n".join(found[:20])


@dataclass
class ProblemLog:
    """Uncaught errors and console errors of a page; `clear()` after a step that is meant to log one (a 404)."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> ProblemLog:
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        return self

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def clear(self) -> None:
        self.problems.clear()

    def assert_clean(self) -> None:
        assert not self.problems, "the page logged errors:\n" + "\n".join(self.problems)


async def assert_accessible(page: Page, *, exclude: list[str] | None = None) -> None:
    """axe-core on the page as it is now: no violation of serious or critical impact (`exclude`: CSS selectors)."""
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = await Axe().run(page, context=context, options={"resultTypes": ["violations"]})
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    report = [
        f"{v['impact']}: {v['id']} ({v['help']}) at " + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in blocking
    ]
    assert not blocking, f"accessibility violations on {page.url}:\n" + "\n".join(report)


async def shot(page: Page, name: str) -> Path:
    """A full-page screenshot kept as test-artifacts/portal/<name>.png (for the README and for post-mortems)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
    path = SHOTS_DIR / f"{safe}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    return path


async def invite_link(system: System, email: str, kind: InviteKind, *, timeout: float = MAIL_TIMEOUT) -> str:  # noqa: ASYNC109
    """The portal link (`https://…/#/…accept…?…&token=…`) of the newest invitation of `kind` mailed to `email`."""
    invitation = await wait_for_invitation(system.mail_dir, email, kind, timeout=timeout)
    return invitation.link


def _encodings(secret: str) -> set[bytes]:
    raw = secret.encode()
    return {
        raw,
        quote(secret, safe="").encode(),
        quote_plus(secret).encode(),
        json.dumps(secret)[1:-1].encode(),
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw).rstrip(b"="),
    }
