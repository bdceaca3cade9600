"""What a logged-in, unlocked client holds in memory: tokens and keys. Nothing here is persisted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mspvault.client.crypto import KdfConfig, SymmetricKey, unwrap_symmetric_key
from mspvault.client.wire import pick

# Refresh a little before expiry so a request never leaves with a token that dies in flight.
REFRESH_MARGIN = timedelta(seconds=60)


class MissingKey(LookupError):
    """No key is held for this organization or provider: sync (or list the provider's clients) first."""


@dataclass
class Session:
    user_id: str
    email: str
    kdf: KdfConfig
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    access_expires_at: datetime
    user_key: SymmetricKey = field(repr=False)
    private_key: bytes = field(repr=False)  # PKCS#8 DER
    provider_keys: dict[str, SymmetricKey] = field(default_factory=dict, repr=False)
    org_keys: dict[str, SymmetricKey] = field(default_factory=dict, repr=False)
    # An admin recovered the account: the user must choose their own password (`update_temp_password`).
    force_password_reset: bool = False

    def needs_refresh(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.access_expires_at - REFRESH_MARGIN

    def org_key(self, organization_id: str) -> SymmetricKey:
        try:
            return self.org_keys[organization_id]
        except KeyError:
            raise MissingKey(f"no key for organization {organization_id}") from None

    def provider_key(self, provider_id: str) -> SymmetricKey:
        try:
            return self.provider_keys[provider_id]
        except KeyError:
            raise MissingKey(f"no key for provider {provider_id}") from None

    def key_for(self, organization_id: str | None) -> SymmetricKey:
        """The key that protects an item: the user key for personal items, else the org key."""
        return self.user_key if organization_id is None else self.org_key(organization_id)

    def remember_profile_keys(self, profile: dict[str, Any]) -> None:
        """Open every shared key the profile carries (Bitwarden's path for a provider user:
        provider key under our RSA key, then each client org key under the provider key)."""
        for provider in pick(profile, "providers") or []:
            if pick(provider, "key"):
                self.provider_keys[pick(provider, "id")] = unwrap_symmetric_key(
                    pick(provider, "key"), private_key=self.private_key
                )
        for org in pick(profile, "organizations") or []:
            # A client org a provider user reaches is listed here too, with the provider-wrapped key (`2.`):
            # it opens through its `providerOrganizations` entry below.
            if pick(org, "key") and not str(pick(org, "key")).startswith("2."):
                self.org_keys[pick(org, "id")] = unwrap_symmetric_key(pick(org, "key"), private_key=self.private_key)
        for link in pick(profile, "providerOrganizations") or []:
            self.remember_client_org_key(link, org_id_field="id")

    def remember_client_org_key(self, link: dict[str, Any], *, org_id_field: str = "organizationId") -> None:
        """A provider-client link: the org key wrapped by the provider key (`2.…`)."""
        wrapped, provider_id = pick(link, "key"), pick(link, "providerId")
        if wrapped and provider_id in self.provider_keys:
            self.org_keys[pick(link, org_id_field)] = unwrap_symmetric_key(
                wrapped, wrapping_key=self.provider_keys[provider_id], private_key=self.private_key
            )


SessionFn = Callable[[], Session]
