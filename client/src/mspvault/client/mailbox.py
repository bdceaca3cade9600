"""Invitations read from the development mail sink: one `.eml` file per message under `<data dir>/mail/`.

Invites are links whose query (in the URL fragment, as Bitwarden's web vault routes them) carries the ids and the
token, e.g. `…/#/providers/accept-provider?providerId=…&providerUserId=…&email=…&token=…`.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import html
import re
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

_LINK = re.compile(r"https?://[^\s\"'<>]+")


class InviteKind(StrEnum):
    """Which invitation; the value is the query parameter that names the invited membership."""

    PROVIDER = "providerUserId"
    ORGANIZATION = "organizationUserId"


class InvitationNotFound(Exception):
    """No matching invitation arrived in the mail directory in time."""


@dataclass(frozen=True)
class Invitation:
    to: str
    subject: str
    link: str = field(repr=False)
    params: dict[str, str] = field(repr=False)  # the link's query: ids, email, token
    path: Path

    @property
    def token(self) -> str:
        return self.params["token"]

    @property
    def membership_id(self) -> str:
        """The provider-user or organization-user id the invitation is for."""
        return self.params.get(InviteKind.PROVIDER) or self.params[InviteKind.ORGANIZATION]

    @property
    def provider_id(self) -> str:
        return self.params["providerId"]

    @property
    def organization_id(self) -> str:
        return self.params["organizationId"]


def link_params(link: str) -> dict[str, str]:
    """The query of an invite link: taken from the fragment (`#/route?a=b`) when there is one, else the URL."""
    parts = urlsplit(link)
    query = parts.fragment.partition("?")[2] if "?" in parts.fragment else parts.query
    return {name: values[0] for name, values in parse_qs(query).items() if values}


def parse_invitations(path: Path) -> list[Invitation]:
    """Every link with a token in one stored message (usually one)."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if not isinstance(message, EmailMessage):  # guaranteed by policy.default; narrows the type
        return []
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if isinstance(body, EmailMessage) else ""
    found = []
    for raw in _LINK.findall(text):
        link = html.unescape(raw).rstrip(".,;)")
        params = link_params(link)
        if "token" in params:
            found.append(Invitation(str(message["To"] or ""), str(message["Subject"] or ""), link, params, path))
    return found


def find_invitation(mail_dir: Path, recipient: str, kind: InviteKind) -> Invitation | None:
    """The newest invitation of this kind addressed to `recipient` (a reinvite supersedes older mail)."""
    wanted = recipient.strip().lower()
    newest: Invitation | None = None
    for path in sorted(mail_dir.glob("*.eml")):  # names sort by arrival
        for invitation in parse_invitations(path):
            addressed_to = invitation.params.get("email", invitation.to).strip().lower()
            if kind.value in invitation.params and (addressed_to == wanted or wanted in invitation.to.lower()):
                newest = invitation
    return newest


async def wait_for_invitation(
    mail_dir: Path,
    recipient: str,
    kind: InviteKind,
    *,
    timeout: float = 30.0,  # noqa: ASYNC109  # a deadline for the whole wait, not for one call
    interval: float = 0.2,
) -> Invitation:
    """Mail goes out from an outbox after the request commits, so it arrives a moment later: poll for it."""
    deadline = time.monotonic() + timeout
    while True:
        invitation = await asyncio.to_thread(find_invitation, mail_dir, recipient, kind)
        if invitation is not None:
            return invitation
        if time.monotonic() >= deadline:
            what = "provider" if kind is InviteKind.PROVIDER else "organization"
            raise InvitationNotFound(f"no {what} invitation for {recipient} arrived in {mail_dir} within {timeout:g}s")
        await asyncio.sleep(interval)


_CODE = re.compile(r"two-step login code is (\d{6})")


def two_step_codes(mail_dir: Path, recipient: str) -> list[str]:
    """Every two-step login code mailed to `recipient`, oldest first (identity mails one per request)."""
    wanted = recipient.strip().lower()
    codes = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if not isinstance(message, EmailMessage) or wanted not in str(message["To"] or "").lower():
            continue
        body = message.get_body(preferencelist=("plain",))
        codes += _CODE.findall(body.get_content() if isinstance(body, EmailMessage) else "")
    return codes


def find_verification_link(mail_dir: Path, recipient: str) -> dict[str, str] | None:
    """The query (`userId`, `token`) of the newest email verification link mailed to `recipient`."""
    wanted = recipient.strip().lower()
    newest: dict[str, str] | None = None
    for path in sorted(mail_dir.glob("*.eml")):
        for found in parse_invitations(path):
            if "/verify-email?" in found.link and wanted in found.to.lower() and "userId" in found.params:
                newest = found.params
    return newest


async def wait_for_verification_link(
    mail_dir: Path,
    recipient: str,
    *,
    timeout: float = 30.0,  # noqa: ASYNC109  # a deadline for the whole wait, not for one call
    interval: float = 0.2,
) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        params = await asyncio.to_thread(find_verification_link, mail_dir, recipient)
        if params is not None:
            return params
        if time.monotonic() >= deadline:
            raise InvitationNotFound(f"no verification link for {recipient} arrived in {mail_dir} within {timeout:g}s")
        await asyncio.sleep(interval)
