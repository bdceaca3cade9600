"""Abuse limits at the gateway: sliding windows per IP, account and organization (window.py, pure), counters in
memory or PostgreSQL (counters.py), the route table and the 429 (limiter.py)."""

from __future__ import annotations

from mspvault.gateway.rate_limits.counters import Counters, MemoryCounters, PostgresCounters
from mspvault.gateway.rate_limits.limiter import Limits, RateLimited, RateLimiter
from mspvault.shared.db.engine import make_engine
from mspvault.shared.settings import GatewaySettings


def build_limiter(settings: GatewaySettings) -> RateLimiter:
    counters: Counters = (
        PostgresCounters(make_engine(settings.database_url, pool_size=5)) if settings.database_url else MemoryCounters()
    )
    return RateLimiter(counters, Limits.of(settings))


__all__ = ["RateLimited", "RateLimiter", "build_limiter"]
