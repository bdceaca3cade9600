"""Session key ring: the provider user's path from the profile to a client org key."""

from datetime import UTC, datetime

import pytest

from mspvault.client.crypto import KdfConfig, SymmetricKey, generate_key_pair, wrap_for_public_key
from mspvault.client.session import MissingKey, Session


@pytest.fixture(scope="module")
def key_pair():
    return generate_key_pair()


def make_session(private_key: bytes) -> Session:
    return Session(
        user_id="u-1",
        email="alice@acme.example",
        kdf=KdfConfig.pbkdf2(),
        access_token="access",
        refresh_token="refresh",
        access_expires_at=datetime.now(UTC),
        user_key=SymmetricKey.generate(),
        private_key=private_key,
    )


def test_profile_keys_open_provider_member_and_client_org_keys(key_pair):
    session = make_session(key_pair.private_key)
    provider_key, client_org_key, member_org_key = (SymmetricKey.generate() for _ in range(3))
    profile = {
        "providers": [{"id": "p-1", "key": str(wrap_for_public_key(provider_key.to_bytes(), key_pair.public_key))}],
        "organizations": [
            {"id": "org-own", "key": str(wrap_for_public_key(member_org_key.to_bytes(), key_pair.public_key))},
            {"id": "org-invited", "key": None},
        ],
        "providerOrganizations": [
            {"id": "org-client", "providerId": "p-1", "key": str(provider_key.encrypt(client_org_key.to_bytes()))}
        ],
    }

    session.remember_profile_keys(profile)

    assert session.provider_key("p-1") == provider_key
    assert session.org_keys == {"org-own": member_org_key, "org-client": client_org_key}
    assert session.key_for("org-client") == client_org_key
    assert session.key_for(None) == session.user_key


def test_an_unknown_org_is_a_missing_key(key_pair):
    session = make_session(key_pair.private_key)

    with pytest.raises(MissingKey):
        session.org_key("org-x")
    with pytest.raises(MissingKey):
        session.provider_key("p-x")


def test_session_repr_hides_tokens_and_keys(key_pair):
    session = make_session(key_pair.private_key)

    text = repr(session)

    assert "access" not in text.replace("access_expires_at", "")
    assert "refresh" not in text
    assert "user_key" not in text
