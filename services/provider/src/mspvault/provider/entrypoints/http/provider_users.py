"""`/api/providers/{providerId}/users`: Provider Admins manage the roster; anyone invited may accept.

Every route but `accept` needs an active Provider Admin; others, Service Users included, get 404 (Roster.admin).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.deps import AdminSession, Work
from mspvault.provider.entrypoints.http.requests import (
    AcceptRequest,
    BulkConfirmRequest,
    ConfirmRequest,
    IdsRequest,
    InviteRequest,
    UserUpdateRequest,
)
from mspvault.provider.entrypoints.http.responses import (
    DONE,
    BulkResponse,
    ListResponse,
    ProviderUserDetailsResponse,
    ProviderUserResponse,
    PublicKeyResponse,
    bulk,
)
from mspvault.provider.service_layer import commands as c
from mspvault.provider.service_layer import provider_users as commands
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(
    prefix="/api/providers/{provider_id}/users", tags=["provider users"], dependencies=[Depends(authenticated)]
)


@router.get("")
async def list_users(provider_id: uuid.UUID, session: AdminSession) -> ListResponse[ProviderUserDetailsResponse]:
    rows = await queries.list_provider_users(session, provider_id)
    return ListResponse(data=[ProviderUserDetailsResponse.of_details(row) for row in rows])


@router.post("/invite")
async def invite(
    provider_id: uuid.UUID, body: InviteRequest, caller: CurrentUser, work: Work
) -> ListResponse[ProviderUserResponse]:
    invited = await commands.invite_users(
        work, caller, c.InviteProviderUsers(provider_id, tuple(body.emails), body.type)
    )
    return ListResponse(data=[ProviderUserResponse.of(row) for row in invited])


@router.post("/reinvite")
async def reinvite_many(
    provider_id: uuid.UUID, body: IdsRequest, caller: CurrentUser, work: Work
) -> ListResponse[BulkResponse]:
    return bulk(await commands.reinvite_users(work, caller, c.ReinviteProviderUsers(provider_id, tuple(body.ids))))


@router.post("/public-keys")
async def public_keys(
    provider_id: uuid.UUID, body: IdsRequest, caller: CurrentUser, session: ReadSession
) -> ListResponse[PublicKeyResponse]:
    await queries.require_admin(session, provider_id, caller.user_id)
    keys = await queries.public_keys(session, provider_id, body.ids)
    return ListResponse(data=[PublicKeyResponse.model_validate(key) for key in keys])


@router.post("/confirm")
async def confirm_many(
    provider_id: uuid.UUID, body: BulkConfirmRequest, caller: CurrentUser, work: Work
) -> ListResponse[BulkResponse]:
    keys = tuple((item.id, item.key) for item in body.keys)
    return bulk(await commands.confirm_users(work, caller, c.ConfirmProviderUsers(provider_id, keys)))


@router.delete("")
@router.post("/delete", name="remove_many_by_post")
async def remove_many(
    provider_id: uuid.UUID, body: IdsRequest, caller: CurrentUser, work: Work
) -> ListResponse[BulkResponse]:
    return bulk(await commands.remove_users(work, caller, c.RemoveProviderUsers(provider_id, tuple(body.ids))))


@router.get("/{provider_user_id}")
async def get_user(provider_id: uuid.UUID, provider_user_id: uuid.UUID, session: AdminSession) -> ProviderUserResponse:
    details = await queries.get_provider_user(session, provider_id, provider_user_id)
    return ProviderUserResponse.of(details.user)


@router.put("/{provider_user_id}")
async def change_type(
    provider_id: uuid.UUID, provider_user_id: uuid.UUID, body: UserUpdateRequest, caller: CurrentUser, work: Work
) -> ProviderUserResponse:
    command = c.ChangeProviderUserType(provider_id, provider_user_id, body.type)
    row = await commands.change_user_type(work, caller, command)
    return ProviderUserResponse.of(row)


@router.delete("/{provider_user_id}", responses=DONE)
async def remove(provider_id: uuid.UUID, provider_user_id: uuid.UUID, caller: CurrentUser, work: Work) -> None:
    await commands.remove_user(work, caller, c.RemoveProviderUser(provider_id, provider_user_id))


@router.post("/{provider_user_id}/reinvite", responses=DONE)
async def reinvite(provider_id: uuid.UUID, provider_user_id: uuid.UUID, caller: CurrentUser, work: Work) -> None:
    await commands.reinvite_user(work, caller, c.ReinviteProviderUser(provider_id, provider_user_id))


@router.post("/{provider_user_id}/accept", responses=DONE)
async def accept(
    provider_id: uuid.UUID, provider_user_id: uuid.UUID, body: AcceptRequest, caller: CurrentUser, work: Work
) -> None:
    await commands.accept_invite(work, caller, c.AcceptProviderInvite(provider_id, provider_user_id, body.token))


@router.post("/{provider_user_id}/confirm", responses=DONE)
async def confirm(
    provider_id: uuid.UUID, provider_user_id: uuid.UUID, body: ConfirmRequest, caller: CurrentUser, work: Work
) -> None:
    await commands.confirm_user(work, caller, c.ConfirmProviderUser(provider_id, provider_user_id, body.key))


@router.post("/{provider_user_id}/revoke", responses=DONE)
async def revoke(provider_id: uuid.UUID, provider_user_id: uuid.UUID, caller: CurrentUser, work: Work) -> None:
    await commands.revoke_user(work, caller, c.RevokeProviderUser(provider_id, provider_user_id))


@router.post("/{provider_user_id}/restore", responses=DONE)
async def restore(provider_id: uuid.UUID, provider_user_id: uuid.UUID, caller: CurrentUser, work: Work) -> None:
    await commands.restore_user(work, caller, c.RestoreProviderUser(provider_id, provider_user_id))
