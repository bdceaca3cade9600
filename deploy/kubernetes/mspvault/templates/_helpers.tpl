{{/* Names: every object is "<release>-<component>", so two releases share a namespace without clashing. */}}
{{- define "mspvault.name" -}}
{{- printf "%s-%s" .root.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mspvault.labels" -}}
app.kubernetes.io/name: mspvault
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "mspvault.selector" -}}
app.kubernetes.io/name: mspvault
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mspvault.image" -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}

{{/* The CloudNativePG cluster of one database, and the Secret the operator makes for its application user. */}}
{{- define "mspvault.dbCluster" -}}
{{- printf "%s-%s-db" .root.Release.Name .component | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* The bootstrap address of Strimzi's SCRAM listener, and the Secret it makes for a KafkaUser (same name). */}}
{{- define "mspvault.kafkaBootstrap" -}}
{{- printf "%s-kafka-bootstrap:9093" .Values.kafka.name -}}
{{- end -}}

{{/* Everything one service process reads (MSPVAULT_<SERVICE>_*); secrets through secretKeyRef only. */}}
{{- define "mspvault.serviceEnv" -}}
{{- $prefix := printf "MSPVAULT_%s_" (upper .component) -}}
{{- $root := .root -}}
- name: {{ $prefix }}DATABASE_URL
  valueFrom:
    secretKeyRef: { name: {{ include "mspvault.dbCluster" . }}-app, key: uri }
- name: {{ $prefix }}KAFKA_BOOTSTRAP
  value: {{ include "mspvault.kafkaBootstrap" $root | quote }}
- name: {{ $prefix }}KAFKA_SECURITY_PROTOCOL
  value: SASL_SSL
- name: {{ $prefix }}KAFKA_SASL_MECHANISM
  value: SCRAM-SHA-512
- name: {{ $prefix }}KAFKA_SASL_USERNAME
  value: {{ include "mspvault.name" . | quote }}
- name: {{ $prefix }}KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ include "mspvault.name" . }}, key: password }
- name: {{ $prefix }}KAFKA_SSL_CAFILE
  value: /etc/mspvault/kafka-ca/ca.crt
- name: {{ $prefix }}KAFKA_IDEMPOTENT_PRODUCER
  value: "true"
- name: {{ $prefix }}TOPIC_PARTITIONS
  value: {{ $root.Values.kafka.topics.partitions | quote }}
- name: {{ $prefix }}HTTP_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}HTTP_PORT
  value: {{ .spec.port | quote }}
- name: {{ $prefix }}IDENTITY_URL
  value: {{ printf "http://%s-identity:%v" $root.Release.Name $root.Values.services.identity.port | quote }}
- name: {{ $prefix }}SHUTDOWN_DELAY_SECONDS
  value: "0"  # the preStop hook already waits; see values.preStopSleepSeconds
{{- if eq .component "identity" }}
- name: {{ $prefix }}OPERATORS
  value: {{ $root.Values.operators | toJson | quote }}
# Two-step login codes by mail (identity signs no invitations, so no invite secret).
- name: {{ $prefix }}SMTP_HOST
  value: {{ $root.Values.smtp.host | quote }}
- name: {{ $prefix }}SMTP_PORT
  value: {{ $root.Values.smtp.port | quote }}
{{- end }}
{{- if .spec.mails }}
- name: {{ $prefix }}SMTP_HOST
  value: {{ $root.Values.smtp.host | quote }}
- name: {{ $prefix }}SMTP_PORT
  value: {{ $root.Values.smtp.port | quote }}
- name: {{ $prefix }}PUBLIC_URL
  value: {{ $root.Values.publicUrl | quote }}
- name: {{ $prefix }}INVITE_SECRET
  valueFrom:
    secretKeyRef: { name: {{ $root.Values.secrets.invite.name }}, key: {{ $root.Values.secrets.invite.key }} }
{{- end }}
{{- end -}}

{{/* Pod-level pieces every MSPVault pod shares. */}}
{{- define "mspvault.podCommon" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
automountServiceAccountToken: false
{{- end -}}
