# A single-node Apache Kafka (KRaft, combined broker and controller) from Maven Central's jars.
# Sourced after common.sh and tools.sh.

start_kafka() {
  if is_running kafka; then say "Kafka already running on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  local dir="$STATE/kafka" libs="$CACHE/kafka-$KAFKA_VERSION/libs"
  mkdir -p "$dir/data" "$LOGS"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  local jopts=(-Xms256m -Xmx512m -XX:+UseG1GC
    "-Dlog4j2.configurationFile=$ROOT/deploy/local/kafka/log4j2.properties" "-Dkafka.logs.dir=$LOGS")
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java "${jopts[@]}" -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    java "${jopts[@]}" -cp "$libs/*" kafka.tools.StorageTool format --standalone --ignore-formatted \
      -t "$cluster_id" -c "$dir/server.properties" >"$LOGS/kafka-format.log" 2>&1 \
      || die "formatting Kafka's storage failed (see $LOGS/kafka-format.log)"
  fi
  spawn kafka java "${jopts[@]}" -cp "$libs/*" kafka.Kafka "$dir/server.properties"
  # An open port is not a ready broker: wait for a metadata request to succeed. On a machine busy
  # with other work the JVM alone has taken over a minute to start, hence the long bound.
  "$PY" "$ROOT/deploy/local/wait_for_kafka.py" "127.0.0.1:$KAFKA_PORT" 180 \
    || die "Kafka did not answer a metadata request (see $LOGS/kafka.log)"
  say "Kafka ready on 127.0.0.1:$KAFKA_PORT"
}

stop_kafka() { stop_process kafka; }
