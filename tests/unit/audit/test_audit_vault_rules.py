"""The vault's item-log rules: who may read an item's events, and for which provider a user acted."""

from __future__ import annotations

import uuid

from mspvault.vault.domain.access import CallerFacts, CipherFacts, ClientLink, Membership, ProviderMembership
from mspvault.vault.domain.audit import acting_provider, may_read_cipher_events

ORG, ACME, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
OWNER, ADMIN, USER, CUSTOM = 0, 1, 2, 4
CONFIRMED, REVOKED = 2, -1
ITEM = CipherFacts(owner_id=None, organization_id=ORG)


def caller(
    membership: Membership | None = None, provider: ProviderMembership | None = None, linked_to: uuid.UUID = ACME
) -> CallerFacts:
    return CallerFacts(
        uuid.uuid4(),
        memberships={ORG: membership} if membership else {},
        providers={ACME: provider} if provider else {},
        client_links={ORG: ClientLink(linked_to)},
    )


def test_a_provider_user_acts_for_the_provider_unless_a_confirmed_owner_in_their_own_right() -> None:
    active = ProviderMembership(confirmed=True)
    assert acting_provider(caller(provider=active), ORG) == ACME
    assert acting_provider(caller(Membership(ADMIN, CONFIRMED), active), ORG) == ACME
    assert acting_provider(caller(Membership(OWNER, CONFIRMED), active), ORG) is None
    assert acting_provider(caller(provider=ProviderMembership(confirmed=True, revoked=True)), ORG) is None
    assert acting_provider(caller(provider=active, linked_to=OTHER), ORG) is None
    assert acting_provider(caller(Membership(USER, CONFIRMED)), ORG) is None


def test_an_items_log_is_for_owners_admins_custom_log_readers_and_the_providers_users() -> None:
    assert may_read_cipher_events(caller(Membership(OWNER, CONFIRMED)), ITEM)
    assert may_read_cipher_events(caller(Membership(ADMIN, CONFIRMED)), ITEM)
    assert may_read_cipher_events(caller(Membership(CUSTOM, CONFIRMED)), ITEM, {"accessEventLogs": True})
    assert may_read_cipher_events(caller(provider=ProviderMembership(confirmed=True)), ITEM)
    assert not may_read_cipher_events(caller(Membership(CUSTOM, CONFIRMED)), ITEM, {"editAnyCollection": True})
    assert not may_read_cipher_events(caller(Membership(USER, CONFIRMED)), ITEM)
    assert not may_read_cipher_events(caller(Membership(ADMIN, REVOKED)), ITEM)
    assert not may_read_cipher_events(caller(provider=ProviderMembership(confirmed=True, revoked=True)), ITEM)


def test_a_personal_items_log_is_its_owners() -> None:
    me = caller()
    assert may_read_cipher_events(me, CipherFacts(owner_id=me.user_id, organization_id=None))
    assert not may_read_cipher_events(me, CipherFacts(owner_id=uuid.uuid4(), organization_id=None))
