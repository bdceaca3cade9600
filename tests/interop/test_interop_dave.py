"""Dave, Provider Admin of another MSP (Globex IT), with the official `bw` CLI: none of Acme's world reaches him."""

from __future__ import annotations

from mspvault.client.demo import DemoWorld
from tests.interop.bwcli import ids
from tests.interop.conftest import BwLogin


async def test_dave_sees_nothing_of_contoso(bw_login: BwLogin, world: DemoWorld) -> None:
    dave = await bw_login(world.dave)
    (await dave.run("sync")).ok()

    assert world.contoso_id not in ids(await dave.list("organizations"))
    assert ids(await dave.list("items")) == {world.items["Globex router"]}
    assert await dave.list("collections") == []
    for item_name in ("db01.contoso.example (root)", "Corporate card", "Carol's webmail"):
        probe = await dave.run("get", "item", world.items[item_name])
        assert probe.code != 0, f"Dave reached {item_name!r}: {probe.detail()}"
    for what in ("org-collections", "org-members"):
        probe = await dave.run("list", what, "--organizationid", world.contoso_id)
        assert probe.code != 0, f"Dave listed Contoso's {what}: {probe.detail()}"
