"""Issue 11 #3: provider and business names and every email a provider request carries refuse control
characters and line breaks (the provider's name is in the subject of every invitation it sends)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mspvault.provider.entrypoints.http.requests import (
    CreateProviderRequest,
    InviteRequest,
    ProviderSetupRequest,
    ProviderUpdateRequest,
)


@pytest.mark.parametrize("char", ["\n", "\r", "\x85", "\u2028", "\x1b"])
def test_names_and_emails_with_control_characters_are_refused(char: str) -> None:
    evil = f"Acme{char}Bcc: all@example.test"
    with pytest.raises(ValidationError):
        CreateProviderRequest.model_validate({"name": evil, "ownerEmail": "a@acme.test"})
    with pytest.raises(ValidationError):
        ProviderUpdateRequest.model_validate({"name": "Acme", "businessName": evil, "billingEmail": "a@acme.test"})
    with pytest.raises(ValidationError):
        ProviderSetupRequest.model_validate({"name": "Acme", "billingEmail": f"a{char}b@acme.test", "key": "2.x|y|z"})
    with pytest.raises(ValidationError):
        InviteRequest.model_validate({"emails": [f"bob{char}@acme.test"], "type": 1})


def test_ordinary_names_pass() -> None:
    body = ProviderUpdateRequest.model_validate({"name": "Zoë & Co", "businessName": None, "billingEmail": "a@b.test"})
    assert body.name == "Zoë & Co"
