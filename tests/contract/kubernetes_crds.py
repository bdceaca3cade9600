"""The custom resources the chart renders, as far as it uses them: Strimzi (kafka.strimzi.io/v1beta2) and
CloudNativePG (postgresql.cnpg.io/v1).

No package on the registries we reach ships these operators' CRDs (kubernetes-validate knows the core kinds only),
so these models state, field by field, what the operators' API references document for the fields we set: names,
types, enums and bounds. `extra="forbid"` everywhere: a misspelt or misplaced field fails here instead of being
pruned silently by the API server. Fields the chart does not use are not modelled, so a new one must be added here,
checked against the operator's reference, before the chart may set it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

QUANTITY = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"


class Strict(BaseModel):
    """Field names are the CRDs' own (camelCase)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Metadata(Strict):
    name: Annotated[str, Field(pattern=DNS_SUBDOMAIN, max_length=253)]
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}


class Resources(Strict):
    requests: dict[str, Annotated[str, Field(pattern=QUANTITY)]] = {}
    limits: dict[str, Annotated[str, Field(pattern=QUANTITY)]] = {}


# ---- Strimzi ---------------------------------------------------------------------------------------------------


class Authentication(Strict):
    type: Literal["tls", "scram-sha-512", "oauth", "custom"]


class Listener(Strict):
    # "up to 25 characters, lower-case letters and numbers"; ports 9092 and above except 9404 and 9999.
    name: Annotated[str, Field(pattern=r"^[a-z0-9]{1,25}$")]
    port: Annotated[int, Field(ge=9092)]
    type: Literal["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"]
    tls: bool
    authentication: Authentication | None = None

    @field_validator("port")
    @classmethod
    def _not_reserved(cls, port: int) -> int:
        if port in (9404, 9999):
            raise ValueError("ports 9404 and 9999 are Strimzi's (Prometheus, JMX)")
        return port


class KafkaClusterSpec(Strict):
    version: str
    listeners: Annotated[list[Listener], Field(min_length=1)]
    authorization: dict[Literal["type"], Literal["simple", "keycloak", "opa", "custom"]] | None = None
    config: dict[str, int | str | bool] = {}


class EntityOperator(Strict):
    topicOperator: dict[str, Any] | None = None
    userOperator: dict[str, Any] | None = None


class KafkaSpec(Strict):
    kafka: KafkaClusterSpec
    entityOperator: EntityOperator | None = None


class Kafka(Strict):
    apiVersion: Literal["kafka.strimzi.io/v1beta2"]
    kind: Literal["Kafka"]
    metadata: Metadata
    spec: KafkaSpec


class PoolVolume(Strict):
    id: Annotated[int, Field(ge=0)]
    type: Literal["ephemeral", "persistent-claim"]
    size: Annotated[str, Field(pattern=QUANTITY)] | None = None
    deleteClaim: bool = False
    kraftMetadata: Literal["shared"] | None = None


class PoolStorage(Strict):
    type: Literal["jbod", "ephemeral", "persistent-claim"]
    volumes: list[PoolVolume] = []


class KafkaNodePoolSpec(Strict):
    replicas: Annotated[int, Field(ge=0)]
    roles: Annotated[list[Literal["controller", "broker"]], Field(min_length=1)]
    storage: PoolStorage
    resources: Resources | None = None


class KafkaNodePool(Strict):
    apiVersion: Literal["kafka.strimzi.io/v1beta2"]
    kind: Literal["KafkaNodePool"]
    metadata: Metadata
    spec: KafkaNodePoolSpec

    @field_validator("metadata")
    @classmethod
    def _names_its_cluster(cls, metadata: Metadata) -> Metadata:
        if "strimzi.io/cluster" not in metadata.labels:
            raise ValueError("a KafkaNodePool names its cluster in the strimzi.io/cluster label")
        return metadata


class KafkaTopicSpec(Strict):
    topicName: Annotated[str, Field(pattern=r"^[a-zA-Z0-9._-]{1,249}$")] | None = None
    partitions: Annotated[int, Field(ge=1)]
    replicas: Annotated[int, Field(ge=1, le=32767)]
    config: dict[str, int | str | bool] = {}


class KafkaTopic(Strict):
    apiVersion: Literal["kafka.strimzi.io/v1beta2"]
    kind: Literal["KafkaTopic"]
    metadata: Metadata
    spec: KafkaTopicSpec


AclOperation = Literal[
    "Read",
    "Write",
    "Create",
    "Delete",
    "Alter",
    "Describe",
    "ClusterAction",
    "AlterConfigs",
    "DescribeConfigs",
    "IdempotentWrite",
    "All",
]


class AclResource(Strict):
    type: Literal["topic", "group", "cluster", "transactionalId"]
    name: str | None = None
    patternType: Literal["literal", "prefix"] = "literal"


class AclRule(Strict):
    resource: AclResource
    operations: Annotated[list[AclOperation], Field(min_length=1)]
    type: Literal["allow", "deny"] = "allow"
    host: str = "*"


class KafkaUserAuthorization(Strict):
    type: Literal["simple"]
    acls: list[AclRule]


class KafkaUserSpec(Strict):
    authentication: dict[Literal["type"], Literal["tls", "tls-external", "scram-sha-512"]]
    authorization: KafkaUserAuthorization


class KafkaUser(Strict):
    apiVersion: Literal["kafka.strimzi.io/v1beta2"]
    kind: Literal["KafkaUser"]
    metadata: Metadata
    spec: KafkaUserSpec


# ---- CloudNativePG ---------------------------------------------------------------------------------------------


class InitDb(Strict):
    database: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]
    owner: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]
    secret: dict[Literal["name"], str] | None = None  # a basic-auth Secret, by reference


class Bootstrap(Strict):
    initdb: InitDb


class PostgresConfiguration(Strict):
    parameters: dict[str, str] = {}  # every value a string, as the CRD requires


class Storage(Strict):
    size: Annotated[str, Field(pattern=QUANTITY)]
    storageClass: str | None = None


class ClusterSpec(Strict):
    instances: Annotated[int, Field(ge=1)]
    primaryUpdateStrategy: Literal["unsupervised", "supervised"] = "unsupervised"
    bootstrap: Bootstrap
    postgresql: PostgresConfiguration | None = None
    storage: Storage
    resources: Resources | None = None


class Cluster(Strict):
    apiVersion: Literal["postgresql.cnpg.io/v1"]
    kind: Literal["Cluster"]
    metadata: Metadata
    spec: ClusterSpec

    @field_validator("metadata")
    @classmethod
    def _short_name(cls, metadata: Metadata) -> Metadata:
        # The operator derives Service and Secret names (<name>-rw, <name>-app...) from it.
        if not re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?", metadata.name):
            raise ValueError("a Cluster's name is a DNS label short enough for its derived names")
        return metadata


CUSTOM_KINDS: dict[tuple[str, str], type[BaseModel]] = {
    ("kafka.strimzi.io/v1beta2", "Kafka"): Kafka,
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"): KafkaNodePool,
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"): KafkaTopic,
    ("kafka.strimzi.io/v1beta2", "KafkaUser"): KafkaUser,
    ("postgresql.cnpg.io/v1", "Cluster"): Cluster,
}
