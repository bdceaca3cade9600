"""Small builders for provider unit tests: a provider opened, accepted and set up by its first admin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from mspvault.provider.domain.client import ClientLink
from mspvault.provider.domain.enums import PlanType, ProviderType, ProviderUserType
from mspvault.provider.domain.invite_token import PROVIDER_USER, Invite
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import ProviderUser, Roster
from mspvault.shared.testing.samples import FIXED_ENC_STRING

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SYM = FIXED_ENC_STRING
RSA = "4.cnNhLWNpcGhlcnRleHQ="


def claims_for(row: ProviderUser) -> Invite:
    assert row.invite_nonce is not None
    return Invite(ids={PROVIDER_USER: row.id}, email=row.email, nonce=row.invite_nonce, issued_at=NOW)


def accept(roster: Roster, row: ProviderUser, user_id: uuid.UUID | None = None) -> uuid.UUID:
    user_id = user_id or uuid.uuid4()
    roster.accept(row.id, claims_for(row), user_id=user_id, email=row.email, now=NOW)
    return user_id


def set_up_roster(provider_type: ProviderType = ProviderType.MSP) -> tuple[Roster, uuid.UUID]:
    """A provider past setup; returns it and its first admin's account id."""
    roster = Roster.open(Provider.new(name="Acme MSP", type=provider_type, now=NOW), owner_email="Alice@Acme.test")
    admin_id = accept(roster, roster.users[0])
    roster.complete_setup(user_id=admin_id, key=RSA, name="Acme MSP", business_name=None, billing_email=None, now=NOW)
    roster.events.clear()
    roster.affected_users.clear()
    return roster, admin_id


def add_member(roster: Roster, email: str, type: ProviderUserType, *, confirm: bool = True) -> ProviderUser:
    (row,) = roster.invite([email], type, NOW)
    accept(roster, row)
    if confirm:
        roster.confirm(row.id, RSA, NOW)
    roster.events.clear()
    roster.affected_users.clear()
    return row


def contoso_client(roster: Roster) -> ClientLink:
    """Client organization Contoso, created by the roster's provider; its creation event already sent."""
    link = ClientLink.create(
        roster.provider,
        name="Contoso",
        owner_email="carol@contoso.test",
        plan_type=int(PlanType.ENTERPRISE_MONTHLY),
        seats=10,
        key=SYM,
        public_key="MIIBIjANBg==",
        encrypted_private_key=SYM,
        now=NOW,
    )
    link.events.clear()
    return link
