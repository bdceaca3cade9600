"""Personal API keys: shown and rotated by their owner, each time with the master-password hash."""

from __future__ import annotations

from mspvault.identity.domain.api_keys import ApiKey
from mspvault.identity.service_layer.commands import VerifySecret
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.identity.service_layer.two_factor import verified_account
from mspvault.shared.auth.principal import Principal


async def view(work: IdentityWork, caller: Principal, command: VerifySecret) -> ApiKey:
    """The user's key, made on first view (Bitwarden makes it with the account; nobody can use one unseen)."""
    await verified_account(work, caller.user_id, command.master_password_hash)
    key = await work.api_keys.get(caller.user_id, for_update=True)
    if key is None:
        key = ApiKey.issue(caller.user_id, work.clock())
        await work.api_keys.save(key)
        await work.uow.commit()
    return key


async def rotate(work: IdentityWork, caller: Principal, command: VerifySecret) -> ApiKey:
    """A new secret; the old one is refused from this commit on."""
    await verified_account(work, caller.user_id, command.master_password_hash)
    key = await work.api_keys.get(caller.user_id, for_update=True)
    if key is None:
        key = ApiKey.issue(caller.user_id, work.clock())
    else:
        key.rotate(work.clock())
    await work.api_keys.save(key)
    await work.uow.commit()
    return key
