"""Debian's Chromium for the browser tests (Playwright drives it; no browser is ever downloaded).

`python -m mspvault.deploy.chromium` (part of the install step of `make test`): nothing when `/usr/bin/chromium`
exists; as root with apt-get, installs the `chromium` package; otherwise stops at once with the one command to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_COMMAND = "sudo apt-get install -y chromium"
# Flags for a headless run in a container or CI (no sandbox as root, no first-run or update traffic).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def missing_message() -> str:
    return f"Debian's Chromium is missing ({CHROMIUM}); the browser tests need it. Run:\n    {INSTALL_COMMAND}"


def ensure() -> bool:
    """True when Chromium is there (already, or installed now)."""
    if CHROMIUM.exists():
        return True
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        return False
    print("chromium: installing Debian's package (apt-get install -y chromium)", flush=True)
    install = [apt_get, "install", "-y", "--no-install-recommends", "chromium"]
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    if _quiet(install, env) != 0:  # a fresh machine has no package lists yet
        _quiet([apt_get, "update"], env)
        _quiet(install, env)
    return CHROMIUM.exists()


def _quiet(command: list[str], env: dict[str, str]) -> int:
    return subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False).returncode  # noqa: S603


def main() -> int:
    if ensure():
        return 0
    print(missing_message(), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
