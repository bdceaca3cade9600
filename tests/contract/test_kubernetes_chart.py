"""deploy/kubernetes/mspvault, the production shape on Kubernetes: rendered by Helm's engine, every object valid.

Core kinds are validated against the Kubernetes OpenAPI schemas that kubernetes-validate ships (strict: unknown
fields fail); the operators' kinds (Strimzi, CloudNativePG) against `kubernetes_crds.py`. Then the shape itself:
per service a Deployment with probes and requests, a Service, an HPA, a PDB and a migration Job; Kafka topics with
replication 3 and min.insync.replicas=2; one PostgreSQL cluster per database; secrets only by reference.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from pydantic import ValidationError

from tests.contract.kubernetes_crds import CUSTOM_KINDS

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "kubernetes" / "mspvault"
RENDER = Path(__file__).with_name("render_chart.py")
KUBERNETES_VERSION = "1.30.0"  # the chart's kubeVersion floor
SERVICES = ("identity", "provider", "organization", "vault")
SECRET_ENV = re.compile(r"(PASSWORD|SECRET|DATABASE_URL|TOKEN|KEY)$")

Obj = dict[str, Any]


def render(values: Obj | None = None) -> tuple[Obj, list[Obj]]:
    argv = [sys.executable, str(RENDER), str(CHART)] + ([json.dumps(values)] if values else [])
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    objects = [
        doc
        for text in result["manifests"].values()
        for doc in yaml.safe_load_all(text)
        if doc  # a template may render empty documents
    ]
    return result["lint"], objects


@pytest.fixture(scope="module")
def rendered() -> tuple[Obj, list[Obj]]:
    return render()


@pytest.fixture(scope="module")
def objects(rendered: tuple[Obj, list[Obj]]) -> list[Obj]:
    return rendered[1]


def named(objects: list[Obj], kind: str) -> dict[str, Obj]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def test_helm_lint_finds_no_error(rendered: tuple[Obj, list[Obj]]) -> None:
    lint = rendered[0]
    assert lint["errors"] == []
    assert [m for m in lint["messages"] if m["severity"] > 1] == []  # 1 = info (e.g. "icon is recommended")


def test_every_object_is_valid_for_its_kind(objects: list[Obj]) -> None:
    failures: list[str] = []
    for obj in objects:
        where = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
        model = CUSTOM_KINDS.get((obj.get("apiVersion", ""), obj.get("kind", "")))
        try:
            if model is not None:
                model.model_validate(obj)
            else:
                kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except (ValidationError, kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError) as e:
            failures.append(f"{where}: {e}")
    assert failures == []
    assert Counter(o["kind"] for o in objects) == {
        "Deployment": 5,
        "Service": 5,
        "HorizontalPodAutoscaler": 5,
        "PodDisruptionBudget": 5,
        "Job": 4,
        "Kafka": 1,
        "KafkaNodePool": 1,
        "KafkaTopic": 8,
        "KafkaUser": 5,  # one per service and the gateway
        "Cluster": 5,
    }


def test_a_misspelt_field_fails_validation() -> None:
    """The validation above has teeth, for both kinds of object."""
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"portz": []}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(service, KUBERNETES_VERSION, strict=True)
    topic = {
        "apiVersion": "kafka.strimzi.io/v1beta2",
        "kind": "KafkaTopic",
        "metadata": {"name": "t"},
        "spec": {"partitions": 6, "replica": 3},
    }
    with pytest.raises(ValidationError):
        CUSTOM_KINDS[("kafka.strimzi.io/v1beta2", "KafkaTopic")].model_validate(topic)


@pytest.mark.parametrize("component", [*SERVICES, "gateway"])
def test_each_process_has_probes_requests_autoscaling_and_a_disruption_budget(
    objects: list[Obj], component: str
) -> None:
    name = f"mv-{component}"
    deployment = named(objects, "Deployment")[name]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert probe in container, probe
    live, ready = container["livenessProbe"]["httpGet"]["path"], container["readinessProbe"]["httpGet"]["path"]
    assert (live, ready) == (("/alive", "/ready") if component == "gateway" else ("/live", "/ready"))
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert "memory" in container["resources"]["limits"]
    assert container["lifecycle"]["preStop"]["sleep"]["seconds"] > 0  # endpoints drop before the process stops
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True

    service = named(objects, "Service")[name]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    hpa = named(objects, "HorizontalPodAutoscaler")[name]
    assert hpa["spec"]["scaleTargetRef"]["name"] == name
    assert hpa["spec"]["minReplicas"] >= 2  # one replica down (a node drain, a crash) never stops the service
    assert "replicas" not in deployment["spec"]  # the HPA owns the count
    pdb = named(objects, "PodDisruptionBudget")[name]
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_migrates_once_and_its_pods_wait_for_it(objects: list[Obj], service: str) -> None:
    (job,) = [j for n, j in named(objects, "Job").items() if n.startswith(f"mv-{service}-migrate-")]
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    assert migrate["args"] == ["python", "-m", f"mspvault.{service}", "migrate"]
    pod = named(objects, "Deployment")[f"mv-{service}"]["spec"]["template"]["spec"]
    (wait,) = pod["initContainers"]
    assert wait["args"] == ["python", "-m", f"mspvault.{service}", "wait-migrated"]


def test_topics_are_replicated_three_times_with_two_in_sync(objects: list[Obj]) -> None:
    topics = {t["spec"]["topicName"]: t for t in named(objects, "KafkaTopic").values()}
    assert set(topics) == {f"{s}.events{dlq}" for s in SERVICES for dlq in ("", ".dlq")}
    for topic in topics.values():
        assert topic["spec"]["partitions"] == 6
        assert topic["spec"]["replicas"] == 3
        assert topic["spec"]["config"]["min.insync.replicas"] == 2
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "mspvault-kafka"
    (kafka,) = named(objects, "Kafka").values()
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    assert kafka["spec"]["kafka"]["config"]["min.insync.replicas"] == 2


def test_each_service_has_its_own_kafka_user_with_least_privilege(objects: list[Obj]) -> None:
    users = named(objects, "KafkaUser")
    assert set(users) == {f"mv-{s}" for s in SERVICES} | {"mv-gateway"}
    writes = {
        name: {
            acl["resource"]["name"]
            for acl in user["spec"]["authorization"]["acls"]
            if "Write" in acl["operations"] and acl["resource"]["type"] == "topic"
        }
        for name, user in users.items()
    }
    # Each writes its own events and only the dead-letter queues of what it consumes.
    assert writes["mv-identity"] == {"identity.events", "organization.events.dlq"}
    assert writes["mv-vault"] == {"vault.events", *(f"{s}.events.dlq" for s in SERVICES)}
    # The gateway writes only a replayed dead letter back to its events topic; it never writes a dead-letter queue.
    assert writes["mv-gateway"] == {f"{s}.events" for s in SERVICES}
    for user in users.values():
        assert "All" not in {op for acl in user["spec"]["authorization"]["acls"] for op in acl["operations"]}


def test_the_gateway_reaches_the_bus_as_its_own_user(objects: list[Obj]) -> None:
    """Without the bus the gateway's operator console is blind and revision dates fall back to the services."""
    gateway = named(objects, "Deployment")["mv-gateway"]["spec"]["template"]["spec"]
    env = {v["name"]: v for v in _env(gateway["containers"][0])}
    assert env["MSPVAULT_GATEWAY_KAFKA_BOOTSTRAP"]["value"] == "mspvault-kafka-kafka-bootstrap:9093"
    assert env["MSPVAULT_GATEWAY_KAFKA_SECURITY_PROTOCOL"]["value"] == "SASL_SSL"
    assert env["MSPVAULT_GATEWAY_KAFKA_SASL_USERNAME"]["value"] == "mv-gateway"
    assert env["MSPVAULT_GATEWAY_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "mv-gateway"
    mounts = {m["mountPath"] for m in gateway["containers"][0]["volumeMounts"]}
    assert env["MSPVAULT_GATEWAY_KAFKA_SSL_CAFILE"]["value"].startswith(tuple(mounts))


def test_each_database_is_its_own_cloudnativepg_cluster(objects: list[Obj]) -> None:
    clusters = named(objects, "Cluster")
    assert {c["spec"]["bootstrap"]["initdb"]["database"] for c in clusters.values()} == {*SERVICES, "gateway"}
    for cluster in clusters.values():
        assert cluster["spec"]["instances"] == 3


def _env(container: Obj) -> list[Obj]:
    env: list[Obj] = container.get("env", [])
    return env


def test_secrets_are_only_referenced(objects: list[Obj]) -> None:
    assert named(objects, "Secret") == {}  # the chart makes none; operators and people make them
    containers = [
        c
        for o in objects
        if o["kind"] in ("Deployment", "Job")
        for c in o["spec"]["template"]["spec"]["containers"] + o["spec"]["template"]["spec"].get("initContainers", [])
    ]
    secret_vars = [v for c in containers for v in _env(c) if SECRET_ENV.search(v["name"])]
    assert secret_vars  # the check below looks at something
    for var in secret_vars:
        assert "value" not in var, var["name"]
        assert "secretKeyRef" in var["valueFrom"], var["name"]
    database_urls = {v["valueFrom"]["secretKeyRef"]["name"] for v in secret_vars if v["name"].endswith("DATABASE_URL")}
    assert database_urls == {f"mv-{c}-db-app" for c in (*SERVICES, "gateway")}  # CloudNativePG's app secrets


def test_values_change_the_shape(objects: list[Obj]) -> None:
    """Partitions and replicas are values: a bigger install is a values file, not an edit of the templates."""
    _, bigger = render({"kafka": {"topics": {"partitions": 24}}, "services": {"vault": {"autoscaling": None}}})
    assert {t["spec"]["partitions"] for t in named(bigger, "KafkaTopic").values()} == {24}
    vault = named(bigger, "Deployment")["mv-vault"]
    assert vault["spec"]["replicas"] == 2  # without autoscaling, the fixed count
    assert "mv-vault" not in named(bigger, "HorizontalPodAutoscaler")
