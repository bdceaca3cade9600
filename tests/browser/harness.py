"""Helpers of the portal's browser suite: what every test needs to watch a real Chromium use the portal.

- `RequestRecorder`: every request the pages of a browser context make (URL, method, body), so a test can assert
  that no master password, key or plaintext field ever left the browser.
- `ProblemLog`: uncaught page errors and console errors (a CSP refusal is one), to assert a page ran clean.
- `assert_accessible(page)`: axe-core in the page; no serious or critical violation.
- `assert_keyboard_reachable(page)`: Tab through the page (or its open dialog) and reach every control.
- `shot(page, name)`: a full-page screenshot under test-artifacts/portal/.
- `invite_link(system, email, kind)`: the link of the newest invitation mail for `email` in the system's mail sink.
- `fingerprint_of(client)`: the fingerprint phrase a confirm dialog must show for the person behind `client`.
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

from mspvault.client.crypto import public_key_of
from mspvault.client.fingerprint import fingerprint_phrase
from mspvault.client.mailbox import InviteKind, wait_for_invitation

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, ConsoleMessage, Page, Request

    from mspvault.client import MSPVaultClient
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


# Every enabled, rendered control of the page (or of its open modal dialog, which traps focus), numbered in
# window.__controls; the radio buttons of one group, or the members of one composite widget (tabs, toolbar, menu…),
# count once: Tab enters such a group at one member and the arrow keys move within it.
_LIST_CONTROLS = """() => {
  const COMPOSITE = '[role="tablist"], [role="radiogroup"], [role="toolbar"], [role="menu"], [role="menubar"], '
    + '[role="listbox"], [role="grid"], [role="tree"]';
  const scope = document.querySelector("dialog[open]") ?? document.body;
  const native = "a[href], button, input, select, textarea, summary";
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const visible = getComputedStyle(el).visibility !== "hidden";
    return (box.width > 0 || box.height > 0) && visible && el.closest("[inert]") === null;
  };
  const scripted = (el) => el.getAttribute("tabindex") === "-1" && !el.matches(native);  // focus targets
  const controls = [...scope.querySelectorAll(native + ", [tabindex]")].filter(
    (el) => !el.disabled && el.type !== "hidden" && shown(el) && !scripted(el),
  );
  window.__controls = controls;
  // Composite widgets (tabs, toolbars, menus…) keep one member in the Tab order and move with the arrow keys.
  const composites = [...document.querySelectorAll(COMPOSITE)];
  const roving = (el) => {
    const owner = el.closest(COMPOSITE);
    return owner === null ? null : "composite:" + composites.indexOf(owner);
  };
  const nameOf = (el) => el.getAttribute("aria-label") ?? el.labels?.[0]?.textContent ?? el.textContent ?? "";
  return controls.map((el) => ({
    what: `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} "${nameOf(el).trim().slice(0, 40)}"`,
    tabindex: el.getAttribute("tabindex"),
    group: el.type === "radio" && el.name ? "radio:" + el.name : roving(el),
  }));
}"""


async def assert_keyboard_reachable(page: Page) -> None:
    """Every control of the page (or of its open dialog) takes focus from the Tab key, and none jumps the order
    with a positive tabindex. Press Tab until focus comes back round; whatever was never focused is reported."""
    controls: list[dict[str, str | None]] = await page.evaluate(_LIST_CONTROLS)
    positive = [c["what"] for c in controls if c["tabindex"] and int(c["tabindex"]) > 0]
    assert not positive, f"positive tabindex on {page.url}: {positive}"
    await page.evaluate("() => { document.activeElement?.blur?.(); }")
    reached: set[int] = set()
    first: int | None = None
    for _ in range(len(controls) * 2 + 10):
        await page.keyboard.press("Tab")
        index: int = await page.evaluate("() => window.__controls.indexOf(document.activeElement)")
        if index == first:
            break  # came back round
        if index >= 0:
            first = index if first is None else first
            reached.add(index)
    groups_reached = {controls[i]["group"] for i in reached if controls[i]["group"]}
    missed = [
        c["what"]
        for i, c in enumerate(controls)
        if i not in reached and not (c["group"] and c["group"] in groups_reached)
    ]
    assert not missed, f"not reachable with Tab on {page.url}: {missed}"


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


def fingerprint_of(client: MSPVaultClient) -> str:
    """The phrase made here from the person's user id and own public key: what the page must show before it wraps a
    key to that public key."""
    session = client.session
    return fingerprint_phrase(session.user_id, public_key_of(session.private_key))


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
