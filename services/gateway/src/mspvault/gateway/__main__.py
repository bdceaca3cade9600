"""`python -m mspvault.gateway`: the public HTTPS port (the official Bitwarden CLI refuses plain HTTP)."""

from __future__ import annotations

from urllib.parse import urlsplit

from mspvault.gateway.bootstrap import create_app
from mspvault.gateway.state import Gateway
from mspvault.gateway.tls import ensure_tls
from mspvault.shared.observability.logging import configure_logging, get_logger
from mspvault.shared.serving import serve
from mspvault.shared.settings import GatewaySettings

log = get_logger(__name__)


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level, settings.log_json)
    if settings.tls_cert_file and settings.tls_key_file:  # a certificate from outside (e.g. a Kubernetes Secret)
        cert, key = settings.tls_cert_file, settings.tls_key_file
        print(f"MSPVault gateway on {settings.public_url}; certificate: {cert}", flush=True)
    else:
        public_host = urlsplit(settings.public_url).hostname or ""
        tls = ensure_tls(settings.data_dir, [settings.http_host, public_host])
        cert, key = tls.cert, tls.key
        log.info("gateway.tls", ca_cert=str(tls.ca_cert), public_url=settings.public_url)
        # Printed plainly so a person can copy it: the CLI trusts our CA only through this variable.
        print(f"MSPVault gateway on {settings.public_url}; CA certificate: {tls.ca_cert}", flush=True)
        print(f"  export NODE_EXTRA_CA_CERTS={tls.ca_cert}", flush=True)
    app = create_app(settings)
    gateway: Gateway = app.state.gateway
    serve(
        app,
        host=settings.http_host,
        port=settings.https_port,
        draining=gateway.draining,
        shutdown_delay=settings.shutdown_delay_seconds,
        graceful_timeout=settings.graceful_timeout_seconds,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default: any local process could then pose as
        # any address to the rate limits. The app trusts only MSPVAULT_GATEWAY_TRUSTED_PROXIES (bootstrap.py).
        proxy_headers=False,
        share_port=settings.share_port,
    )


if __name__ == "__main__":
    main()
