"""The provider invitation link opens the portal's accept page and names what it is for."""

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from mspvault.provider.domain.enums import ProviderType, ProviderUserType
from mspvault.provider.domain.errors import InvalidInviteToken
from mspvault.provider.service_layer.commands import InviteProviderUsers, OpenProvider, SetUpProvider
from mspvault.provider.service_layer.ports import InviteLinks
from mspvault.provider.service_layer.provider_users import invite_users
from mspvault.provider.service_layer.providers import open_provider, setup_provider
from mspvault.shared.auth.principal import Principal
from mspvault.shared.testing.samples import FIXED_ENC_STRING
from tests.unit.provider.fakes import FakeProviderWorld
from tests.unit.provider.provider_builders import set_up_roster


def test_link_opens_the_portal_accept_page_with_everything_it_shows() -> None:
    provider_id, provider_user_id = uuid.uuid4(), uuid.uuid4()
    url = InviteLinks("https://vault.test/").accept_url(
        provider_id=provider_id,
        provider_name="Acme & Co MSP",
        provider_user_id=provider_user_id,
        email="bob@acme.test",
        token="tok.en",
    )
    base, _, query = urlsplit(url).fragment.partition("?")
    assert url.startswith("https://vault.test/#/providers/accept-provider?")
    assert base == "/providers/accept-provider"
    assert parse_qs(query) == {
        "providerId": [str(provider_id)],
        "providerUserId": [str(provider_user_id)],
        "email": ["bob@acme.test"],
        "providerName": ["Acme & Co MSP"],
        "token": ["tok.en"],
    }


def test_the_first_admin_of_a_pending_provider_is_sent_to_the_setup_page() -> None:
    url = InviteLinks("https://vault.test").accept_url(
        provider_id=uuid.uuid4(),
        provider_name="Acme MSP",
        provider_user_id=uuid.uuid4(),
        email="alice@acme.test",
        token="t",
        setup=True,
    )
    assert urlsplit(url).fragment.startswith("/providers/setup?")


async def test_the_operator_opening_mails_the_setup_link_and_later_invites_the_accept_link() -> None:
    world = FakeProviderWorld()
    operator = Principal(user_id=uuid.uuid4(), email="ops@mspvault.test")
    opened = await open_provider(
        world.work(), operator, OpenProvider(name="Acme MSP", type=ProviderType.MSP, owner_email="alice@acme.test")
    )
    assert "/#/providers/setup?" in world.store.mails[-1]["body"]

    roster, admin_id = set_up_roster()
    world.store.rosters[roster.provider.id] = roster
    admin = Principal(user_id=admin_id, email="alice@acme.test")
    await invite_users(
        world.work(), admin, InviteProviderUsers(roster.provider.id, ("bob@acme.test",), ProviderUserType.SERVICE_USER)
    )
    assert "/#/providers/accept-provider?" in world.store.mails[-1]["body"]
    assert opened.provider.id != roster.provider.id


async def test_a_wrong_setup_token_is_refused_alike_for_a_real_provider_and_a_made_up_one() -> None:
    """The token is checked before the lookup: otherwise 400 for a real id and 404 for a made-up one tell them apart."""
    world = FakeProviderWorld()
    operator = Principal(user_id=uuid.uuid4(), email="ops@mspvault.test")
    opened = await open_provider(
        world.work(), operator, OpenProvider(name="Acme MSP", type=ProviderType.MSP, owner_email="alice@acme.test")
    )
    dave = Principal(user_id=uuid.uuid4(), email="dave@globex.test")
    for provider_id in (opened.provider.id, uuid.uuid4()):
        setup = SetUpProvider(provider_id, "Pwned", None, "b@evil.test", FIXED_ENC_STRING, token="not-a-token" * 3)
        with pytest.raises(InvalidInviteToken):
            await setup_provider(world.work(), dave, setup)
