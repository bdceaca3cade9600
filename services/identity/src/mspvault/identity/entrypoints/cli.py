"""`python -m mspvault.identity add-operator EMAIL` / `remove-operator EMAIL`; every other command goes to the shared
service runner."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence

from mspvault.identity.bootstrap import build_parts
from mspvault.identity.domain.account import validate_email
from mspvault.identity.service_layer.accounts import add_operator, remove_operator
from mspvault.identity.service_layer.commands import AddOperator, RemoveOperator
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.db.engine import make_engine, make_session_factory
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import DomainError
from mspvault.shared.runtime import main as run_service
from mspvault.shared.settings import IdentitySettings
from mspvault.shared.text import normalize_email

OWN_COMMANDS = ("add-operator", "remove-operator")


async def _run(handler: Callable[[IdentityWork], Awaitable[bool]]) -> bool:
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
            return await handler(parts.state["identity_work"](uow, sessions))
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in OWN_COMMANDS:
        run_service(build_parts, args)
        return
    parser = argparse.ArgumentParser(prog="python -m mspvault.identity")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "add-operator", help="make the account of EMAIL, whose email is verified, a platform operator"
    )
    add.add_argument("email")
    remove = commands.add_parser("remove-operator", help="stop the account of EMAIL being a platform operator")
    remove.add_argument("email")
    parsed = parser.parse_args(args)
    try:
        email = validate_email(parsed.email)
    except DomainError as error:
        parser.error(error.message)
    try:
        if parsed.command == "add-operator":
            added = asyncio.run(_run(lambda work: add_operator(work, AddOperator(email))))
            print(f"{email} {'is now' if added else 'already was'} a platform operator")
        else:
            removed = asyncio.run(_run(lambda work: remove_operator(work, RemoveOperator(email))))
            settings_named = email in {normalize_email(e) for e in IdentitySettings().operators}
            if removed:
                print(f"{email} is no longer a platform operator (the gateway notices within 30 s)")
            else:
                print(f"{email} was not a platform operator added by add-operator")
            if settings_named:
                print(f"{email} is still named in MSPVAULT_IDENTITY_OPERATORS: remove it there too", file=sys.stderr)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        sys.exit(1)
