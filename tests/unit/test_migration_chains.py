"""Each service's migrations form one line: one head, each file named by the revision it holds.

Two branches that each add "the next" migration both land cleanly in git and leave two heads, after which the
service refuses to migrate at start-up; this catches it in the unit suite instead of in a system start.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "provider", "organization", "vault")


def migrations_of(service: str) -> Path:
    return ROOT / "services" / service / "src" / "mspvault" / service / "migrations"


@pytest.mark.parametrize("service", SERVICES)
def test_one_head(service: str) -> None:
    heads = ScriptDirectory(str(migrations_of(service))).get_heads()
    assert len(heads) == 1, f"{service} has {len(heads)} migration heads {heads}: renumber the newer one"


@pytest.mark.parametrize("service", SERVICES)
def test_files_named_by_their_revision(service: str) -> None:
    script = ScriptDirectory(str(migrations_of(service)))
    for revision in script.walk_revisions():
        file_name = Path(revision.path).name
        number = revision.revision.split("_")[0]
        assert file_name.startswith(number + "_"), f"{file_name} holds revision {revision.revision}"
