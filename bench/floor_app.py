"""The floor for the sync benchmark: one process, FastAPI + asyncpg, one query, the same rows as the vault returns.

Run by bench/sync.py as `python -m bench.floor_app <vault-db-url> <port> <cert> <key>`; it answers
`GET /floor/{user_id}` with the user's visible ciphers (personal + through collection access) as JSON.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import uvicorn
from fastapi import FastAPI, Response

VISIBLE_CIPHERS = """
SELECT c.id, c.type, c.organization_id, c.name, c.notes, c.key, c.reprompt, c.data::text AS data,
       c.fields::text AS fields, c.password_history::text AS password_history, c.created_at, c.updated_at,
       c.deleted_at, coalesce(array_agg(cc.collection_id) FILTER (WHERE cc.collection_id IS NOT NULL), '{}') AS cols
FROM ciphers c
LEFT JOIN collection_ciphers cc ON cc.cipher_id = c.id
LEFT JOIN collection_access ca ON ca.collection_id = cc.collection_id AND ca.user_id = $1
WHERE c.user_id = $1 OR ca.user_id IS NOT NULL
GROUP BY c.id
"""


def build(dsn: str) -> FastAPI:
    pool: asyncpg.Pool | None = None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        nonlocal pool
        pool = await asyncpg.create_pool(dsn, min_size=4, max_size=8)
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/floor/{user_id}")
    async def floor(user_id: uuid.UUID) -> Response:
        assert pool is not None
        rows = await pool.fetch(VISIBLE_CIPHERS, user_id)
        body = [
            {
                "id": str(r["id"]),
                "type": r["type"],
                "organizationId": str(r["organization_id"] or "") or None,
                "name": r["name"],
                "notes": r["notes"],
                "key": r["key"],
                "reprompt": r["reprompt"],
                "data": json.loads(r["data"]),
                "fields": json.loads(r["fields"] or "null"),
                "passwordHistory": json.loads(r["password_history"] or "null"),
                "creationDate": r["created_at"].isoformat(),
                "revisionDate": r["updated_at"].isoformat(),
                "deletedDate": r["deleted_at"].isoformat() if r["deleted_at"] else None,
                "collectionIds": [str(c) for c in r["cols"]],
            }
            for r in rows
        ]
        return Response(json.dumps({"ciphers": body}), media_type="application/json")

    return app


if __name__ == "__main__":
    dsn, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    uvicorn.run(build(dsn), host="127.0.0.1", port=port, ssl_certfile=cert, ssl_keyfile=key, log_level="warning")
