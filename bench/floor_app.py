"""The floor for the sync benchmark: the fastest one-process answer there is to "this member's items as JSON".

Run by bench/sync.py as `python -m bench.floor_app <vault-db-url> <port> <cert> <key>`. It answers
`GET /floor/{user_id}` with `{"folders":[…],"ciphers":[…]}`: the same cipherDetails objects the vault writes (access
flags from the member's collection grants, their prefs, the collections each item is in), built entirely by
PostgreSQL in one statement (`json_agg` of `json_build_object`). The driver hands the `json` value over as the bytes
PostgreSQL sent (a binary codec that does not decode), and they go to the socket as the response body: no Python
object is made per item. Served by the same stack as the gateway (uvicorn, uvloop, httptools, TLS), as a bare ASGI
callable so no framework stands between the query and the socket.
"""

from __future__ import annotations

import sys
import uuid
from typing import Any

import asyncpg
import uvicorn

# Every item the member sees: personal ones, and organization items in a collection granted to them. Dates in the
# wire format clients read; the type's data under its own key and the other four null, as the vault writes them.
VISIBLE_VAULT = """
WITH grants AS (
    SELECT cc.cipher_id, cc.collection_id, ca.read_only, ca.hide_passwords
    FROM collection_access ca JOIN collection_ciphers cc ON cc.collection_id = ca.collection_id
    WHERE ca.user_id = $1
), visible AS (
    SELECT c.*, g.collection_ids, g.edit, g.view_password
    FROM ciphers c
    JOIN (
        SELECT cipher_id, json_agg(collection_id ORDER BY collection_id) AS collection_ids,
               bool_or(NOT read_only) AS edit, bool_or(NOT hide_passwords) AS view_password
        FROM grants GROUP BY cipher_id
    ) g ON g.cipher_id = c.id
    UNION ALL
    SELECT c.*, '[]'::json, true, true FROM ciphers c WHERE c.user_id = $1
)
SELECT json_build_object(
    'folders', (
        SELECT coalesce(json_agg(json_build_object(
            'id', f.id, 'revisionDate', to_char(f.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'name', f.name, 'object', 'folder') ORDER BY f.id), '[]'::json)
        FROM folders f WHERE f.user_id = $1),
    'ciphers', coalesce(json_agg(json_build_object(
        'object', 'cipherDetails', 'id', v.id, 'type', v.type, 'organizationId', v.organization_id,
        'folderId', p.folder_id, 'favorite', coalesce(p.favorite, false), 'edit', v.edit,
        'viewPassword', v.view_password, 'permissions', json_build_object('delete', v.edit, 'restore', v.edit),
        'name', v.name, 'notes', v.notes, 'key', v.key, 'reprompt', v.reprompt,
        'creationDate', to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'revisionDate', to_char(v.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'deletedDate', to_char(v.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'archivedDate', to_char(p.archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'collectionIds', v.collection_ids, 'attachments', NULL, 'organizationUseTotp', true,
        'login', CASE v.type WHEN 1 THEN v.data END, 'secureNote', CASE v.type WHEN 2 THEN v.data END,
        'card', CASE v.type WHEN 3 THEN v.data END, 'identity', CASE v.type WHEN 4 THEN v.data END,
        'sshKey', CASE v.type WHEN 5 THEN v.data END,
        'fields', coalesce(v.fields, '[]'::jsonb), 'passwordHistory', coalesce(v.password_history, '[]'::jsonb)
    ) ORDER BY v.id), '[]'::json)
)
FROM visible v
LEFT JOIN cipher_user_prefs p ON p.cipher_id = v.id AND p.user_id = $1
"""

PREFIX = b"/floor/"
JSON_HEADERS = [(b"content-type", b"application/json")]


async def _keep_bytes(connection: asyncpg.Connection) -> None:
    # PostgreSQL's binary form of `json` is its UTF-8 text: hand it over untouched.
    await connection.set_type_codec("json", encoder=bytes, decoder=bytes, schema="pg_catalog", format="binary")


class Floor:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    self.pool = await asyncpg.create_pool(self.dsn, min_size=4, max_size=8, init=_keep_bytes)
                    await send({"type": "lifespan.startup.complete"})
            if self.pool is not None:
                await self.pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return
        path: bytes = scope["raw_path"]
        if not path.startswith(PREFIX):
            await send({"type": "http.response.start", "status": 200, "headers": JSON_HEADERS})
            await send({"type": "http.response.body", "body": b"{}"})
            return
        assert self.pool is not None
        user_id = uuid.UUID(path[len(PREFIX) :].decode())
        body: bytes = await self.pool.fetchval(VISIBLE_VAULT, user_id)
        headers = [*JSON_HEADERS, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    dsn, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    uvicorn.run(
        Floor(dsn),
        host="127.0.0.1",
        port=port,
        ssl_certfile=cert,
        ssl_keyfile=key,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
