"""Invitation mail: a signed, single-use token in a link to the web vault's accept page, queued in the same
transaction as the invite (the MailSender loop delivers it, retrying until the SMTP server takes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import mail_outbox
from mspvault.organization.domain.invite_token import InviteTokens
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.shared.mail import queue_mail


@dataclass(frozen=True)
class InviteMailer:
    tokens: InviteTokens
    public_url: str

    def link(self, org: Organization, member: Member, token: str) -> str:
        query = urlencode(
            {
                "organizationId": str(org.id),
                "organizationUserId": str(member.id),
                "email": member.email,
                "organizationName": org.name,
                "token": token,
            }
        )
        return f"{self.public_url.rstrip('/')}/#/accept-organization?{query}"

    async def send(
        self, session: AsyncSession, org: Organization, member: Member, *, invited_by: str | None, now: datetime
    ) -> None:
        if member.invite_nonce is None:
            raise ValueError("an invite needs a live nonce")
        token = self.tokens.issue(org.id, member.id, member.email, member.invite_nonce, now)
        inviter = f"{invited_by} invited you" if invited_by else "You have been invited"
        body = (
            f"{inviter} to join the organization {org.name} on MSPVault.\n\n"
            f"Accept the invitation (valid for 5 days, usable once):\n{self.link(org, member, token)}\n\n"
            "If you do not have an account yet, create one with this email address first.\n"
        )
        await queue_mail(session, mail_outbox, to=member.email, subject=f"Join {org.name}", body=body)
