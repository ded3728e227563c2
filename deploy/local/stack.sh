#!/usr/bin/env bash
# The local stack: `up` starts Kafka, PostgreSQL, stripe-mock, an SMTP mailbox, the three services
# and a Prometheus that scrapes them, and leaves them running; `down` stops them; `test` runs the
# whole test suite against a stack of its own that it starts and stops; `secrets` writes
# docker-compose.yml's .env of fresh random secrets; `demo` seeds the running stack with a demo
# association (convene-admin demo). Everything it installs stays under .local/, but for Debian's
# chromium and prometheus packages.
set -euo pipefail
cmd=${1:-help}
[ "$cmd" = test ] && export MODE=test
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
source "$here/tools.sh"
source "$here/kafka.sh"
source "$here/kafka_cluster.sh"
source "$here/postgres.sh"
source "$here/prometheus.sh"
source "$here/jaeger.sh"
source "$here/kube_tools.sh"

source "$here/env_file.sh"
source "$here/containers.sh"

SERVICES=(membership conference notifications)

start_stripe_mock() {
  is_running stripe-mock && return 0
  spawn stripe-mock "$CACHE/bin/stripe-mock" -http-addr "127.0.0.1:$STRIPE_MOCK_PORT" \
    -https-addr "127.0.0.1:$((STRIPE_MOCK_PORT + 1))"
  wait_for_port "$STRIPE_MOCK_PORT" 30 stripe-mock
  say "stripe-mock ready on http://127.0.0.1:$STRIPE_MOCK_PORT"
}

start_mailbox() {
  is_running mailbox && return 0
  mkdir -p "$STATE/mail/tmp" "$STATE/mail/new" "$STATE/mail/cur"  # a Maildir
  # aiosmtpd's Mailbox handler keeps every message it receives as a file in a Maildir.
  spawn mailbox "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$STATE/mail"
  wait_for_port "$SMTP_PORT" 30 "the SMTP mailbox"
  say "SMTP mailbox on 127.0.0.1:$SMTP_PORT, messages kept in $STATE/mail/new"
}

start_service() { # name
  local name=$1 port
  port=$(sed -n 's/^HTTP_PORT=//p' "$ROOT/deploy/env/$name.env")
  if ! is_running "$name"; then
    # The env file is the local stack's configuration; docker-compose.yml uses the same names.
    # Read as `docker run --env-file` reads it (deploy/local/env_file.sh): values are literal.
    (export_env_file "$ROOT/deploy/env/$name.env"; spawn "$name" "$PY" -m "$name" serve)
  fi
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    is_running "$name" || die "$name exited during start (see $LOGS/$name.log)"
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || die "$name not ready (see $LOGS/$name.log)"
  say "$name ready on http://127.0.0.1:$port (API docs: http://127.0.0.1:$port/docs)"
}

print_pages() {
  # Where people open the pages (docs/web.md); each service also serves operator sign-in under its prefix.
  local membership conference notifications
  membership=$(sed -n 's/^MEMBERSHIP_PAGES_URL=//p' "$ROOT/deploy/env/membership.env")
  conference=$(sed -n 's/^CONFERENCE_PAGES_URL=//p' "$ROOT/deploy/env/conference.env")
  notifications=$(sed -n 's/^NOTIFICATIONS_PAGES_URL=//p' "$ROOT/deploy/env/notifications.env")
  say "pages:"
  say "  membership levels and joining  $membership/membership/levels"
  say "  member sign-in (emailed link)  $membership/membership/sign-in"
  say "  my membership                  $membership/membership/me"
  say "  conferences and registering    $conference/events"
  say "  my registrations               $conference/events/my"
  say "  operator sign-in               $membership/membership/operator/sign-in"
  say "                                 $conference/events/operator/sign-in"
  say "                                 $notifications/mail/operator/sign-in"
  say "  members dashboard (operators)  $membership/membership/operator"
  say "  conferences (operators)        $conference/events/operator"
  say "  check-in screen                $conference/events/operator/check-in"
  say "  email delivery log             $notifications/mail/operator/deliveries"
}

up() {
  local started=$SECONDS
  ensure_tools
  ensure_prometheus
  start_postgres
  start_kafka
  start_stripe_mock
  start_mailbox
  if [ "${CONVENE_TRACING:-}" = 1 ]; then start_traced; fi  # services already running keep their setting
  for s in "${SERVICES[@]}"; do start_service "$s"; done
  start_prometheus
  print_pages
  say "the stack is up in $((SECONDS - started))s; logs in $LOGS; stop it with ./convene down"
  say "empty pages? ./convene demo seeds CIT International, a demo association (docs/operations.md)"
}

env_value() { # service name
  sed -n "s/^$2=//p" "$ROOT/deploy/env/$1.env"
}

seed_demo() {
  # convene-admin demo against the stack `up` started: its ports, its webhook secrets, and the
  # bootstrap token of deploy/env (only good for creating the first owner) unless
  # OPERATOR_API_TOKEN names a staff member's API token. Each address may be given instead.
  ensure_python
  MEMBERSHIP_API_URL="${MEMBERSHIP_API_URL:-http://127.0.0.1:$(env_value membership HTTP_PORT)}" \
  CONFERENCE_API_URL="${CONFERENCE_API_URL:-http://127.0.0.1:$(env_value conference HTTP_PORT)}" \
  STRIPE_API_BASE="${STRIPE_API_BASE:-http://127.0.0.1:$STRIPE_MOCK_PORT}" \
  MEMBERSHIP_STRIPE_WEBHOOK_SECRET="$(env_value membership STRIPE_WEBHOOK_SECRET)" \
  CONFERENCE_STRIPE_WEBHOOK_SECRET="$(env_value conference STRIPE_WEBHOOK_SECRET)" \
  OPERATOR_BOOTSTRAP_TOKEN="${OPERATOR_BOOTSTRAP_TOKEN:-local-operator-token-change-me}" \
    "$ROOT/.venv/bin/convene-admin" demo
}

down() {
  stop_prometheus
  for s in "${SERVICES[@]}"; do stop_process "$s"; done
  stop_process jaeger
  stop_process kube-tools

  stop_containers
  stop_process mailbox
  stop_process stripe-mock
  stop_kafka
  stop_kafka_cluster
  stop_postgres
  say "stopped the $MODE stack"
}

run_unit_tier() {
  # Needs nothing running and installs only Python's side: no stack, no browser, no Kafka jars.
  # The gates (ruff, mypy) belong to the full run.
  ensure_python
  cd "$ROOT"
  "$ROOT/.venv/bin/pytest" "$@"
}

run_tests() {
  if [ "${1:-}" = -m ] && [ "${2:-}" = unit ]; then run_unit_tier "$@"; return; fi
  # First: a fresh machine builds Jaeger meanwhile (deploy/local/jaeger.sh); `down` stops it.
  command -v go >/dev/null || die "Go is needed to build Jaeger and stripe-mock"
  trap 'stop_process jaeger; stop_containers' EXIT
  start_jaeger
  start_kube_tools  # helm and kubeconform for the chart's tests, built meanwhile (deploy/local/kube_tools.sh)
  # Docker, Compose and the stand-in images for tests/compose (containers.sh): opt-in for now, since
  # on a fresh machine their Go builds and images take longer than the suite (docs/docker.md).
  if [ "${CONVENE_COMPOSE:-}" = 1 ]; then start_containers; fi
  ensure_tools
  ensure_browser_tools
  ensure_asyncapi_parser
  ensure_prometheus
  trap down EXIT
  # Each test run starts from an empty broker; PostgreSQL is reused and each test makes its own database.
  stop_kafka; rm -rf "$STATE/kafka"
  start_postgres
  start_kafka
  start_stripe_mock
  start_prometheus
  export CONVENE_TEST_PROMETHEUS="http://127.0.0.1:$PROMETHEUS_PORT"
  export CONVENE_TEST_PROMETHEUS_TARGETS="$STATE/prometheus/targets.json"  # file_sd: the tests write it
  export CONVENE_TEST_PROMTOOL="$PROMTOOL"
  export CONVENE_TEST_POSTGRES="postgresql://convene@127.0.0.1:$PG_PORT/postgres"
  export CONVENE_TEST_PG_BIN="$PG_BIN"  # tests that restart a server of their own
  export CONVENE_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
  export CONVENE_TEST_STRIPE="http://127.0.0.1:$STRIPE_MOCK_PORT"
  export CONVENE_TEST_CHROMIUM="$CHROMIUM"
  export CONVENE_TEST_AXE="$CACHE/npm/node_modules/axe-core/axe.min.js"
  export CONVENE_TEST_ASYNCAPI_PARSER="$CACHE/npm/asyncapi/node_modules"  # NODE_PATH for tools/asyncapi/validate.cjs
  # Screenshots of every page the browser tests visit, at desktop and phone widths: this run's only.
  export CONVENE_TEST_ARTIFACTS="$STATE/artifacts"
  rm -rf "$CONVENE_TEST_ARTIFACTS"; mkdir -p "$CONVENE_TEST_ARTIFACTS"
  cd "$ROOT"
  # Every gate runs, and any failure fails the command (a plain `a && b` would hide one under set -e).
  local failed=()
  say "ruff check"; "$ROOT/.venv/bin/ruff" check . || failed+=("ruff check")
  say "ruff format --check"; "$ROOT/.venv/bin/ruff" format --check . || failed+=("ruff format")
  say "mypy (strict)"; "$ROOT/.venv/bin/mypy" || failed+=("mypy")
  say "pytest"
  local rc=0
  "$ROOT/.venv/bin/pytest" "${@}" || rc=$?
  # pytest's 5 means "no tests ran": never a pass.
  [ "$rc" = 0 ] || failed+=("pytest (exit $rc)")
  if [ "${#failed[@]}" -gt 0 ]; then
    say "FAILED: ${failed[*]}"
    return 1
  fi
  say "all checks passed"
}

write_secrets() {
  # Only the standard library: works before anything is installed, for a Docker-only deployment.
  if command -v python3 >/dev/null 2>&1; then exec python3 "$ROOT/deploy/compose/write_env.py" "$@"; fi
  ensure_python
  exec "$PY" "$ROOT/deploy/compose/write_env.py" "$@"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  test) shift; run_tests "$@" ;;
  secrets) shift; write_secrets "$@" ;;
  demo) seed_demo ;;
  kafka-cluster)  # three brokers (deploy/local/kafka_cluster.sh); MODE=test for the tests' one
    case "${2:-}" in start) ensure_kafka_jars; start_kafka_cluster ;; stop) stop_kafka_cluster ;; *) die "usage: kafka-cluster start|stop" ;; esac ;;
  status)
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$STATE/pg/data" status >/dev/null 2>&1; then echo "postgres: running"; else echo "postgres: stopped"; fi
    for p in kafka stripe-mock mailbox "${SERVICES[@]}" prometheus; do
      if is_running "$p"; then echo "$p: running"; else echo "$p: stopped"; fi
    done ;;
  *) echo "usage: ./convene up | down | status | demo | kafka-cluster start|stop | test [pytest args] | test -m unit | secrets [--force]" >&2; exit 2 ;;
esac
