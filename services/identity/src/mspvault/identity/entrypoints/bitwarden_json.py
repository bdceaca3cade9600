"""Bitwarden's response shapes, built from domain objects (reference: bw-cli-api.md §3.2–3.6).

Casing is Bitwarden's: camelCase on /api, snake_case for the OAuth fields of /connect/token and PascalCase for
that endpoint's own fields. Pure functions, so the shapes are unit-tested without a server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mspvault.identity.domain.account import Account
from mspvault.identity.domain.kdf import KdfSettings
from mspvault.identity.service_layer.tokens import IssuedTokens

INVALID_CREDENTIALS = "Username or password is incorrect. Try again"


def iso_date(moment: datetime) -> str:
    """ISO-8601 UTC with microseconds and `Z`, as Vaultwarden formats dates."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def prelogin_response(kdf: KdfSettings, salt: str) -> dict[str, Any]:
    return {
        "kdf": int(kdf.kdf_type),
        "kdfIterations": kdf.iterations,
        "kdfMemory": kdf.memory,
        "kdfParallelism": kdf.parallelism,
        "kdfSettings": {
            "kdfType": int(kdf.kdf_type),
            "iterations": kdf.iterations,
            "memory": kdf.memory,
            "parallelism": kdf.parallelism,
        },
        "salt": salt,
    }


def token_response(account: Account, tokens: IssuedTokens) -> dict[str, Any]:
    """The password grant's answer: every field the bw CLI needs to unlock (§3.3)."""
    kdf = account.kdf
    private_key = account.key_pair.wrapped_private_key if account.key_pair else None
    return {
        "access_token": tokens.access_token,
        "expires_in": tokens.expires_in,
        "token_type": "Bearer",
        "refresh_token": tokens.refresh_token,
        "scope": tokens.scope,
        "Key": account.protected_user_key,
        "PrivateKey": private_key,
        "Kdf": int(kdf.kdf_type),
        "KdfIterations": kdf.iterations,
        "KdfMemory": kdf.memory,
        "KdfParallelism": kdf.parallelism,
        "ResetMasterPassword": False,
        "ForcePasswordReset": False,
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
        "AccountKeys": _token_account_keys(account),
        "UserDecryptionOptions": {
            "HasMasterPassword": True,
            "MasterPasswordUnlock": {
                "Kdf": {
                    "KdfType": int(kdf.kdf_type),
                    "Iterations": kdf.iterations,
                    "Memory": kdf.memory,
                    "Parallelism": kdf.parallelism,
                },
                # The CLI reads the first name, newer clients the second: send both, as Vaultwarden does.
                "MasterKeyEncryptedUserKey": account.protected_user_key,
                "MasterKeyWrappedUserKey": account.protected_user_key,
                "Salt": account.email,
            },
            "Object": "userDecryptionOptions",
        },
    }


def refresh_response(tokens: IssuedTokens) -> dict[str, Any]:
    return {
        "access_token": tokens.access_token,
        "expires_in": tokens.expires_in,
        "token_type": "Bearer",
        "refresh_token": tokens.refresh_token,
        "scope": tokens.scope,
    }


def grant_error(error: str, description: str, message: str) -> dict[str, Any]:
    return {"error": error, "error_description": description, "ErrorModel": {"Message": message, "Object": "error"}}


def _token_account_keys(account: Account) -> dict[str, Any] | None:
    if account.key_pair is None:
        return None
    return {
        "publicKeyEncryptionKeyPair": {
            "wrappedPrivateKey": account.key_pair.wrapped_private_key,
            "publicKey": account.key_pair.public_key,
            "Object": "publicKeyEncryptionKeyPair",
        },
        "Object": "privateKeys",
    }


def _profile_account_keys(account: Account) -> dict[str, Any] | None:
    if account.key_pair is None:
        return None
    return {
        "publicKeyEncryptionKeyPair": {
            "wrappedPrivateKey": account.key_pair.wrapped_private_key,
            "publicKey": account.key_pair.public_key,
            "signedPublicKey": None,
            "object": "publicKeyEncryptionKeyPair",
        },
        "securityState": None,
        "signatureKeyPair": None,
        "object": "privateKeys",
    }


def profile(account: Account, *, with_memberships: bool = True) -> dict[str, Any]:
    """Vaultwarden's `User::to_json`. Memberships belong to other services: empty here, merged by the gateway;
    `with_memberships=False` leaves the keys out entirely (the /internal/sync part)."""
    body: dict[str, Any] = {
        "_status": 0,
        "id": str(account.id),
        "name": account.name,
        "email": account.email,
        "emailVerified": True,
        "premium": True,
        "premiumFromOrganization": False,
        "culture": "en-US",
        "twoFactorEnabled": False,
        "key": account.protected_user_key,
        "privateKey": account.key_pair.wrapped_private_key if account.key_pair else None,
        "accountKeys": _profile_account_keys(account),
        "securityStamp": account.security_stamp,
        "forcePasswordReset": False,
        "avatarColor": None,
        "usesKeyConnector": False,
        "creationDate": iso_date(account.created_at),
        "object": "profile",
    }
    if with_memberships:
        body |= {"organizations": [], "providers": [], "providerOrganizations": []}
    return body


def user_decryption(account: Account) -> dict[str, Any]:
    kdf = account.kdf
    return {
        "masterPasswordUnlock": {
            "kdf": {
                "kdfType": int(kdf.kdf_type),
                "iterations": kdf.iterations,
                "memory": kdf.memory,
                "parallelism": kdf.parallelism,
            },
            "masterKeyEncryptedUserKey": account.protected_user_key,
            "masterKeyWrappedUserKey": account.protected_user_key,
            "salt": account.email,
        },
        "userKeyId": account.user_key_id,
    }


def internal_sync(account: Account) -> dict[str, Any]:
    return {"profile": profile(account, with_memberships=False), "userDecryption": user_decryption(account)}


def public_key(user_id: str, key: str) -> dict[str, Any]:
    return {"userId": user_id, "publicKey": key, "object": "userKey"}


def keys(account: Account) -> dict[str, Any]:
    pair = account.key_pair
    return {
        "privateKey": pair.wrapped_private_key if pair else None,
        "publicKey": pair.public_key if pair else None,
        "object": "keys",
    }
