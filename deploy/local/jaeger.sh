# Jaeger v2 (all-in-one, memory storage) for the tracing test, built from source with Go the
# first time and kept in .local/cache/bin after. Sourced after common.sh.
#
# A fresh machine's build takes about 10 minutes on 2 cores, so `./convene test` does not wait for
# it: `start_jaeger` spawns one background process that builds Jaeger if needed and then becomes
# Jaeger. pytest starts at once; tests/e2e/test_tracing.py waits (within a budget) for Jaeger's
# query API to answer, and every other test runs meanwhile. The build holds a lock in the cache,
# so two work trees testing at once build it once; a build cut short leaves no binary behind.
# `CONVENE_TRACING=1 ./convene up` starts one for the local stack too, waiting for its build.

JAEGER_BIN="$CACHE/bin/jaeger"

build_jaeger() {
  [ -x "$JAEGER_BIN" ] && [ -f "$JAEGER_BIN.$JAEGER_VERSION" ] && return 0
  mkdir -p "$CACHE/bin"
  (
    flock 9
    [ -x "$JAEGER_BIN" ] && [ -f "$JAEGER_BIN.$JAEGER_VERSION" ] && exit 0
    say "building Jaeger $JAEGER_VERSION with Go (the first time only; about 10 minutes on 2 cores)"
    local module="$CACHE/jaeger-$JAEGER_VERSION-build"
    rm -rf "$module" && mkdir -p "$module" && cd "$module"
    go mod init convene.local/jaeger-build >/dev/null 2>&1 \
      && go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_VERSION" \
      && go build -o "$JAEGER_BIN.partial" github.com/jaegertracing/jaeger/cmd/jaeger \
      || { rm -f "$JAEGER_BIN.partial"; die "building Jaeger $JAEGER_VERSION failed"; }
    mv "$JAEGER_BIN.partial" "$JAEGER_BIN"
    touch "$JAEGER_BIN.$JAEGER_VERSION"
  ) 9>"$CACHE/.jaeger-build.lock"
}

run_jaeger() { # the background process: build if needed, then become Jaeger
  build_jaeger || exit 1
  export JAEGER_OTLP_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_HEALTH_PORT
  exec "$JAEGER_BIN" --config "$ROOT/deploy/local/jaeger/config.yaml"
}

start_jaeger() {
  [ "$MODE" = test ] && stop_process jaeger  # memory storage: a fresh one per test run
  is_running jaeger || spawn jaeger bash -c "source '$ROOT/deploy/local/common.sh'; source '$ROOT/deploy/local/jaeger.sh'; run_jaeger"
  export CONVENE_TEST_JAEGER_OTLP="http://127.0.0.1:$JAEGER_OTLP_PORT"
  export CONVENE_TEST_JAEGER_QUERY="http://127.0.0.1:$JAEGER_QUERY_PORT"
  export CONVENE_TEST_JAEGER_LOG="$LOGS/jaeger.log"
}

start_traced() { # CONVENE_TRACING=1 ./convene up: Jaeger first, then services that trace to it
  start_jaeger
  wait_for_port "$JAEGER_QUERY_PORT" 1800 "Jaeger (building it the first time)"
  export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$JAEGER_OTLP_PORT"
  say "Jaeger on 127.0.0.1: OTLP/HTTP :$JAEGER_OTLP_PORT, query API http://127.0.0.1:$JAEGER_QUERY_PORT/api/traces"
}
