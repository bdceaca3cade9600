"""The demo world of DESIGN.md §5, built through the gateway with real client-side crypto.

Acme MSP (Alice, Provider Admin; Bob, Service User) runs client organization Contoso, where Carol is a User.
Contoso has three collections: "Servers" (Carol may read), "Helpdesk" (Carol may edit) and "Finance" (Carol has no
access), so a collection filter has something to tell apart. Dave runs another provider, Globex IT, and sees none
of it. Every password is generated here and returned, so people can log in with the official clients afterwards.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mspvault.client.api import ApiError, MSPVaultClient
from mspvault.client.ciphers import Card, Identity, Login, LoginUri, PlainCipher, SecureNote, SshKey
from mspvault.client.generators import generate_password, generate_ssh_key
from mspvault.client.mailbox import Invitation, InviteKind, wait_for_invitation
from mspvault.client.onboarding import (
    Connection,
    Person,
    eventually,
    join_organization,
    join_provider,
    log_in,
    sign_up,
    verify_email,
    wait_for,
)
from mspvault.client.organizations import CollectionAccess
from mspvault.client.providers import ProviderType, ProviderUserType
from mspvault.client.wire import pick

Progress = Callable[[str], None]

DEFAULT_OPERATOR = "operator@mspvault.example"
# Vault writes into a client org depend on the vault's event-fed read model (collections, provider links); until
# it has caught up the vault may refuse them as unknown or not writable.
VAULT_NOT_YET = frozenset({400, 403, 404})


class DemoError(Exception):
    """A step of the demo cannot go on; the message says what to do."""


@dataclass(frozen=True)
class DemoOptions:
    connection: Connection
    mail_dir: Path
    tag: str = ""  # makes every e-mail unique, so the world can be built more than once on one system
    operator_email: str = DEFAULT_OPERATOR
    operator_password: str | None = None
    timeout: float = 60.0  # per eventually-consistent step


@dataclass
class DemoWorld:
    server: str
    operator: Person
    alice: Person
    bob: Person
    carol: Person
    dave: Person
    acme_id: str = ""
    globex_id: str = ""
    alice_provider_user_id: str = ""
    bob_provider_user_id: str = ""
    contoso_id: str = ""
    contoso_owner_email: str = ""
    carol_member_id: str = ""
    collections: dict[str, str] = field(default_factory=dict)  # name -> id, Contoso's
    items: dict[str, str] = field(default_factory=dict)  # item name -> id, every item made here
    collection_items: dict[str, list[str]] = field(default_factory=dict)  # collection name -> item ids
    secrets: dict[str, str] = field(default_factory=dict, repr=False)  # item name -> its password / key

    @property
    def people(self) -> list[Person]:
        return [self.operator, self.alice, self.bob, self.carol, self.dave]


def demo_email(local: str, domain: str, tag: str) -> str:
    return f"{local}.{tag}@{domain}" if tag else f"{local}@{domain}"


def new_world(options: DemoOptions) -> DemoWorld:
    tag = options.tag
    return DemoWorld(
        server=options.connection.server,
        operator=Person(
            "Platform operator",
            options.operator_email,
            options.operator_password or generate_password(),
            "Platform operator",
        ),
        alice=Person(
            "Alice", demo_email("alice", "acme.example", tag), generate_password(), "Provider Admin, Acme MSP"
        ),
        bob=Person("Bob", demo_email("bob", "acme.example", tag), generate_password(), "Service User, Acme MSP"),
        carol=Person("Carol", demo_email("carol", "contoso.example", tag), generate_password(), "User, Contoso"),
        dave=Person(
            "Dave", demo_email("dave", "globex.example", tag), generate_password(), "Provider Admin, Globex IT"
        ),
        contoso_owner_email=demo_email("it", "contoso.example", tag),
    )


class DemoBuilder:
    """`await DemoBuilder(options, progress).build()` → the world; each step reports through `progress`."""

    def __init__(self, options: DemoOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.connection = options.connection
        self.world = new_world(options)
        self._progress = progress or (lambda _message: None)
        self._clients: list[MSPVaultClient] = []

    async def build(self) -> DemoWorld:
        try:
            world = self.world
            operator = await self._operator()
            world.acme_id, world.alice_provider_user_id, alice = await self._provider_admin(
                operator, "Acme MSP", world.alice
            )
            bob = await self._service_user(alice)
            await self._client_org(bob)
            await self._collections_and_items(bob)
            await self._carol_checks_her_vault()
            world.globex_id, _, dave = await self._provider_admin(operator, "Globex IT", world.dave)
            self._say("Dave adds a personal item at Globex IT")
            await self._personal(dave, PlainCipher("Globex router", Login("admin", generate_password())))
            return world
        finally:
            for client in self._clients:
                with contextlib.suppress(Exception):
                    await client.aclose()

    # --- steps ------------------------------------------------------------------------------------------

    async def _operator(self) -> MSPVaultClient:
        operator = self.world.operator
        self._say(f"Operator {operator.email} logs in")
        client = self._track(self.connection.client())
        try:
            await client.register(operator.email, operator.password, name=operator.name, kdf=self.connection.kdf)
        except ApiError as error:
            if error.status != 400:
                raise
            if self.options.operator_password is None:
                raise DemoError(
                    f"the account {operator.email} exists already: pass its password (--operator-password), or "
                    "choose another operator e-mail"
                ) from error
        try:
            await client.login(operator.email, operator.password)
        except ApiError as error:
            raise DemoError(f"the operator cannot log in: {error.message}") from error
        # Operators count only once their account proved it reads the address (issue 11 #2): open the link mailed.
        self._say(f"Operator {operator.email} verifies the e-mail address (the link from the mail sink)")
        await verify_email(client, operator.email, self.options.mail_dir, timeout=self.options.timeout)
        return client

    async def _provider_admin(
        self, operator: MSPVaultClient, name: str, admin: Person
    ) -> tuple[str, str, MSPVaultClient]:
        """The operator opens the provider and invites `admin`, who registers and finishes setup from the mail.
        Returns the provider id, the admin's provider-user id and the admin's client."""
        self._say(f"Operator opens provider {name!r}; the invitation goes to {admin.email}")
        try:
            await operator.providers.open(name=name, owner_email=admin.email, provider_type=ProviderType.MSP)
        except ApiError as error:
            if error.status == 404:
                who = self.world.operator
                again = "" if self.options.operator_password else f" --operator-password '{who.password}'"
                raise DemoError(
                    f"{who.email} is not a platform operator (POST /api/admin/providers answered 404). Run "
                    f"`mspvault add-operator {who.email}`, or start the system with "
                    f"MSPVAULT_IDENTITY_OPERATORS='[\"{who.email}\"]'; then run `mspvault demo{again}` again "
                    "(the operator's account exists now, with that password)."
                ) from error
            raise
        invitation = await self._invitation(admin.email, InviteKind.PROVIDER)
        self._say(f"{admin.name} registers and sets up {name!r} (makes the provider key)")
        client = await self._sign_up(admin)
        provider_id = invitation.provider_id
        await client.providers.setup(provider_id, token=invitation.token, name=name, billing_email=admin.email)
        return provider_id, invitation.membership_id, client

    async def _service_user(self, alice: MSPVaultClient) -> MSPVaultClient:
        bob = self.world.bob
        self._say(f"Alice invites {bob.email} as Service User; Bob registers and accepts; Alice confirms him")
        client = await self._sign_up(bob)
        self.world.bob_provider_user_id = await join_provider(
            alice,
            client,
            self.world.acme_id,
            bob.email,
            ProviderUserType.SERVICE_USER,
            self.options.mail_dir,
            timeout=self.options.timeout,
        )
        await client.vault.sync()  # the profile now carries the provider key wrapped to Bob's public key
        client.session.provider_key(self.world.acme_id)  # fails loudly if it did not arrive
        return client

    async def _client_org(self, bob: MSPVaultClient) -> None:
        world = self.world
        self._say("Bob creates client organization 'Contoso' (org key wrapped by the provider key)")
        created = await bob.providers.create_client(
            world.acme_id, name="Contoso", owner_email=world.contoso_owner_email, seats=10
        )
        world.contoso_id = created.organization_id or await self._find_client(bob, "Contoso")
        bob.session.org_keys.setdefault(world.contoso_id, created.org_key)

        carol = world.carol
        self._say(f"Bob invites {carol.email}; Carol registers and accepts; Bob confirms her (org key to Carol)")
        carol_client = await self._sign_up(carol)
        world.carol_member_id = await join_organization(
            bob, carol_client, world.contoso_id, carol.email, self.options.mail_dir, timeout=self.options.timeout
        )

    async def _find_client(self, bob: MSPVaultClient, name: str) -> str:
        async def listed() -> str:
            for link in await bob.providers.list_clients(self.world.acme_id):
                if pick(link, "organizationName") == name:
                    return str(pick(link, "organizationId"))
            raise ApiError(404, f"client {name} not listed yet")

        return await eventually(listed, timeout=self.options.timeout)

    async def _collections_and_items(self, bob: MSPVaultClient) -> None:
        world, org = self.world, self.world.contoso_id
        carol = world.carol_member_id
        grants = {
            "Servers": [CollectionAccess(carol, read_only=True)],
            "Helpdesk": [CollectionAccess(carol)],
            "Finance": [],
        }
        for name, users in grants.items():
            self._say(f"Bob creates collection {name!r}" + (" for Carol" if users else " (Carol has no access)"))
            create = functools.partial(bob.organizations.create_collection, org, name, users=users)
            collection = await eventually(create, timeout=self.options.timeout)
            world.collections[name] = collection.id
            world.collection_items[name] = []

        root_password, wifi_password = generate_password(), generate_password()
        deploy_key = generate_ssh_key("deploy@contoso")
        contoso_items = [
            (
                "Servers",
                PlainCipher(
                    "db01.contoso.example (root)",
                    Login(username="root", password=root_password, uris=[LoginUri("ssh://db01.contoso.example")]),
                    notes="Primary database server",
                ),
            ),
            (
                "Servers",
                PlainCipher(
                    "Server runbook", SecureNote(), notes="Patch window: Sundays 02:00-04:00. Escalate to Acme MSP."
                ),
            ),
            (
                "Servers",
                PlainCipher(
                    "Deploy key",
                    SshKey(deploy_key.private_key, deploy_key.public_key, deploy_key.fingerprint),
                ),
            ),
            (
                "Helpdesk",
                PlainCipher(
                    "Office Wi-Fi",
                    Login(
                        username="contoso-staff",
                        password=wifi_password,
                        uris=[LoginUri("https://wifi.contoso.example")],
                    ),
                ),
            ),
            (
                "Finance",
                PlainCipher(
                    "Corporate card",
                    Card("Contoso Ltd", "Visa", "4111111111111111", "12", "2030", "123"),
                ),
            ),
        ]
        world.secrets |= {"db01.contoso.example (root)": root_password, "Office Wi-Fi": wifi_password}
        for collection_name, plain in contoso_items:
            self._say(
                f"Bob adds {plain.type.name.replace('_', ' ').lower()} item {plain.name!r} to {collection_name!r}"
            )
            plain.organization_id, plain.collection_ids = org, [world.collections[collection_name]]
            create_item = functools.partial(bob.vault.create_cipher, plain)
            created = await eventually(create_item, timeout=self.options.timeout, retry_on=VAULT_NOT_YET)
            assert created.id is not None
            world.items[plain.name] = created.id
            world.collection_items[collection_name].append(created.id)

        self._say("Bob adds a personal item")
        await self._personal(bob, PlainCipher("Acme RMM console", Login("bob", generate_password())))

    async def _carol_checks_her_vault(self) -> None:
        world = self.world
        self._say("Carol adds personal items, syncs, and decrypts Contoso's items")
        carol = self._track(await log_in(self.connection, world.carol))
        await self._personal(carol, PlainCipher("Carol's webmail", Login("carol", generate_password())))
        await self._personal(
            carol,
            PlainCipher(
                "Carol (work)",
                Identity(first_name="Carol", last_name="Jones", company="Contoso", email=world.carol.email),
            ),
        )
        expected = set(world.collection_items["Servers"]) | set(world.collection_items["Helpdesk"])

        async def sees_her_items() -> bool:
            sync = await carol.vault.sync()
            visible = {plain.id for plain in carol.vault.decrypt_all(sync) if plain.organization_id == world.contoso_id}
            return visible == expected

        await wait_for(
            sees_her_items, what="Carol's sync to show exactly her collections", timeout=self.options.timeout
        )

    # --- helpers ----------------------------------------------------------------------------------------

    async def _personal(self, client: MSPVaultClient, plain: PlainCipher) -> None:
        created = await client.vault.create_cipher(plain)
        assert created.id is not None
        self.world.items[plain.name] = created.id

    async def _sign_up(self, person: Person) -> MSPVaultClient:
        try:
            return self._track(await sign_up(self.connection, person))
        except ApiError as error:
            if error.status == 400:
                raise DemoError(
                    f"cannot register {person.email}: {error.message}. If the demo ran on this system before, "
                    "build another world with --tag <something new>."
                ) from error
            raise

    async def _invitation(self, email: str, kind: InviteKind) -> Invitation:
        return await wait_for_invitation(self.options.mail_dir, email, kind, timeout=self.options.timeout)

    def _track(self, client: MSPVaultClient) -> MSPVaultClient:
        self._clients.append(client)
        return client

    def _say(self, message: str) -> None:
        self._progress(message)
