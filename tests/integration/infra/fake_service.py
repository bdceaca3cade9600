"""Stands in for `python -m mspvault.<service> [migrate]` in launcher tests: the same env contract, tiny behaviour.

`migrate` writes a row into the service's database; serving answers GET /health with the MSPVAULT_<SERVICE>_*
variables it received (over HTTPS with the launcher's certificate for the gateway) and stops cleanly on SIGTERM.
FAKE_FAIL=<service>:<command> makes that step exit 3.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import asyncpg


def main(argv: list[str]) -> int:
    assert argv[0] == "-m", argv
    name = argv[1].removeprefix("mspvault.")
    command = argv[2] if len(argv) > 2 else "serve"
    print(f"{command} {name} pid={os.getpid()}", flush=True)
    if os.environ.get("FAKE_FAIL") == f"{name}:{command}":
        print(f"{name} {command} failing on purpose", flush=True)
        return 3
    return migrate(name) if command == "migrate" else serve(name)


def migrate(name: str) -> int:
    url = os.environ[f"MSPVAULT_{name.upper()}_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")

    async def run() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("CREATE TABLE IF NOT EXISTS migrated (service text)")
            await conn.execute("INSERT INTO migrated VALUES ($1)", name)
        finally:
            await conn.close()

    asyncio.run(run())
    print(f"migrated {name}", flush=True)
    return 0


def serve(name: str) -> int:
    prefix = f"MSPVAULT_{name.upper()}_"
    received = {k.removeprefix(prefix): v for k, v in os.environ.items() if k.startswith(prefix)}
    port = int(received["HTTPS_PORT" if name == "gateway" else "HTTP_PORT"])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"service": name, "env": received}).encode()
            self.send_response(200 if self.path == "/health" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            print(f"{self.command} {self.path}", flush=True)

    server = ThreadingHTTPServer((received["HTTP_HOST"], port), Handler)
    if name == "gateway":
        tls = Path(received["DATA_DIR"]) / "tls"
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls / "server.pem", tls / "server-key.pem")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    print(f"{name} stopped cleanly", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
