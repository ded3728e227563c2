#!/bin/bash
# Each KAFKA_<NAME> becomes the property <name> ("_" -> ".", as the official image does), but the
# JVM's KAFKA_HEAP_OPTS and KAFKA_OPTS; storage is formatted with CLUSTER_ID on the first start.
set -euo pipefail
config=/opt/kafka/config/server.properties
: >"$config"
while IFS='=' read -r name value; do
  case "$name" in KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_VERSION) continue ;; esac
  key=$(printf %s "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed 's/___/-/g; s/__/@/g; s/_/./g; s/@/_/g')
  printf '%s=%s\n' "$key" "$value" >>"$config"
done < <(env | grep '^KAFKA_')
java=(java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties
  -Dkafka.logs.dir=/tmp -cp '/opt/kafka/libs/*')
"${java[@]}" kafka.tools.StorageTool format --ignore-formatted -t "${CLUSTER_ID:?set CLUSTER_ID}" -c "$config"
exec "${java[@]}" kafka.Kafka "$config"
