#!/bin/sh
# One-shot (docker-compose.yml, service kafka-acls): a SCRAM-SHA-512 user per MSPVault process and the ACLs that hold
# each service to writing only its own events topic (plus the dead-letter topics of what it consumes). Idempotent:
# re-running sets the same passwords and adds ACLs that exist already. Runs as the broker's super user `admin`
# (SASL/PLAIN, defined in the broker's JAAS configuration); nobody else may create users, topics or ACLs.
set -eu

BOOTSTRAP="${MSPVAULT_KAFKA_BOOTSTRAP:-kafka:9092}"
BIN="${KAFKA_BIN:-/opt/kafka/bin}"
ADMIN_CONFIG=/tmp/admin.properties
umask 077
cat > "$ADMIN_CONFIG" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${MSPVAULT_KAFKA_ADMIN_PASSWORD}";
PROPERTIES

SERVICES="identity provider organization vault"

password_of() {
  case "$1" in
    identity) echo "$MSPVAULT_KAFKA_IDENTITY_PASSWORD" ;;
    provider) echo "$MSPVAULT_KAFKA_PROVIDER_PASSWORD" ;;
    organization) echo "$MSPVAULT_KAFKA_ORGANIZATION_PASSWORD" ;;
    vault) echo "$MSPVAULT_KAFKA_VAULT_PASSWORD" ;;
    gateway) echo "$MSPVAULT_KAFKA_GATEWAY_PASSWORD" ;;
  esac
}

acl() {
  "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add --force "$@" > /dev/null
}

for user in $SERVICES gateway; do
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --alter \
    --entity-type users --entity-name "$user" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$(password_of "$user")]" > /dev/null
done

for svc in $SERVICES; do
  # Its own events: the outbox relay publishes them (idempotent producer).
  acl --allow-principal "User:$svc" --operation Write --operation Describe --topic "$svc.events"
  acl --allow-principal "User:$svc" --operation IdempotentWrite --cluster
  for topic in $SERVICES; do
    # Every service consumes the events topics (its own too, for its audit log); a poisoned event goes to the
    # topic's dead-letter queue, written by whoever consumed it.
    acl --allow-principal "User:$svc" --operation Read --operation Describe --topic "$topic.events"
    acl --allow-principal "User:$svc" --operation Write --operation Describe --topic "$topic.events.dlq"
  done
  # Its consumer group is named after it; session endings (security-stamp rotations) have a group of their own.
  acl --allow-principal "User:$svc" --operation Read --operation Describe --group "$svc"
  acl --allow-principal "User:$svc" --operation Read --operation Describe --group "$svc.sessions"
done

# The gateway's operator console reads every topic and group, and replays a dead letter to its original topic
# (an operator action, behind the operator check): the one principal besides a service that writes its topic.
acl --allow-principal User:gateway --operation Read --operation Describe --topic '*'
for topic in $SERVICES; do
  acl --allow-principal User:gateway --operation Write --topic "$topic.events"
done
acl --allow-principal User:gateway --operation Describe --operation Read --group '*'
acl --allow-principal User:gateway --operation Describe --cluster
echo "kafka users and ACLs set for: $SERVICES gateway"
