"""The provider invitation link opens the portal's accept page and names what it is for."""

import uuid
from urllib.parse import parse_qs, urlsplit

from mspvault.provider.service_layer.ports import InviteLinks


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
