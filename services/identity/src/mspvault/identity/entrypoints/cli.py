"""`python -m mspvault.identity add-operator EMAIL`; every other command goes to the shared service runner."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from mspvault.identity.bootstrap import build_parts
from mspvault.identity.domain.account import validate_email
from mspvault.identity.service_layer.accounts import add_operator
from mspvault.identity.service_layer.commands import AddOperator
from mspvault.shared.db.engine import make_engine, make_session_factory
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import DomainError
from mspvault.shared.runtime import main as run_service

OWN_COMMANDS = ("add-operator",)


async def _add_operator(email: str) -> bool:
    parts = build_parts()
    engine = make_engine(parts.settings.database_url, pool_size=1)
    try:
        sessions = make_session_factory(engine)
        uow = UnitOfWork(
            sessions,
            parts.tables,
            service=parts.settings.service_name,
            topic=parts.settings.events_topic,
        )
        async with uow:
            return await add_operator(parts.state["identity_work"](uow, sessions), AddOperator(email))
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in OWN_COMMANDS:
        run_service(build_parts, args)
        return
    parser = argparse.ArgumentParser(prog="python -m mspvault.identity")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-operator", help="make EMAIL a platform operator (from its next login)")
    add.add_argument("email")
    parsed = parser.parse_args(args)
    try:
        email = validate_email(parsed.email)
    except DomainError as error:
        parser.error(error.message)
    added = asyncio.run(_add_operator(email))
    print(f"{email} {'is now' if added else 'already was'} a platform operator")
