"""How a process authenticates to the broker: nothing on the embedded development broker, SASL (SCRAM) with one
user per service in production (docker-compose.yml, the Kubernetes chart), so each service can be held by ACLs to
writing only its own topics. One value, read from the settings, handed to every Kafka client a process makes."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any, Literal

from aiokafka.helpers import create_ssl_context
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


@dataclass(frozen=True)
class KafkaAuth:
    protocol: Protocol = "PLAINTEXT"
    mechanism: Mechanism = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None

    @property
    def sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def tls(self) -> bool:
        return self.protocol in ("SSL", "SASL_SSL")

    def ssl_context(self) -> ssl.SSLContext | None:
        return create_ssl_context(cafile=self.cafile) if self.tls else None

    def aiokafka(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka's producer, consumer and admin client."""
        if self.protocol == "PLAINTEXT":
            return {}
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.tls:
            options["ssl_context"] = self.ssl_context()
        if self.sasl:
            options |= {
                "sasl_mechanism": self.mechanism,
                "sasl_plain_username": self.username,
                "sasl_plain_password": self.password,
            }
        return options

    def faststream(self) -> BaseSecurity | None:
        """The same, as FastStream's broker takes it."""
        if self.protocol == "PLAINTEXT":
            return None
        context = self.ssl_context()
        if not self.sasl:
            return BaseSecurity(ssl_context=context, use_ssl=True)
        kind = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256, "PLAIN": SASLPlaintext}[self.mechanism]
        return kind(username=self.username or "", password=self.password or "", ssl_context=context, use_ssl=self.tls)
