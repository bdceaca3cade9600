"""structlog configured once per process: JSON lines (or readable lines for `make up`), with the correlation id."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from mspvault.shared.observability.correlation import causation_id, correlation_id

# Keys whose values must never reach a log line, whatever a caller passes by mistake.
_SECRET_KEYS = frozenset(
    {
        "password",
        "masterpasswordhash",
        "key",
        "privatekey",
        "encryptedprivatekey",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "secret",
        "data",
        "payload",
    }
)


def _add_correlation(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    if (cid := correlation_id.get()) is not None:
        event_dict.setdefault("correlation_id", cid)
    if (cause := causation_id.get()) is not None:
        event_dict.setdefault("causation_id", str(cause))
    return event_dict


def _redact(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for name in list(event_dict):
        if name.lower().replace("_", "") in _SECRET_KEYS or name.lower() in _SECRET_KEYS:
            event_dict[name] = "[redacted]"
    return event_dict


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    processors: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_correlation,
        _redact,
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries log through the standard library; keep them quiet unless something is wrong.
    logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format=f"{service} %(name)s %(message)s")


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
