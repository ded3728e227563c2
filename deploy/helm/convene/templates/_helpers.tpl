{{/* The three services, in the order everything is rendered. */}}
{{- define "convene.services" -}}membership conference notifications{{- end -}}

{{- define "convene.name" -}}{{ printf "%s-%s" .root.Release.Name .service | trunc 63 | trimSuffix "-" }}{{- end -}}

{{- define "convene.selectorLabels" -}}
app.kubernetes.io/name: convene
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{- define "convene.labels" -}}
{{ include "convene.selectorLabels" . }}
app.kubernetes.io/part-of: convene
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "convene.image" -}}
{{ printf "%s/%s:%s" .root.Values.image.registry .service (.root.Values.image.tag | default .root.Chart.AppVersion) }}
{{- end -}}

{{- define "convene.secretName" -}}
{{ (index .root.Values.services .service).existingSecret | default (printf "%s-secrets" (include "convene.name" .)) }}
{{- end -}}

{{- define "convene.kafkaBootstrap" -}}
{{- if .Values.strimzi.enabled -}}
{{ printf "%s-kafka-bootstrap:9092" .Values.strimzi.clusterName }}
{{- else -}}
{{ .Values.kafka.bootstrapServers }}
{{- end -}}
{{- end -}}

{{/* Which secret keys a service reads: the setting names of deploy/env/<service>.env. */}}
{{- define "convene.secretKeys" -}}
{{- $keys := list "OPERATOR_TOKEN_SHA256" "SESSION_SECRET" -}}
{{- if not .root.Values.cloudnativepg.enabled -}}{{- $keys = append $keys "DATABASE_URL" -}}{{- end -}}
{{- if ne .service "notifications" -}}{{- $keys = concat $keys (list "STRIPE_SECRET_KEY" "STRIPE_WEBHOOK_SECRET") -}}{{- end -}}
{{- if eq .service "conference" -}}{{- $keys = append $keys "ATTENDEE_LINK_SECRET" -}}{{- end -}}
{{- if eq .service "notifications" -}}{{- $keys = append $keys "UNSUBSCRIBE_SECRET" -}}{{- end -}}
{{ join " " $keys }}
{{- end -}}

{{- define "convene.podSecurityContext" -}}
{{- $chart := dict "runAsNonRoot" true "runAsUser" 10001 "runAsGroup" 10001 "fsGroup" 10001 "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{ toYaml (merge (deepCopy .Values.podSecurityContext) $chart) }}
{{- end -}}

{{- define "convene.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The pod fields the Deployments and the migration Jobs share. */}}
{{- define "convene.podCommon" -}}
automountServiceAccountToken: false
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
securityContext:
  {{- include "convene.podSecurityContext" . | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  # The root filesystem is read-only; Python's temporary files and the metrics of several HTTP
  # workers (PROMETHEUS_MULTIPROC_DIR) go here.
  - name: tmp
    emptyDir:
      sizeLimit: 256Mi
{{- end -}}

{{/* values.part: all (the default), data (only the Strimzi and CloudNativePG resources, for a
first install: docs/kubernetes.md) or services (everything else). Non-empty means "render". */}}
{{- define "convene.servicesPart" -}}{{- if ne .Values.part "data" -}}yes{{- end -}}{{- end -}}
{{- define "convene.dataPart" -}}{{- if ne .Values.part "services" -}}yes{{- end -}}{{- end -}}
