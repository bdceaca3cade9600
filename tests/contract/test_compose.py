"""docker-compose.yml, the production shape: each service owns its database, talks to Kafka, and is health-checked.

PyYAML is not a dependency, so the file is read with a small reader for the YAML subset it uses (block mappings
and lists, flow lists and mappings, quoted and plain scalars, anchors and aliases); when PyYAML is installed a
test checks that both readings agree.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from mspvault.shared.messaging.session_endings import session_endings_group

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = ("identity", "provider", "organization", "vault")
PORTS = {"identity": "8001", "provider": "8002", "organization": "8003", "vault": "8004"}


# ---- a reader for the YAML subset of docker-compose.yml ----------------------------------------------------------
def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] == " "):
            return line[:i].rstrip()
    return line.rstrip()


def _split_flow(body: str) -> list[str]:
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(body):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return [p.strip() for p in parts if p.strip()]


def _scalar(text: str, anchors: dict[str, Any]) -> Any:
    text = text.strip()
    if text.startswith("*"):
        return anchors[text[1:]]
    if text.startswith("["):
        return [_scalar(item, anchors) for item in _split_flow(text[1:-1])]
    if text.startswith("{"):
        return dict(_key_value(item, anchors) for item in _split_flow(text[1:-1]))
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return None if text in ("", "~", "null") else text


def _key_value(item: str, anchors: dict[str, Any]) -> tuple[str, Any]:
    key, _, value = item.partition(":")
    return key.strip(), _scalar(value, anchors)


def _block(lines: list[tuple[int, str]], i: int, indent: int, anchors: dict[str, Any]) -> tuple[Any, int]:
    if lines[i][1].startswith("- "):
        items = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            items.append(_scalar(lines[i][1][2:], anchors))
            i += 1
        return items, i
    mapping: dict[str, Any] = {}
    while i < len(lines) and lines[i][0] == indent:
        key, _, rest = lines[i][1].partition(":")
        rest = rest.strip()
        anchor = None
        if rest.startswith("&"):
            anchor, _, rest = rest[1:].partition(" ")
        i += 1
        if rest:
            value = _scalar(rest, anchors)
        elif i < len(lines) and lines[i][0] > indent:
            value, i = _block(lines, i, lines[i][0], anchors)
        else:
            value = None
        if anchor:
            anchors[anchor] = value
        mapping[key.strip().strip("\"'")] = value
    return mapping, i


def read_compose(text: str) -> dict[str, Any]:
    lines = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    document, end = _block(lines, 0, 0, {})
    assert end == len(lines), f"unread line: {lines[end]}"
    assert isinstance(document, dict)
    return document


# ---- the contract ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return read_compose(COMPOSE.read_text())


def _services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


def _long_running(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in _services(compose).items() if s.get("restart") != "no"}


def _depends(service: dict[str, Any]) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in (service.get("depends_on") or {}).items()}


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_has_its_own_database(compose, svc) -> None:
    services = _services(compose)
    env = services[svc]["environment"]
    url = urlsplit(env[f"MSPVAULT_{svc.upper()}_DATABASE_URL"])
    assert url.scheme == "postgresql+asyncpg"
    assert url.hostname == f"{svc}-db"
    assert url.path == f"/{svc}"
    db = services[f"{svc}-db"]
    assert db["image"].startswith("postgres:")
    assert db["environment"]["POSTGRES_DB"] == svc
    assert url.username == db["environment"]["POSTGRES_USER"]
    # Services are islands: no other database URL in its environment.
    others = [k for k in env if k.endswith("_DATABASE_URL") and k != f"MSPVAULT_{svc.upper()}_DATABASE_URL"]
    assert not others
    assert _depends(services[svc])[f"{svc}-db"] == "service_healthy"


def test_no_two_services_share_a_database_server(compose) -> None:
    hosts = [
        urlsplit(_services(compose)[svc]["environment"][f"MSPVAULT_{svc.upper()}_DATABASE_URL"]).hostname
        for svc in SERVICES
    ]
    assert len(set(hosts)) == len(SERVICES)


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_talks_to_kafka_with_the_idempotent_producer_and_listens_where_the_gateway_calls(
    compose, svc
) -> None:
    services = _services(compose)
    env = services[svc]["environment"]
    prefix = f"MSPVAULT_{svc.upper()}_"
    assert env[prefix + "KAFKA_BOOTSTRAP"] == "kafka:9092"
    assert env[prefix + "KAFKA_IDEMPOTENT_PRODUCER"] == "true"
    assert env[prefix + "HTTP_HOST"] == "0.0.0.0"
    assert env[prefix + "HTTP_PORT"] == PORTS[svc]
    assert env[prefix + "IDENTITY_URL"] == "http://identity:8001"
    assert services["gateway"]["environment"][f"MSPVAULT_GATEWAY_{svc.upper()}_URL"] == f"http://{svc}:{PORTS[svc]}"
    assert _depends(services[svc])["kafka"] == "service_healthy"
    assert PORTS[svc] in " ".join(services[svc]["healthcheck"]["test"])


@pytest.mark.parametrize("svc", SERVICES)
def test_migrations_are_a_step_that_completes_before_the_service_starts(compose, svc) -> None:
    services = _services(compose)
    job = services[f"{svc}-migrate"]
    assert job["command"] == ["python", "-m", f"mspvault.{svc}", "migrate"]
    assert job["environment"] == services[svc]["environment"]
    assert job["restart"] == "no"
    assert _depends(job)[f"{svc}-db"] == "service_healthy"
    assert _depends(services[svc])[f"{svc}-migrate"] == "service_completed_successfully"
    assert services[svc]["command"] == ["python", "-m", f"mspvault.{svc}"]


def test_kafka_is_apache_kafka_in_kraft_mode_and_topics_are_created_up_front(compose) -> None:
    services = _services(compose)
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert "controller" in env["KAFKA_PROCESS_ROLES"]
    assert not any("ZOOKEEPER" in key for key in env)
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "SASL_PLAINTEXT://kafka:9092"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    topics = services["kafka-topics"]
    assert topics["command"] == ["python", "-m", "mspvault.deploy.topics"]
    assert topics["environment"]["MSPVAULT_KAFKA_BOOTSTRAP"] == "kafka:9092"
    for svc in SERVICES:
        assert _depends(services[f"{svc}-migrate"])["kafka-topics"] == "service_completed_successfully"


def test_every_long_running_container_has_a_health_check(compose) -> None:
    for name, service in _long_running(compose).items():
        test = (service.get("healthcheck") or {}).get("test")
        assert test, f"{name} has no health check"
        assert test[0] in ("CMD", "CMD-SHELL"), f"{name}: a health check runs a command"


def test_depends_on_waits_for_health_or_for_completion(compose) -> None:
    services = _services(compose)
    for name, service in services.items():
        for dependency, condition in _depends(service).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if services[dependency].get("restart") == "no":
                assert condition == "service_completed_successfully", f"{name} -> {dependency}"
            else:
                assert condition == "service_healthy", f"{name} -> {dependency}"
                assert services[dependency].get("healthcheck"), f"{name} waits on {dependency} without a check"


def test_the_gateway_waits_for_every_service_and_publishes_only_https(compose) -> None:
    services = _services(compose)
    gateway = services["gateway"]
    assert {s: _depends(gateway)[s] for s in SERVICES} == dict.fromkeys(SERVICES, "service_healthy")
    assert gateway["environment"]["MSPVAULT_GATEWAY_KAFKA_BOOTSTRAP"] == "kafka:9092"
    assert gateway["ports"] == ["${MSPVAULT_GATEWAY_PORT:-8443}:8443"]
    assert "https://" in " ".join(gateway["healthcheck"]["test"])
    published = [name for name, s in services.items() if s.get("ports") and name not in ("gateway", "mailpit")]
    assert not published, f"internal services must not publish ports: {published}"


def test_every_mspvault_process_is_built_from_the_one_dockerfile(compose) -> None:
    ours = {name: s for name, s in _services(compose).items() if str(s.get("image", "")).startswith("mspvault:")}
    assert set(SERVICES) | {"gateway", "kafka-topics"} <= set(ours)
    for name, service in ours.items():
        assert service["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile"}, name
    assert (ROOT / "deploy" / "Dockerfile").is_file()


def test_the_reader_handles_the_subset_it_claims() -> None:
    text = """
x-env: &env
  A: "1"   # comment
  B: 'it''s'
s:
  one:
    environment: *env
    test: ["CMD", "a, b", "#not-a-comment"]
    dep: { x: { condition: ok } }
    ports:
      - "1:1"
    empty:
"""
    doc = read_compose(text)
    assert doc["s"]["one"]["environment"] == {"A": "1", "B": "it's"}
    assert doc["s"]["one"]["test"] == ["CMD", "a, b", "#not-a-comment"]
    assert doc["s"]["one"]["ports"] == ["1:1"]
    assert doc["s"]["one"]["empty"] is None
    assert doc["s"]["one"]["dep"] == {"x": {"condition": "ok"}}


def test_the_reader_agrees_with_pyyaml_when_installed() -> None:
    yaml = pytest.importorskip("yaml")

    def normalise(value: Any) -> Any:  # PyYAML types plain scalars (12 -> int); compose does not care
        if isinstance(value, dict):
            return {str(k): normalise(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normalise(v) for v in value]
        return None if value is None else str(value)

    assert normalise(read_compose(COMPOSE.read_text())) == normalise(yaml.safe_load(COMPOSE.read_text()))


@pytest.mark.parametrize("svc", ["provider", "organization"])
def test_the_invite_secret_must_be_given_and_has_no_default(compose, svc) -> None:
    # Compose's `${VAR:?message}` stops `docker compose up` when the variable is unset or empty; a `:-default`
    # would sign every invite link of every install with the same, public secret.
    value = _services(compose)[svc]["environment"][f"MSPVAULT_{svc.upper()}_INVITE_SECRET"]
    assert value.startswith("${MSPVAULT_INVITE_SECRET:?"), value
    assert value.endswith("}")


def test_no_well_known_secret_is_written_in_compose() -> None:
    assert "dev-only-invite-secret" not in COMPOSE.read_text()


def test_the_gateway_keeps_its_rate_limit_counters_in_its_own_postgresql(compose) -> None:
    gateway = _services(compose)["gateway"]
    url = urlsplit(gateway["environment"]["MSPVAULT_GATEWAY_DATABASE_URL"])
    assert url.hostname == "gateway-db"
    assert _depends(gateway)["gateway-db"] == "service_healthy"


# ---- Kafka: SASL for every connection, a user per process, ACLs (issue 11, the bus) ----------------------------------
ACL_SCRIPT = ROOT / "deploy" / "kafka" / "init-users-and-acls.sh"


def test_every_kafka_listener_authenticates_and_acls_decide(compose) -> None:
    env = _services(compose)["kafka"]["environment"]
    protocols = dict(pair.split(":") for pair in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    listeners = [listener.split("://")[0] for listener in env["KAFKA_LISTENERS"].split(",")]
    assert listeners
    assert all(protocols[name].startswith("SASL_") for name in listeners)  # the controller's too
    assert set(env["KAFKA_SASL_ENABLED_MECHANISMS"].split(",")) == {"PLAIN", "SCRAM-SHA-512"}
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert env["KAFKA_SUPER_USERS"] == "User:admin"
    for key, value in env.items():  # the admin password has no default, in the JAAS configuration or anywhere
        if "ADMIN_PASSWORD" in value:
            assert "${MSPVAULT_KAFKA_ADMIN_PASSWORD:?" in value, key
            assert ":-" not in value, key


@pytest.mark.parametrize("svc", [*SERVICES, "gateway"])
def test_each_process_logs_in_to_kafka_as_its_own_user_with_a_required_password(compose, svc) -> None:
    service = _services(compose)[svc]
    env = service["environment"]
    prefix = f"MSPVAULT_{svc.upper()}_"
    assert env[prefix + "KAFKA_SECURITY_PROTOCOL"].startswith("SASL_")
    assert env[prefix + "KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert env[prefix + "KAFKA_SASL_USERNAME"] == svc
    password = env[prefix + "KAFKA_SASL_PASSWORD"]
    assert password.startswith(f"${{MSPVAULT_KAFKA_{svc.upper()}_PASSWORD:?"), password
    acl_job = _services(compose)["kafka-acls"]["environment"][f"MSPVAULT_KAFKA_{svc.upper()}_PASSWORD"]
    assert acl_job.split(":?")[0] == password.split(":?")[0]  # the user is made with the password it logs in with


def _granted_acls(tmp_path: Path) -> list[list[str]]:
    """Run the ACL job's script against stand-ins for Kafka's tools; return each kafka-acls.sh call's arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.jsonl"
    for tool in ("kafka-acls.sh", "kafka-configs.sh"):
        stub = bin_dir / tool
        stub.write_text(
            "#!/usr/bin/env python3\nimport json, sys\n"
            f"open({str(calls)!r}, 'a').write(json.dumps([{tool!r}, *sys.argv[1:]]) + '\\n')\n"
        )
        stub.chmod(0o755)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "KAFKA_BIN": str(bin_dir),
        **{
            f"MSPVAULT_KAFKA_{who}_PASSWORD": f"pw-{who}"
            for who in ("ADMIN", "IDENTITY", "PROVIDER", "ORGANIZATION", "VAULT", "GATEWAY")
        },
    }
    subprocess.run(["/bin/sh", str(ACL_SCRIPT)], env=env, check=True, capture_output=True, cwd=tmp_path)
    return [json.loads(line) for line in calls.read_text().splitlines()]


def _flag(args: list[str], name: str) -> list[str]:
    return [args[i + 1] for i, arg in enumerate(args) if arg == name]


def test_the_acls_let_each_service_write_only_its_own_events_topic(tmp_path: Path) -> None:
    calls = _granted_acls(tmp_path)
    users = {_flag(call, "--entity-name")[0] for call in calls if call[0] == "kafka-configs.sh"}
    assert users == {*SERVICES, "gateway"}
    acls = [call for call in calls if call[0] == "kafka-acls.sh"]
    assert all("--deny-principal" not in call and "--command-config" in call for call in acls)
    for svc in SERVICES:
        mine = [call for call in acls if _flag(call, "--allow-principal") == [f"User:{svc}"]]
        written = {topic for call in mine if "Write" in _flag(call, "--operation") for topic in _flag(call, "--topic")}
        events = {topic for topic in written if not topic.endswith(".dlq")}
        assert events == {f"{svc}.events"}, (svc, written)  # never another service's events
        assert all(topic.endswith(".events.dlq") for topic in written - events)
        assert not any(op in _flag(call, "--operation") for call in mine for op in ("All", "Create", "Alter", "Delete"))
        # Its inbox's group and its session endings' group (mspvault.shared.messaging.session_endings), no other.
        assert {g for call in mine for g in _flag(call, "--group")} == {svc, session_endings_group(svc)}
