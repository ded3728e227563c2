# Shared settings for the local stack scripts: where state lives, pinned versions, ports.
# Sourced, not run. MODE=dev (./convene up) or MODE=test (./convene test) keeps two stacks apart,
# so a test run never disturbs a stack a developer left running.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODE=${MODE:-dev}
CACHE="$ROOT/.local/cache"      # jars, binaries, tools: shared by both modes, reused across runs
STATE="$ROOT/.local/$MODE"      # data, logs, pids: one folder per mode
LOGS="$STATE/logs"
PIDS="$STATE/pids"

KAFKA_VERSION=4.1.1
LOG4J_VERSION=2.24.3            # the log4j version kafka_2.13 4.1.1 itself depends on
STRIPE_MOCK_VERSION=v0.197.0
UV_VERSION=0.13.8
JAEGER_VERSION=v1.76.0          # Jaeger v2's all-in-one binary (the Go module's tag is v1.x)
AXE_CORE_VERSION=4.14.1         # the accessibility checker the browser tests inject (npm)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}  # Debian's chromium package: the browser tests never download one
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}  # Debian's prometheus package (deploy/local/prometheus.sh)
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}

if [ "$MODE" = test ]; then
  # CONVENE_PORT_OFFSET lets test stacks of several work trees (git worktree) run side by side.
  off=${CONVENE_PORT_OFFSET:-0}
  KAFKA_PORT=$((19092 + off)); KAFKA_CONTROLLER_PORT=$((19093 + off)); PG_PORT=$((15433 + off))
  STRIPE_MOCK_PORT=$((12211 + off)); PROMETHEUS_PORT=$((19190 + off))
  JAEGER_OTLP_PORT=$((14318 + off)); JAEGER_QUERY_PORT=$((16686 + off))
  JAEGER_QUERY_GRPC_PORT=$((16685 + off)); JAEGER_HEALTH_PORT=$((13133 + off))
else
  KAFKA_PORT=9092; KAFKA_CONTROLLER_PORT=9093; PG_PORT=5433; STRIPE_MOCK_PORT=12111; PROMETHEUS_PORT=9090
  JAEGER_OTLP_PORT=4318; JAEGER_QUERY_PORT=16686; JAEGER_QUERY_GRPC_PORT=16685; JAEGER_HEALTH_PORT=13133
fi
SMTP_PORT=1025                  # dev only: tests run their own recording SMTP server

PY="$ROOT/.venv/bin/python"

say() { printf '[convene] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Starts a command in the background with its own log and pid file.
spawn() { # name command...
  local name=$1; shift
  mkdir -p "$LOGS" "$PIDS"
  nohup "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

is_running() { # name
  local f="$PIDS/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

stop_process() { # name
  local f="$PIDS/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

wait_for_port() { # port seconds what
  local port=$1 seconds=$2 what=$3
  for _ in $(seq 1 $((seconds * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$what did not open port $port within ${seconds}s (see $LOGS)"
}
