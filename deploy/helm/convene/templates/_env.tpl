{{/* A service's settings, named as in deploy/env/<service>.env: plain values here, secrets by
reference to the service's Secret, so no secret is ever written into a Deployment or a Job. */}}
{{- define "convene.env" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v.services .service -}}
{{- $public := trimSuffix "/" $v.publicUrl -}}
{{- $plain := dict
  "CONVENE_ENVIRONMENT" "production"
  "KAFKA_BOOTSTRAP_SERVERS" (include "convene.kafkaBootstrap" .root)
  "KAFKA_TOPIC_PARTITIONS" $v.kafka.topicPartitions
  "HTTP_HOST" "0.0.0.0"
  "HTTP_PORT" $svc.port
  "HTTP_WORKERS" $v.httpWorkers
  "LOG_LEVEL" $v.logLevel
  "LOG_FORMAT" $v.logFormat
  "FORWARDED_ALLOW_IPS" $v.forwardedAllowIps
  "COOKIE_SECURE" $v.cookieSecure
  "MEMBERSHIP_PAGES_URL" $public
  "CONFERENCE_PAGES_URL" $public
  "NOTIFICATIONS_PAGES_URL" $public
  "ASSOCIATION_NAME" $v.association.name
  "ASSOCIATION_COLOUR" $v.association.colour
  "ASSOCIATION_LOGO_URL" $v.association.logoUrl
  "ASSOCIATION_ADDRESS" $v.association.address
-}}
{{- with $v.otlpEndpoint }}{{- $_ := set $plain "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}{{- end -}}
{{- if ne .service "notifications" -}}
{{- with $v.stripe.apiBase }}{{- $_ := set $plain "STRIPE_API_BASE" . -}}{{- end -}}
{{- end -}}
{{- if eq .service "conference" -}}
{{- $_ := set $plain "PUBLIC_BASE_URL" (printf "%s/api/conference" $public) -}}
{{- end -}}
{{- if eq .service "notifications" -}}
{{- $_ := set $plain "PUBLIC_BASE_URL" (printf "%s/api/notifications" $public) -}}
{{- $_ := set $plain "SMTP_HOST" $v.smtp.host -}}
{{- $_ := set $plain "SMTP_PORT" $v.smtp.port -}}
{{- $_ := set $plain "SMTP_STARTTLS" $v.smtp.starttls -}}
{{- $_ := set $plain "SMTP_FROM" $v.smtp.from -}}
{{- end -}}
{{- $plain = merge (deepCopy ($svc.env | default dict)) (deepCopy ($v.extraEnv | default dict)) $plain -}}
# The pod's name, in every log line (docs/operations.md, "Logs").
- name: LOG_INSTANCE
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- range $name := keys $plain | sortAlpha }}
- name: {{ $name }}
  value: {{ index $plain $name | toString | quote }}
{{- end }}
{{- $secret := include "convene.secretName" . }}
{{- range $key := splitList " " (include "convene.secretKeys" .) }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- if eq .service "notifications" }}
{{- range $key := list "SMTP_USERNAME" "SMTP_PASSWORD" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- end }}
{{- if $v.cloudnativepg.enabled }}
# CloudNativePG keeps the owner's password in <cluster>-app; Kubernetes puts it into the URL.
- name: CNPG_APP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-app" $v.cloudnativepg.clusterName }}
      key: password
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(CNPG_APP_PASSWORD)@%s-rw:5432/%s" $v.cloudnativepg.owner $v.cloudnativepg.clusterName .service | quote }}
{{- end }}
{{- end -}}
