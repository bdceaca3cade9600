"""Alice revokes Bob: his next plain `bw sync` (no --force) must drop Contoso — the organization, its collections and
every one of its items. Runs last (RUN_LAST): the other modules rely on Bob's access."""

from __future__ import annotations

from mspvault.client.demo import DemoWorld
from mspvault.client.onboarding import wait_for
from tests.interop.bwcli import Bw, ids
from tests.interop.conftest import BwLogin, LibraryLogin

RUN_LAST = True


async def contoso_in_view(bob: Bw, world: DemoWorld) -> bool:
    """Anything of Contoso in Bob's local vault: the org itself, a collection, or an item."""
    organizations = ids(await bob.list("organizations"))
    collections = await bob.list("collections")
    items = await bob.list("items")
    return (
        world.contoso_id in organizations
        or any(c.get("organizationId") == world.contoso_id for c in collections)
        or any(i.get("organizationId") == world.contoso_id for i in items)
    )


async def test_after_alice_revokes_bob_his_next_sync_shows_none_of_contoso(
    bw_login: BwLogin, library: LibraryLogin, world: DemoWorld
) -> None:
    bob = await bw_login(world.bob)
    assert await contoso_in_view(bob, world)
    alice = await library(world.alice)

    await alice.providers.revoke_user(world.acme_id, world.bob_provider_user_id)

    async def gone_after_plain_sync() -> bool:
        (await bob.run("sync")).ok()  # only fetches when the revision date moved: revocation must bump it
        return not await contoso_in_view(bob, world)

    await wait_for(gone_after_plain_sync, what="Contoso to leave Bob's vault after `bw sync`", timeout=60)
    assert world.items["Acme RMM console"] in ids(await bob.list("items"))  # his own items stay
    probe = await bob.run("list", "org-collections", "--organizationid", world.contoso_id)
    assert probe.code != 0, f"a revoked provider user still lists Contoso's collections: {probe.detail()}"
