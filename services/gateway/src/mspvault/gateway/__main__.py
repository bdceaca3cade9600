"""`python -m mspvault.gateway`: the public HTTPS port (the official Bitwarden CLI refuses plain HTTP)."""

from __future__ import annotations

from urllib.parse import urlsplit

import uvicorn

from mspvault.gateway.bootstrap import create_app
from mspvault.gateway.tls import ensure_tls
from mspvault.shared.observability.logging import configure_logging, get_logger
from mspvault.shared.settings import GatewaySettings

log = get_logger(__name__)


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level, settings.log_json)
    public_host = urlsplit(settings.public_url).hostname or ""
    tls = ensure_tls(settings.data_dir, [settings.http_host, public_host])
    log.info("gateway.tls", ca_cert=str(tls.ca_cert), public_url=settings.public_url)
    # Printed plainly so a person can copy it: the CLI trusts our CA only through this variable.
    print(f"MSPVault gateway on {settings.public_url}; CA certificate: {tls.ca_cert}", flush=True)
    print(f"  export NODE_EXTRA_CA_CERTS={tls.ca_cert}", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.https_port,
        ssl_certfile=str(tls.cert),
        ssl_keyfile=str(tls.key),
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
