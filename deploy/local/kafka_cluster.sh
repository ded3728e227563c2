# A three-node Apache Kafka cluster (KRaft: each node both broker and controller, a quorum of three
# voters) from the same jars as kafka.sh, for the test that runs every service twice and kills a
# broker (tests/e2e/test_every_service_twice.py). Sourced after common.sh and tools.sh.
#
# Every Convene and internal topic is kept on 3 brokers and a write is acknowledged once 2 have it
# (min.insync.replicas=2), so one broker may die without losing an acknowledged event. Ports follow
# KAFKA_PORT (so CONVENE_PORT_OFFSET): brokers on KAFKA_PORT+11..13, controllers on KAFKA_PORT+21..23.
# `./convene kafka-cluster start|stop` runs it alone; it never starts with `up` or `test`: the one
# test that needs it starts and stops it. The test mode's cluster starts from empty storage.

KAFKA_NODES=(1 2 3)
kafka_node_port() { echo $((KAFKA_PORT + 10 + $1)); }
kafka_controller_port() { echo $((KAFKA_PORT + 20 + $1)); }

kafka_cluster_bootstrap() {
  local n out=()
  for n in "${KAFKA_NODES[@]}"; do out+=("127.0.0.1:$(kafka_node_port "$n")"); done
  (IFS=,; echo "${out[*]}")
}

write_kafka_node_properties() { # node folder
  local n=$1 dir=$2 voters=() v
  for v in "${KAFKA_NODES[@]}"; do voters+=("$v@127.0.0.1:$(kafka_controller_port "$v")"); done
  local port controller
  port=$(kafka_node_port "$n"); controller=$(kafka_controller_port "$n")
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(IFS=,; echo "${voters[*]}")
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
unclean.leader.election.enable=false
PROPS
}

kafka_node_java_options() {
  # Small heaps: three brokers share a 2-core machine with six services and Postgres.
  echo "-Xms128m -Xmx384m -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=$ROOT/deploy/local/kafka/log4j2.properties -Dkafka.logs.dir=$LOGS"
}

start_kafka_cluster() {
  local libs="$CACHE/kafka-$KAFKA_VERSION/libs" base="$STATE/kafka-cluster" n cluster_id jopts
  [ -f "$libs/.complete" ] || die "no Kafka jars in $libs: ./convene test or ./convene up fetches them"
  jopts=$(kafka_node_java_options)
  if [ "$MODE" = test ]; then stop_kafka_cluster; rm -rf "$base"; fi  # each test run from empty storage
  mkdir -p "$base" "$LOGS"
  if [ ! -f "$base/cluster-id" ]; then
    # shellcheck disable=SC2086 # the options are words
    java $jopts -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$base/cluster-id"
  fi
  cluster_id=$(cat "$base/cluster-id")
  for n in "${KAFKA_NODES[@]}"; do
    mkdir -p "$base/node-$n/data"
    write_kafka_node_properties "$n" "$base/node-$n"
    if [ ! -f "$base/node-$n/data/meta.properties" ]; then
      # shellcheck disable=SC2086
      java $jopts -cp "$libs/*" kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" \
        -c "$base/node-$n/server.properties" >"$LOGS/kafka-node-$n-format.log" 2>&1 &
    fi
  done
  wait || die "formatting the cluster's storage failed (see $LOGS/kafka-node-*-format.log)"
  for n in "${KAFKA_NODES[@]}"; do
    # shellcheck disable=SC2086
    is_running "kafka-node-$n" || spawn "kafka-node-$n" java $jopts -cp "$libs/*" kafka.Kafka "$base/node-$n/server.properties"
  done
  for n in "${KAFKA_NODES[@]}"; do
    "$PY" "$ROOT/deploy/local/wait_for_kafka.py" "127.0.0.1:$(kafka_node_port "$n")" "${CONVENE_KAFKA_CLUSTER_WAIT:-180}" \
      || die "Kafka node $n did not answer a metadata request (see $LOGS/kafka-node-$n.log)"
  done
  say "Kafka cluster of three ready on $(kafka_cluster_bootstrap)"
  # For the test's fixture: the bootstrap and each node's process.
  echo "bootstrap=$(kafka_cluster_bootstrap)"
  for n in "${KAFKA_NODES[@]}"; do echo "node=$n pid=$(cat "$PIDS/kafka-node-$n.pid") port=$(kafka_node_port "$n")"; done
}

stop_kafka_cluster() {
  local n
  for n in "${KAFKA_NODES[@]}"; do stop_process "kafka-node-$n"; done
  [ "$MODE" = test ] && rm -rf "$STATE/kafka-cluster"
  return 0
}
