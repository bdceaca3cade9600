"""The worlds the browser modules start from, set up through the API as `mspvault demo` does: what a test checks goes
through the UI, what it starts from does not.

- `provider_admin(system, connection, tag)`: the operator opens "Acme <tag>" (an MSP); Alice registers and sets it up
  from the invitation mail (her client holds the provider key).
- `provider_with_client(system, seats=…)`: that, plus Alice's client organization "Contoso <tag>" (Enterprise), its org
  key opened in her client.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from mspvault.client import MSPVaultClient
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import Connection, Person, eventually, operator_session, sign_up
from mspvault.client.providers import ClientPlanType, ProviderType
from mspvault.deploy.system import System
from tests.conftest import OPERATOR_EMAIL

OPERATOR_PASSWORD = "operator-password-e2e"  # the e2e suite's operator: same system, same account


@dataclass
class ProviderAdmin:
    provider_id: str
    provider_name: str
    alice: Person
    alice_client: MSPVaultClient  # logged in and synced: it holds the provider key; the caller closes it


@dataclass
class ProviderWithClient:
    tag: str
    connection: Connection
    provider_id: str
    provider_name: str
    org_id: str
    org_name: str
    alice: Person
    alice_client: MSPVaultClient  # holds the provider key and the client's org key


async def provider_admin(system: System, connection: Connection, tag: str) -> ProviderAdmin:
    """Acme <tag>, opened by the operator and set up by Alice, its Provider Admin. The caller closes her client."""
    alice = Person("Alice", f"alice.{tag}@acme.example", f"alice-{uuid.uuid4().hex}")
    name = f"Acme {tag}"
    operator = await operator_session(connection, OPERATOR_EMAIL, OPERATOR_PASSWORD, system.mail_dir)
    try:
        await operator.providers.open(name=name, owner_email=alice.email, provider_type=ProviderType.MSP)
    finally:
        await operator.aclose()
    invitation = await wait_for_invitation(system.mail_dir, alice.email, InviteKind.PROVIDER, timeout=30)
    alice_client = await sign_up(connection, alice)
    try:
        await alice_client.providers.setup(
            invitation.provider_id, token=invitation.token, name=name, billing_email=alice.email
        )
        await alice_client.vault.sync()  # the profile now carries Alice's provider key
    except BaseException:
        await alice_client.aclose()
        raise
    return ProviderAdmin(invitation.provider_id, name, alice, alice_client)


@asynccontextmanager
async def provider_with_client(system: System, *, seats: int) -> AsyncIterator[ProviderWithClient]:
    """Acme and its Provider Admin Alice, with the client Contoso (Enterprise, `seats` seats); Alice's client is
    closed on the way out."""
    tag = uuid.uuid4().hex[:6]
    connection = Connection(system.gateway_url, ca=system.ca_path)
    admin = await provider_admin(system, connection, tag)
    alice_client = admin.alice_client
    try:
        org_name = f"Contoso {tag}"
        created = await eventually(
            lambda: alice_client.providers.create_client(
                admin.provider_id,
                name=org_name,
                owner_email=f"it.{tag}@contoso.example",
                plan_type=ClientPlanType.ENTERPRISE_MONTHLY,
                seats=seats,
            )
        )
        org_id = created.organization_id
        assert org_id, created
        await alice_client.vault.sync()  # the profile now lists the client, its org key under the provider key
        yield ProviderWithClient(
            tag, connection, admin.provider_id, admin.provider_name, org_id, org_name, admin.alice, alice_client
        )
    finally:
        await alice_client.aclose()
