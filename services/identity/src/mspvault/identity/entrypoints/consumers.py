"""Identity is the source of users and reads nobody's data but one fact: the organizations' API keys (a digest and
a stamp), to answer `client_credentials` for `organization.<id>` at its token endpoint."""

from __future__ import annotations

from collections.abc import Callable

from mspvault.identity.service_layer import projections as p
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter


def build_event_router(work: Callable[[UnitOfWork], IdentityWork]) -> EventRouter[IdentityWork]:
    router = EventRouter(work=work)
    router.subscribe(p)
    return router
