"""`mspvault`: the command line for operators and evaluators.

    mspvault add-operator EMAIL          make EMAIL a platform operator (the local system's identity database)
    mspvault register EMAIL              create an account (keys are made here; the server never sees the password)
    mspvault provider setup ...          an operator opens a provider and invites its first admin
    mspvault demo                        build the whole DESIGN.md §5 world and print everyone's password

Expected failures (an API error, an unreachable gateway, a missing invitation) print one clear line and exit 1;
only a bug shows a traceback.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import httpx
import typer
from rich.console import Console

from mspvault.client.api import ApiError, NotLoggedIn
from mspvault.client.crypto import CryptoError, KdfConfig
from mspvault.client.demo import DEFAULT_OPERATOR, DemoBuilder, DemoError, DemoOptions, DemoWorld
from mspvault.client.generators import generate_password
from mspvault.client.mailbox import InvitationNotFound
from mspvault.client.onboarding import Connection
from mspvault.client.providers import ProviderType
from mspvault.client.wire import UnexpectedResponse, pick

T = TypeVar("T")

DEFAULT_SERVER = "https://127.0.0.1:8443"
DEFAULT_DATA_DIR = Path(".mspvault")

app = typer.Typer(
    name="mspvault",
    help="MSPVault: set up operators and providers, register accounts, and build the demo world.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
provider_app = typer.Typer(help="Providers (MSPs).", no_args_is_help=True)
app.add_typer(provider_app, name="provider")

console = Console()
errors = Console(stderr=True)

ServerOption = Annotated[
    str, typer.Option("--server", envvar="MSPVAULT_SERVER", help="The gateway's HTTPS URL.", show_default=True)
]
CaOption = Annotated[
    Path,
    typer.Option(
        "--ca", envvar="MSPVAULT_CA", help="The development CA to trust (made by the gateway on first start)."
    ),
]
MailDirOption = Annotated[
    Path, typer.Option("--mail-dir", envvar="MSPVAULT_MAIL_DIR", help="Where the development mail sink stores mail.")
]


class CliError(Exception):
    """Print the message, exit 1."""


def main() -> None:
    app()


# --- commands ---------------------------------------------------------------------------------------------


@app.command("add-operator")
def add_operator(
    email: Annotated[str, typer.Argument(help="The operator's e-mail (an account to register).")],
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="MSPVAULT_IDENTITY_DATABASE_URL",
            help="The identity service's database (postgresql+asyncpg://…).",
        ),
    ] = None,
) -> None:
    """Make EMAIL a platform operator: runs `python -m mspvault.identity add-operator EMAIL`.

    That writes to the identity database (--database-url / MSPVAULT_IDENTITY_DATABASE_URL). Without database access,
    name operators when the system starts instead: MSPVAULT_IDENTITY_OPERATORS='["ops@example.com"]' make up.
    Either way the flag reaches tokens at the operator's next login.
    """
    if not database_url:
        _fail(
            "the identity database is not known: pass --database-url (or set MSPVAULT_IDENTITY_DATABASE_URL), or "
            f"start the system with MSPVAULT_IDENTITY_OPERATORS='[\"{email}\"]' instead"
        )
    env = dict(os.environ) | {"MSPVAULT_IDENTITY_DATABASE_URL": database_url}
    # The identity settings insist on a broker address; adding an operator writes to the database only.
    env.setdefault("MSPVAULT_IDENTITY_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    command = [sys.executable, "-m", "mspvault.identity", "add-operator", email]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # our interpreter
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        _fail(f"`python -m mspvault.identity add-operator` exited with code {done.returncode}: {last}")
    console.print(f"[green]✓[/] {done.stdout.strip() or email + ' is a platform operator'} (from their next login)")


@app.command()
def register(
    email: Annotated[str, typer.Argument(help="The new account's e-mail.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="MSPVAULT_PASSWORD", help="Master password; asked for when omitted.", show_default=False),
    ] = None,
    generate: Annotated[bool, typer.Option("--generate", help="Generate a strong password and print it.")] = False,
    argon2: Annotated[bool, typer.Option("--argon2id", help="Argon2id instead of PBKDF2-SHA256 (600,000).")] = False,
    server: ServerOption = DEFAULT_SERVER,
    ca: CaOption = DEFAULT_DATA_DIR / "tls" / "ca.pem",
) -> None:
    """Create an account. The master key, user key and RSA key pair are made here."""
    if generate:
        password = generate_password()
    elif password is None:
        password = typer.prompt("Master password", hide_input=True, confirmation_prompt=True)
    kdf = KdfConfig.argon2id() if argon2 else KdfConfig.pbkdf2()

    async def run() -> None:
        async with _connection(server, ca).client() as client:
            with console.status(f"Deriving keys and registering {email}…"):
                await client.register(email, password, name=name, kdf=kdf)
                await client.login(email, password)  # proves the account opens with this password

    _run(run())
    console.print(f"[green]✓[/] registered {email}")
    if generate:
        console.print(f"  master password: [bold]{password}[/]")


@provider_app.command("setup")
def provider_setup(
    name: Annotated[str, typer.Option(help="The provider's name, e.g. 'Acme MSP'.")],
    admin: Annotated[str, typer.Option(help="E-mail of its first Provider Admin; the invitation goes there.")],
    provider_type: Annotated[
        str, typer.Option("--type", help="msp, reseller or business-unit.", case_sensitive=False)
    ] = "msp",
    operator: Annotated[
        str, typer.Option(envvar="MSPVAULT_OPERATOR", help="The operator's e-mail.")
    ] = DEFAULT_OPERATOR,
    operator_password: Annotated[
        str | None, typer.Option(envvar="MSPVAULT_OPERATOR_PASSWORD", help="Asked for when omitted.")
    ] = None,
    server: ServerOption = DEFAULT_SERVER,
    ca: CaOption = DEFAULT_DATA_DIR / "tls" / "ca.pem",
    mail_dir: MailDirOption = DEFAULT_DATA_DIR / "mail",
) -> None:
    """An operator opens a provider and invites its first admin by mail."""
    kind = _provider_type(provider_type)
    password = operator_password or typer.prompt(f"Password of {operator}", hide_input=True)

    async def run() -> dict[str, Any]:
        async with _connection(server, ca).client() as client:
            with console.status(f"Logging in as {operator}…"):
                await client.login(operator, password)
            try:
                return await client.providers.open(name=name, owner_email=admin, provider_type=kind)
            except ApiError as error:
                if error.status == 404:
                    raise CliError(
                        f"{operator} is not a platform operator: run `mspvault add-operator {operator}` and try again"
                    ) from error
                raise

    provider = _run(run())
    provider_id = pick(provider, "id") or "?"
    hint = [
        f"[green]✓[/] provider {name!r} created (id {provider_id}); it waits for its first admin to set it up.",
        f"  The invitation went to {admin}; in development it is stored under {mail_dir}/ (an .eml file).",
        "  Its link carries providerId, providerUserId and token. The admin registers",
        f"  (`mspvault register {admin}`), then sets the provider up with the token, which makes the provider key:",
        f"  POST /api/providers/{provider_id}/setup {{token, key, name, billingEmail}} — in Python:",
        "  `await client.providers.setup(provider_id, token=..., name=..., billing_email=...)`.",
        "  `mspvault demo` shows the whole flow (operator → admin → service user → client org → member).",
    ]
    for line in hint:
        console.print(line, soft_wrap=True, highlight=False)


@app.command()
def demo(
    tag: Annotated[
        str, typer.Option(help="Suffix for every e-mail (alice.TAG@acme.example), to build the world again.")
    ] = "",
    operator: Annotated[
        str, typer.Option(envvar="MSPVAULT_OPERATOR", help="The operator's e-mail.")
    ] = DEFAULT_OPERATOR,
    operator_password: Annotated[
        str | None,
        typer.Option(envvar="MSPVAULT_OPERATOR_PASSWORD", help="Needed when the operator account exists already."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the world (ids, e-mails, passwords) as JSON.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each step that rides on events or mail.")] = 60.0,
    server: ServerOption = DEFAULT_SERVER,
    ca: CaOption = DEFAULT_DATA_DIR / "tls" / "ca.pem",
    mail_dir: MailDirOption = DEFAULT_DATA_DIR / "mail",
) -> None:
    """Build the demo world: Acme MSP (Alice, Bob), client Contoso (Carol, collections and items), Globex IT (Dave)."""
    if not mail_dir.is_dir():
        _fail(f"no mail directory at {mail_dir}: start the system (`make up`) or pass --mail-dir")
    options = DemoOptions(
        connection=_connection(server, ca),
        mail_dir=mail_dir,
        tag=tag,
        operator_email=operator,
        operator_password=operator_password,
        timeout=timeout,
    )
    started = time.monotonic()
    out = errors if as_json else console  # with --json, stdout carries only the JSON
    with out.status("Building the demo world…") as status:

        def progress(message: str) -> None:
            out.print(f"[dim]{time.monotonic() - started:6.1f}s[/] • {message}", highlight=False)
            status.update(message + "…")

        world = _run(DemoBuilder(options, progress).build())
    out.print(f"[green]✓[/] demo world ready in {time.monotonic() - started:.1f}s")
    if as_json:
        print(json.dumps(dataclasses.asdict(world), indent=2))
    else:
        _print_world(world, options)


# --- output -----------------------------------------------------------------------------------------------


def _print_world(world: DemoWorld, options: DemoOptions) -> None:
    # Plain lines, never wrapped or cut: a password must survive copy and paste from any terminal width.
    console.print("\n[bold]People[/] (e-mail / master password)")
    width = max(len(person.email) for person in world.people)
    for person in world.people:
        console.print(f"  {person.email:<{width}}  {person.password}   [dim]{person.role}[/]", soft_wrap=True)
    console.print("\n[bold]Ids[/]")
    rows = [("provider Acme MSP", world.acme_id), ("provider Globex IT", world.globex_id)]
    rows += [("organization Contoso", world.contoso_id)]
    rows += [(f"collection {name}", collection_id) for name, collection_id in world.collections.items()]
    for what, identifier in rows:
        console.print(f"  {what:<22} {identifier}", soft_wrap=True, highlight=False)

    ca = options.connection.ca.resolve() if options.connection.ca else None
    console.print("\n[bold]Try the official Bitwarden CLI[/] (npm install -g @bitwarden/cli@2026.9.0):")
    lines = [f"export NODE_EXTRA_CA_CERTS={ca}"] if ca is not None else []
    lines += [
        f"bw config server {world.server}",
        f"export BW_SESSION=$(bw login {world.carol.email} '{world.carol.password}' --raw)",
        f"bw list items --collectionid {world.collections.get('Servers', '')}",
    ]
    for line in lines:
        console.print(f"  {line}", soft_wrap=True, highlight=False, markup=False)


# --- plumbing ---------------------------------------------------------------------------------------------


def _connection(server: str, ca: Path) -> Connection:
    if not server.startswith("https://"):
        _fail("the server URL must start with https:// (the gateway, like the Bitwarden clients, speaks TLS only)")
    if not ca.is_file():
        _fail(f"no CA certificate at {ca}: start the system (`make up`) or pass --ca")
    return Connection(server=server.rstrip("/"), ca=ca)


def _provider_type(text: str) -> ProviderType:
    kinds = {"msp": ProviderType.MSP, "reseller": ProviderType.RESELLER, "business-unit": ProviderType.BUSINESS_UNIT}
    if text.lower() not in kinds:
        _fail(f"--type must be one of {', '.join(kinds)}")
    return kinds[text.lower()]


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one command's coroutine; turn the failures a user can cause or fix into one line on stderr."""
    try:
        return asyncio.run(coroutine)
    except ApiError as error:
        _fail(f"the server refused: {error.message} (HTTP {error.status})")
    except (CliError, DemoError, InvitationNotFound, TimeoutError, NotLoggedIn) as error:
        _fail(str(error))
    except httpx.ConnectError as error:
        if "CERTIFICATE_VERIFY_FAILED" in str(error):
            _fail(f"TLS verification failed ({error}): pass the gateway's CA with --ca")
        _fail(f"cannot reach the gateway ({error}): is the system running (`make up`)?")
    except httpx.TimeoutException:
        _fail("the gateway did not answer in time")
    except CryptoError as error:
        _fail(f"cryptography failed: {error} (a wrong password, or data not made for this key)")
    except UnexpectedResponse as error:
        _fail(f"unexpected answer from the server: {error}")
    except KeyboardInterrupt:
        _fail("interrupted")


def _fail(message: str) -> NoReturn:
    errors.print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
