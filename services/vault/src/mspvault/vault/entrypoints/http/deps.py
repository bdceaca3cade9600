"""Dependencies of the vault routes: a `VaultWork` per request, made by bootstrap's `work_factory`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mspvault.shared.runtime import UoW
from mspvault.vault.service_layer.ports import VaultWork


async def vault_work(request: Request, uow: UoW) -> VaultWork:
    work: VaultWork = request.app.state.vault_work(uow)
    return work


Work = Annotated[VaultWork, Depends(vault_work)]
