"""Dependencies of the vault routes: a `VaultWork` per request (transaction, stores, the service's clock)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mspvault.shared.runtime import AppClock, UoW
from mspvault.vault.adapters.read_models import SqlReadModels
from mspvault.vault.adapters.repository import SqlVaultStore
from mspvault.vault.service_layer.ports import VaultWork


async def vault_work(uow: UoW, clock: AppClock) -> VaultWork:
    return VaultWork(uow=uow, store=SqlVaultStore(uow.session), read_models=SqlReadModels(uow.session), clock=clock)


Work = Annotated[VaultWork, Depends(vault_work)]
