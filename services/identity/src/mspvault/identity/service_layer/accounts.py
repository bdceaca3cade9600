"""Commands on accounts: register, set the key pair, set the user-key id, add an operator."""

from __future__ import annotations

import uuid

from mspvault.identity.domain.account import (
    Account,
    EmailAlreadyRegistered,
    KeyPair,
    validate_email,
    validate_master_password_hash,
)
from mspvault.identity.domain.kdf import KdfSettings
from mspvault.identity.service_layer.commands import AddOperator, RegisterAccount, SetKeyPair, SetUserKeyId
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.identity import UserKeysSetV1, UserRegisteredV1
from mspvault.shared.errors import NotFoundError


async def register(work: IdentityWork, command: RegisterAccount) -> Account | None:
    """The new account; None when the email already has one. The caller answers both alike (issue 11 #9: registration
    must not tell who has an account): nothing is stored or published then, and the password was hashed all the
    same, so the answer takes as long."""
    kdf = KdfSettings.parse(command.kdf, command.kdf_iterations, command.kdf_memory, command.kdf_parallelism)
    key_pair = None
    if command.public_key is not None or command.encrypted_private_key is not None:
        key_pair = KeyPair.parse(command.public_key or "", command.encrypted_private_key or "")
    account = Account.register(
        email=command.email,
        name=command.name,
        master_password_hint=command.master_password_hint,
        kdf=kdf,
        protected_user_key=command.key,
        key_pair=key_pair,
        now=work.clock(),
    )
    # Hashed only once everything else is known to be valid; no connection is held while it runs.
    account.set_password_hash(await work.hasher.hash(validate_master_password_hash(command.master_password_hash)))
    try:
        await work.accounts.add(account)
    except EmailAlreadyRegistered:
        return None
    actor = Actor(user_id=account.id)
    public_key = key_pair.public_key if key_pair else None
    work.uow.publish(
        UserRegisteredV1(user_id=account.id, email=account.email, name=account.name, public_key=public_key),
        actor=actor,
    )
    if key_pair is not None:
        work.uow.publish(UserKeysSetV1(user_id=account.id, public_key=key_pair.public_key), actor=actor)
    await work.uow.commit()
    return account


async def _load_for_update(work: IdentityWork, user_id: uuid.UUID) -> Account:
    account = await work.accounts.get(user_id, for_update=True)
    if account is None:
        raise NotFoundError("User not found.")
    return account


async def set_key_pair(work: IdentityWork, caller: Principal, command: SetKeyPair) -> Account:
    key_pair = KeyPair.parse(command.public_key, command.encrypted_private_key)
    account = await _load_for_update(work, caller.user_id)
    if account.set_key_pair(key_pair, work.clock()):
        await work.accounts.save(account)
        work.uow.publish(
            UserKeysSetV1(user_id=account.id, public_key=key_pair.public_key), actor=Actor(user_id=caller.user_id)
        )
        await work.uow.commit()
    return account


async def set_user_key_id(work: IdentityWork, caller: Principal, command: SetUserKeyId) -> None:
    account = await _load_for_update(work, caller.user_id)
    account.set_user_key_id(command.user_key_id, work.clock())
    await work.accounts.save(account)
    await work.uow.commit()


async def add_operator(work: IdentityWork, command: AddOperator) -> bool:
    """Returns False when the email already was an operator. The flag reaches tokens at the next login/refresh."""
    added = await work.operators.add(validate_email(command.email), work.clock())
    await work.uow.commit()
    return added
