"""MSPVaultClient against an in-memory fake of the gateway (httpx.MockTransport): identity, account,
and the org-confirm and vault paths end to end, with all crypto real."""

import base64
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from mspvault.client import ApiError, MSPVaultClient, NotLoggedIn
from mspvault.client.ciphers import Login, LoginUri, PlainCipher
from mspvault.client.crypto import AccountKeys, InvalidKdfConfig, KdfConfig, SymmetricKey, unwrap_symmetric_key
from mspvault.client.organizations import CollectionAccess

FAST_KDF = KdfConfig.pbkdf2(5_000)
PASSWORD = "correct horse battery staple"


def fake_jwt(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


class FakeGateway:
    """Just enough of the gateway to exercise the client; stores what it is sent, like the real one."""

    def __init__(self) -> None:
        self.accounts: dict[str, dict[str, Any]] = {}  # email -> account
        self.tokens: dict[str, str] = {}  # access or refresh token -> email
        self.memberships: dict[str, dict[str, Any]] = {}  # org user id -> {orgId, userId, key}
        self.collections: dict[str, dict[str, Any]] = {}
        self.provider_users: dict[str, dict[str, Any]] = {}  # provider user id -> {providerId, userId, key}
        self.client_links: dict[str, dict[str, Any]] = {}  # provider-organization id -> link
        self.ciphers: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.prelogin_override: dict[str, Any] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path.startswith("/identity/"):
            return self.identity(request, path)
        account = self.authenticated(request)
        if account is None:
            return httpx.Response(401, json={"message": "Unauthorized"})
        return self.api(request, path, account)

    def identity(self, request: httpx.Request, path: str) -> httpx.Response:
        if path == "/identity/accounts/register":
            body = json.loads(request.content)
            if body["email"] in self.accounts:
                return httpx.Response(400, json={"message": "Email already taken"})
            self.accounts[body["email"]] = body | {"id": str(uuid.uuid4())}
            return httpx.Response(200)
        if path == "/identity/accounts/prelogin/password":
            account = self.accounts[json.loads(request.content)["email"]]
            settings = self.prelogin_override or {
                "kdfType": account["kdf"],
                "iterations": account["kdfIterations"],
                "memory": account["kdfMemory"],
                "parallelism": account["kdfParallelism"],
            }
            return httpx.Response(200, json={"kdfSettings": settings, "salt": None})
        form = dict(parse_qsl(request.content.decode()))
        if form["grant_type"] == "password":
            user = self.accounts.get(form["username"])
            if user is None or user["masterPasswordHash"] != form["password"]:
                return httpx.Response(
                    400,
                    json={
                        "error": "invalid_grant",
                        "ErrorModel": {"Message": "Username or password is incorrect. Try again", "Object": "error"},
                    },
                )
            return httpx.Response(
                200,
                json=self.issue_tokens(user)
                | {
                    "Key": user["key"],
                    "Kdf": user["kdf"],
                    "KdfIterations": user["kdfIterations"],
                    "AccountKeys": {
                        "publicKeyEncryptionKeyPair": {
                            "wrappedPrivateKey": user["keys"]["encryptedPrivateKey"],
                            "publicKey": user["keys"]["publicKey"],
                        },
                    },
                },
            )
        email = self.tokens.get(form["refresh_token"])
        if email is None:
            return httpx.Response(400, json={"error": "invalid_grant"})
        return httpx.Response(200, json=self.issue_tokens(self.accounts[email]))

    def issue_tokens(self, account: dict[str, Any]) -> dict[str, Any]:
        access = fake_jwt({"sub": account["id"], "email": account["email"], "nonce": uuid.uuid4().hex})
        refresh = uuid.uuid4().hex
        self.tokens[access] = self.tokens[refresh] = account["email"]
        return {"access_token": access, "refresh_token": refresh, "expires_in": 7200, "token_type": "Bearer"}

    def authenticated(self, request: httpx.Request) -> dict[str, Any] | None:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return self.accounts.get(self.tokens.get(token, ""))

    def by_id(self, user_id: str) -> dict[str, Any]:
        return next(a for a in self.accounts.values() if a["id"] == user_id)

    def api(self, request: httpx.Request, path: str, account: dict[str, Any]) -> httpx.Response:
        parts = path.strip("/").split("/")[1:]  # drop "api"
        body: Any = json.loads(request.content) if request.content else None
        if path == "/api/accounts/profile":
            return httpx.Response(200, json=self.profile(account))
        if path == "/api/accounts/revision-date":
            return httpx.Response(200, json=1795924288363)
        if path == "/api/accounts/key-management/user-key-id":
            if "userKeyId" in account:
                return httpx.Response(400, json={"message": "User key id is already set."})
            account["userKeyId"] = body["userKeyId"]
            return httpx.Response(200)
        if parts[0] == "users" and parts[2:] == ["public-key"]:
            return httpx.Response(
                200, json={"userId": parts[1], "publicKey": self.by_id(parts[1])["keys"]["publicKey"]}
            )
        if path == "/api/sync":
            return httpx.Response(200, json={"profile": self.profile(account), "ciphers": list(self.ciphers.values())})
        if path == "/api/folders":
            return httpx.Response(200, json={"id": str(uuid.uuid4()), "name": body["name"], "object": "folder"})
        routes = {"organizations": self.organizations_api, "providers": self.providers_api, "ciphers": self.ciphers_api}
        if parts[0] in routes:
            return routes[parts[0]](request.method, parts[1:], body, account)
        return not_found()

    def organizations_api(self, method: str, parts: list[str], body: Any, account: dict[str, Any]) -> httpx.Response:
        org_id, resource, *rest = parts
        if resource == "users" and method == "GET":
            return httpx.Response(200, json={"id": rest[0], "userId": self.memberships[rest[0]]["userId"], "status": 1})
        if resource == "users" and rest[1:] == ["confirm"]:
            self.memberships[rest[0]]["key"] = body["key"]
            return httpx.Response(200)
        if resource == "collections" and method == "POST":
            collection = {"id": str(uuid.uuid4()), "organizationId": org_id, "name": body["name"], "externalId": None}
            self.collections[collection["id"]] = collection
            return httpx.Response(200, json=collection)
        return not_found()

    def providers_api(self, method: str, parts: list[str], body: Any, account: dict[str, Any]) -> httpx.Response:
        provider_id, resource, *rest = parts
        if resource == "setup":
            self.provider_users["pu-admin"] = {"providerId": provider_id, "userId": account["id"], "key": body["key"]}
            return httpx.Response(200, json={"id": provider_id, "name": body["name"]})
        if resource == "users" and method == "GET":
            return httpx.Response(200, json={"id": rest[0], "userId": self.provider_users[rest[0]]["userId"]})
        if resource == "users" and rest[1:] == ["confirm"]:
            self.provider_users[rest[0]]["key"] = body["key"]
            return httpx.Response(200)
        if resource == "clients":
            link_id, org_id = str(uuid.uuid4()), str(uuid.uuid4())
            self.client_links[link_id] = {"organizationId": org_id, "providerId": provider_id} | body
            return httpx.Response(200)  # Bitwarden answers 200 with no body
        if resource == "organizations":
            links = [{"id": link_id} | link for link_id, link in self.client_links.items()]
            return httpx.Response(200, json={"data": links, "object": "list"})
        return not_found()

    def ciphers_api(self, method: str, parts: list[str], body: Any, account: dict[str, Any]) -> httpx.Response:
        if parts == [] and method == "POST":
            return self.store_cipher(body)
        if parts == ["create"]:
            return self.store_cipher(body["cipher"] | {"collectionIds": body["collectionIds"]})
        cipher_id, *action = parts
        cipher = self.ciphers[cipher_id]
        if method == "GET":
            return httpx.Response(200, json=cipher)
        if method == "DELETE":
            del self.ciphers[cipher_id]
            return httpx.Response(200)
        if action == ["delete"]:
            cipher["deletedDate"] = "2026-11-30T00:00:00Z"
            return httpx.Response(200)
        if action == ["restore"]:
            cipher["deletedDate"] = None
            return httpx.Response(200, json=cipher)
        if action == ["share"]:
            return self.store_cipher(body["cipher"] | {"collectionIds": body["collectionIds"]}, cipher_id)
        return self.store_cipher(body, cipher_id)  # PUT: update

    def store_cipher(self, body: dict[str, Any], cipher_id: str | None = None) -> httpx.Response:
        cipher = body | {"id": cipher_id or str(uuid.uuid4()), "revisionDate": "2026-11-29T03:52:26.109464Z"}
        self.ciphers[cipher["id"]] = cipher
        return httpx.Response(200, json=cipher)

    def profile(self, account: dict[str, Any]) -> dict[str, Any]:
        organizations = [
            {"id": m["orgId"], "key": m["key"], "status": 2}
            for m in self.memberships.values()
            if m["userId"] == account["id"] and m.get("key")
        ]
        providers = [
            {"id": pu["providerId"], "key": pu["key"]}
            for pu in self.provider_users.values()
            if pu["userId"] == account["id"] and pu.get("key")
        ]
        provider_ids = {p["id"] for p in providers}
        provider_organizations = [
            {"id": link["organizationId"], "providerId": link["providerId"], "key": link["key"]}
            for link in self.client_links.values()
            if link["providerId"] in provider_ids
        ]
        return {
            "id": account["id"],
            "email": account["email"],
            "organizations": organizations,
            "providers": providers,
            "providerOrganizations": provider_organizations,
            "object": "profile",
        }


def not_found() -> httpx.Response:
    return httpx.Response(404, json={"message": "not found"})


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
async def client(gateway: FakeGateway) -> AsyncIterator[MSPVaultClient]:
    async with MSPVaultClient("https://gateway.test", transport=httpx.MockTransport(gateway)) as client:
        yield client


async def registered(client: MSPVaultClient, email: str = "alice@acme.example") -> AccountKeys:
    return await client.register(email, PASSWORD, name="Alice", kdf=FAST_KDF)


# --- identity ---------------------------------------------------------------------------------------------


async def test_register_sends_only_the_hash_and_wrapped_keys(client, gateway):
    keys = await registered(client, " Alice@Acme.example")

    sent = json.loads(gateway.requests[-1].content)
    assert sent["email"] == "alice@acme.example"
    assert sent["masterPasswordHash"] == keys.master_password_hash
    assert sent["key"] == str(keys.protected_user_key)
    assert sent["keys"] == {"publicKey": keys.public_key, "encryptedPrivateKey": str(keys.encrypted_private_key)}
    assert (sent["kdf"], sent["kdfIterations"], sent["kdfMemory"], sent["kdfParallelism"]) == (0, 5000, None, None)
    assert PASSWORD not in gateway.requests[-1].content.decode()


async def test_login_unlocks_the_keys_made_at_registration(client, gateway):
    keys = await registered(client)

    session = await client.login("alice@acme.example", PASSWORD)

    assert session.user_id == gateway.accounts["alice@acme.example"]["id"]
    assert session.user_key == keys.user_key
    assert session.private_key == keys.private_key
    assert session.kdf == FAST_KDF
    assert session.access_expires_at > datetime.now(UTC) + timedelta(minutes=100)
    assert session.access_token not in repr(session)


async def test_login_posts_the_form_exactly_like_the_bw_cli(client, gateway):
    keys = await registered(client)

    await client.login("alice@acme.example", PASSWORD)

    token_request = gateway.requests[-1]
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in token_request.headers
    fields = parse_qsl(token_request.content.decode())
    assert [name for name, _ in fields] == [
        "scope",
        "client_id",
        "deviceType",
        "deviceIdentifier",
        "deviceName",
        "grant_type",
        "username",
        "password",
    ]
    values = dict(fields)
    assert values["scope"] == "api offline_access"
    assert (values["client_id"], values["deviceType"], values["grant_type"]) == ("cli", "25", "password")
    assert values["deviceIdentifier"] == client.device_identifier
    assert values["password"] == keys.master_password_hash
    assert all(PASSWORD not in r.content.decode() for r in gateway.requests)


async def test_a_wrong_password_is_an_api_error_with_the_servers_message(client):
    await registered(client)

    with pytest.raises(ApiError) as caught:
        await client.login("alice@acme.example", "not the password")

    assert caught.value.status == 400
    assert caught.value.message == "Username or password is incorrect. Try again"


async def test_a_prelogin_downgrade_is_refused_before_any_hash_is_sent(client, gateway):
    await registered(client)
    gateway.prelogin_override = {"kdfType": 0, "iterations": 1, "memory": None, "parallelism": None}

    with pytest.raises(InvalidKdfConfig):
        await client.login("alice@acme.example", PASSWORD)

    assert gateway.requests[-1].url.path == "/identity/accounts/prelogin/password"


async def test_refresh_replaces_the_access_token(client, gateway):
    await registered(client)
    session = await client.login("alice@acme.example", PASSWORD)
    old_access, old_refresh = session.access_token, session.refresh_token

    await client.refresh()

    assert dict(parse_qsl(gateway.requests[-1].content.decode())) == {
        "grant_type": "refresh_token",
        "client_id": "cli",
        "refresh_token": old_refresh,
    }
    assert session.access_token != old_access
    assert session.refresh_token != old_refresh


async def test_an_expiring_token_is_refreshed_before_the_call(client, gateway):
    await registered(client)
    session = await client.login("alice@acme.example", PASSWORD)
    session.access_expires_at = datetime.now(UTC)

    await client.profile()

    assert [r.url.path for r in gateway.requests[-2:]] == ["/identity/connect/token", "/api/accounts/profile"]
    assert gateway.requests[-1].headers["Authorization"] == f"Bearer {session.access_token}"


async def test_authenticated_calls_need_a_login(client):
    with pytest.raises(NotLoggedIn):
        await client.profile()


def test_plain_http_is_refused():
    with pytest.raises(ValueError, match="https"):
        MSPVaultClient("http://127.0.0.1:8443")


# --- account ----------------------------------------------------------------------------------------------


async def test_account_calls(client, gateway):
    keys = await registered(client)
    session = await client.login("alice@acme.example", PASSWORD)

    profile = await client.profile()
    revision = await client.revision_date()
    public_key = await client.user_public_key(session.user_id)
    key_id = await client.set_user_key_id()

    assert profile["id"] == session.user_id
    assert revision == datetime.fromtimestamp(1795924288.363, UTC)
    assert public_key == keys.public_key
    assert gateway.accounts["alice@acme.example"]["userKeyId"] == key_id
    assert len(key_id) == 32


async def test_a_second_user_key_id_is_refused_by_the_server(client):
    await registered(client)
    await client.login("alice@acme.example", PASSWORD)
    await client.set_user_key_id("0" * 32)

    with pytest.raises(ApiError) as caught:
        await client.set_user_key_id("1" * 32)

    assert caught.value.message == "User key id is already set."


async def test_a_malformed_user_key_id_is_refused_locally(client):
    with pytest.raises(ValueError, match="32 lowercase hex"):
        await client.set_user_key_id("NOT-HEX")


# --- organizations and vault, two users ---------------------------------------------------------------------


async def test_confirmed_member_decrypts_the_org_item(gateway):
    transport = httpx.MockTransport(gateway)
    async with (
        MSPVaultClient("https://gateway.test", transport=transport) as bob,
        MSPVaultClient("https://gateway.test", transport=transport) as carol,
    ):
        await bob.register("bob@acme.example", PASSWORD, kdf=FAST_KDF)
        await carol.register("carol@contoso.example", PASSWORD, kdf=FAST_KDF)
        bob_session = await bob.login("bob@acme.example", PASSWORD)
        carol_session = await carol.login("carol@contoso.example", PASSWORD)
        org_key = SymmetricKey.generate()
        bob_session.org_keys["org-1"] = org_key  # as if Bob had created the client org
        gateway.memberships["ou-1"] = {"orgId": "org-1", "userId": carol_session.user_id}

        await bob.organizations.confirm_member("org-1", "ou-1")
        servers = await bob.organizations.create_collection("org-1", "Servers", users=[CollectionAccess("ou-1")])
        created = await bob.vault.create_cipher(
            PlainCipher(
                name="Contoso DC",
                content=Login(username="administrator", password="S3rv3r!", uris=[LoginUri("rdp://dc1.contoso")]),
                organization_id="org-1",
                collection_ids=[servers.id],
            )
        )
        synced = await carol.vault.sync()
        items = carol.vault.decrypt_all(synced)

    wrapped = gateway.memberships["ou-1"]["key"]
    assert unwrap_symmetric_key(wrapped, private_key=carol_session.private_key) == org_key
    assert servers.name == "Servers"
    assert gateway.collections[servers.id]["name"].startswith("2.")
    assert created.collection_ids == [servers.id]
    assert carol_session.org_keys == {"org-1": org_key}
    assert [(i.name, i.organization_id) for i in items] == [("Contoso DC", "org-1")]
    assert isinstance(items[0].content, Login)
    assert items[0].content.password == "S3rv3r!"


async def test_org_items_need_a_collection(client):
    await registered(client)
    session = await client.login("alice@acme.example", PASSWORD)
    session.org_keys["org-1"] = SymmetricKey.generate()

    with pytest.raises(ValueError, match="collection"):
        await client.vault.create_cipher(PlainCipher("x", Login(), organization_id="org-1"))


# --- errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ErrorModel": {"Message": "from the model"}, "message": "other"}, "from the model"),
        ({"errorModel": {"message": "camel model"}}, "camel model"),
        ({"message": "plain message"}, "plain message"),
        ({"error": "invalid_grant"}, "invalid_grant"),
        ("Bad Gateway", "Bad Gateway"),
        (None, "request failed"),
    ],
)
def test_api_error_message(body, message):
    error = ApiError(502, body)

    assert error.message == message
    assert str(error) == f"HTTP 502: {message}"


async def test_provider_key_reaches_a_confirmed_service_user_and_opens_client_orgs(gateway):
    transport = httpx.MockTransport(gateway)
    async with (
        MSPVaultClient("https://gateway.test", transport=transport) as alice,
        MSPVaultClient("https://gateway.test", transport=transport) as bob,
    ):
        await alice.register("alice@acme.example", PASSWORD, kdf=FAST_KDF)
        await bob.register("bob@acme.example", PASSWORD, kdf=FAST_KDF)
        alice_session = await alice.login("alice@acme.example", PASSWORD)
        bob_session = await bob.login("bob@acme.example", PASSWORD)

        await alice.providers.setup("p-1", token="setup-token", name="Acme MSP", billing_email="billing@acme.example")
        gateway.provider_users["pu-bob"] = {"providerId": "p-1", "userId": bob_session.user_id}
        await alice.providers.confirm_user("p-1", "pu-bob")
        await bob.vault.sync()
        created = await bob.providers.create_client(
            "p-1", name="Contoso", owner_email="carol@contoso.example", collection_name="Servers"
        )
        clients = await bob.providers.list_clients("p-1")
        await alice.vault.sync()

    provider_key = alice_session.provider_key("p-1")
    org_id = clients[0]["organizationId"]
    link = next(iter(gateway.client_links.values()))
    assert bob_session.provider_key("p-1") == provider_key
    assert created.organization_id is None  # the server sent no body; list_clients found it
    assert bob_session.org_key(org_id) == created.org_key
    assert alice_session.org_key(org_id) == created.org_key
    assert created.org_key.decrypt_str(link["collectionName"]) == "Servers"
    assert link["keyPair"]["encryptedPrivateKey"].startswith("2.")


async def test_personal_item_lifecycle(client, gateway):
    await registered(client)
    session = await client.login("alice@acme.example", PASSWORD)
    folder = await client.vault.create_folder("Clients")

    created = await client.vault.create_cipher(
        PlainCipher("Router", Login(username="admin", password="first"), folder_id=folder.id)
    )
    assert created.id is not None
    created.content = Login(username="admin", password="second")
    updated = await client.vault.update_cipher(created)
    await client.vault.delete_cipher(created.id)
    trashed = await client.vault.get_cipher(created.id)
    restored = await client.vault.restore_cipher(created.id)
    session.org_keys["org-1"] = org_key = SymmetricKey.generate()
    shared = await client.vault.share_cipher(restored, "org-1", ["col-1"])
    await client.vault.delete_cipher(created.id, permanent=True)

    assert folder.name == "Clients"
    assert isinstance(updated.content, Login)
    assert updated.content.password == "second"
    assert gateway.requests[-6].url.path.endswith(f"/{created.id}")
    assert json.loads(gateway.requests[-6].content)["lastKnownRevisionDate"] == created.revision_date
    assert trashed.deleted_date is not None
    assert restored.deleted_date is None
    assert (shared.organization_id, shared.collection_ids, shared.name) == ("org-1", ["col-1"], "Router")
    assert org_key.decrypt_str(json.loads(gateway.requests[-2].content)["cipher"]["name"]) == "Router"
    assert gateway.ciphers == {}
