"""`python -m mspvault.deploy.healthcheck URL [CA_FILE]`: exit 0 when URL answers 200 (container health checks).

The images carry no curl; this keeps each compose health check one short line. CA_FILE verifies an HTTPS URL
against our development CA.
"""

from __future__ import annotations

import ssl
import sys
import urllib.request


def check(url: str, ca_file: str | None = None, timeout: float = 3.0) -> bool:
    context = ssl.create_default_context(cafile=ca_file) if url.startswith("https://") else None
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310  # our own URL
            return bool(response.status == 200)
    except OSError:  # refused, timed out, TLS failure, or an HTTP error status (HTTPError is an OSError)
        return False


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__.split("\n")[0], file=sys.stderr)
        sys.exit(2)
    sys.exit(0 if check(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None) else 1)
