"""Which coding the gateway and the services pick from Accept-Encoding (shared/http/compression.py)."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import brotli
import pytest

from mspvault.shared.http.compression import SEND_SIZE, compress, compressed_stream, negotiate


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        (None, None),
        ("", None),
        ("identity", None),
        ("gzip, deflate", "gzip"),  # the bw CLI (node-fetch)
        ("gzip, deflate, br, zstd", "br"),  # browsers and the desktop app
        ("br;q=0, gzip", "gzip"),
        ("BR", "br"),
        ("gzip;q=0", None),
        ("gzip;q=0.5, br;q=0", "gzip"),
        ("*", "gzip"),
        ("br;q=bogus, gzip", "gzip"),
    ],
)
def test_negotiation(header: str | None, coding: str | None) -> None:
    assert negotiate(header) == coding


def test_both_codings_round_trip_a_body_in_pieces() -> None:
    body = b'{"ciphers":[' + b",".join(b'{"id":"%d","name":"2.abc|def|ghi"}' % n for n in range(500)) + b"]}"
    pieces: list[bytes | memoryview] = [body[:7], memoryview(body)[7:9000], b"", body[9000:]]
    for chunks in ([body], pieces):
        assert brotli.decompress(compress(chunks, "br")) == body
        assert gzip.decompress(compress(chunks, "gzip")) == body
        assert len(compress(chunks, "br")) < len(body) / 4


async def test_a_streamed_body_is_compressed_and_sent_in_few_large_pieces() -> None:
    body = b"[" + b",".join(b'{"id":"%06d","organizationName":"Client %06d"}' % (n, n) for n in range(150_000)) + b"]"

    async def read() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):  # as the HTTP client reads a service's answer
            yield body[start : start + 65536]

    for coding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        pieces = [piece async for piece in compressed_stream(read(), coding)]
        assert decode(b"".join(pieces)) == body
        assert all(len(piece) >= SEND_SIZE for piece in pieces[:-1])
        assert len(pieces) < len(body) / 65536 / 4  # not one small write per piece read
