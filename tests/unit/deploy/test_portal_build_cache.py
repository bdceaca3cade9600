"""The portal build runs npm only when its inputs changed: `npm ci` on a new lockfile, `vite build` on new sources."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mspvault.deploy import portal


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "App.tsx").write_text("export const App = 1;\n")
    (tmp_path / "index.html").write_text("<!doctype html>\n")
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
    return tmp_path


@pytest.fixture
def npm_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """A fake npm: records each command and leaves what the real one would (node_modules/, dist/)."""
    calls: list[tuple[str, ...]] = []

    def fake_npm(portal_dir: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        (portal_dir / ("node_modules" if args[0] == "ci" else "dist")).mkdir(exist_ok=True)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(portal, "npm", fake_npm)
    return calls


def test_a_fresh_checkout_installs_then_builds(checkout: Path, npm_calls: list[tuple[str, ...]]) -> None:
    assert portal.build(checkout) is True
    assert [call[:2] for call in npm_calls] == [("ci", "--no-audit"), ("run", "build")]
    assert not portal.needs_install(checkout)
    assert not portal.needs_build(checkout)


def test_nothing_runs_when_nothing_changed(checkout: Path, npm_calls: list[tuple[str, ...]]) -> None:
    portal.build(checkout)
    npm_calls.clear()
    (checkout / "src" / "App.tsx").touch()  # a new mtime, the same bytes
    assert portal.build(checkout) is False
    assert npm_calls == []


def test_a_changed_source_rebuilds_without_reinstalling(checkout: Path, npm_calls: list[tuple[str, ...]]) -> None:
    portal.build(checkout)
    npm_calls.clear()
    (checkout / "src" / "App.tsx").write_text("export const App = 2;\n")
    assert portal.build(checkout) is True
    assert npm_calls == [("run", "build")]


def test_a_changed_lockfile_reinstalls_and_rebuilds(checkout: Path, npm_calls: list[tuple[str, ...]]) -> None:
    portal.build(checkout)
    npm_calls.clear()
    (checkout / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {}}\n')
    portal.build(checkout)
    assert [call[0] for call in npm_calls] == ["ci", "run"]


def test_build_outputs_and_installed_packages_are_not_sources(checkout: Path) -> None:
    before = portal.source_digest(checkout)
    for generated in ("node_modules/vite/index.js", "dist/assets/index-abc.js", "coverage/lcov.info"):
        (checkout / generated).parent.mkdir(parents=True, exist_ok=True)
        (checkout / generated).write_text("generated")
    (checkout / portal.BUILD_LOCK).touch()
    assert portal.source_digest(checkout) == before
    (checkout / "src" / "new.ts").write_text("export {};\n")
    assert portal.source_digest(checkout) != before


def test_a_failed_build_leaves_no_stamp(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_npm(portal_dir: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0 if args[0] == "ci" else 2, "", "")

    monkeypatch.setattr(portal, "npm", failing_npm)
    with pytest.raises(portal.PortalBuildFailed, match="npm run build"):
        portal.build(checkout)
    assert portal.needs_build(checkout)
