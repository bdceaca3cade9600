"""Invitation mail: a signed, single-use token in a link to the web vault's accept page, queued in the same
transaction as the invite (the mail loop delivers it, retrying until the SMTP server takes it)."""

from __future__ import annotations

from mspvault.organization.domain.invite_token import MEMBER, ORGANIZATION
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.service_layer.ports import OrganizationWork


async def send_invite(work: OrganizationWork, org: Organization, member: Member, *, invited_by: str | None) -> None:
    if member.invite_nonce is None:
        raise ValueError("an invite needs a live nonce")
    ids = {ORGANIZATION: org.id, MEMBER: member.id}
    token = work.tokens.issue(ids, email=member.email, nonce=member.invite_nonce, now=work.clock())
    inviter = f"{invited_by} invited you" if invited_by else "You have been invited"
    body = (
        f"{inviter} to join the organization {org.name} on MSPVault.\n\n"
        f"Accept the invitation (valid for 5 days, usable once):\n{work.links.accept_url(org, member, token)}\n\n"
        "If you do not have an account yet, create one with this email address first.\n"
    )
    await work.store.queue_mail(to=member.email, subject=f"Join {org.name}", body=body)
