# A Prometheus server for the stack (docs/operations.md, "Metrics and alerts"): Debian's
# prometheus package, data under $STATE/prometheus. `up` scrapes the local services with
# deploy/prometheus/prometheus.yml; `test` writes a config of its own whose targets the tests set
# in a file_sd targets file (CONVENE_TEST_PROMETHEUS_TARGETS). Sourced after common.sh.

ensure_prometheus() {
  [ -x "$PROMETHEUS" ] && [ -x "$PROMTOOL" ] && return 0
  say "installing Prometheus from Debian's packages (apt-get install prometheus)"
  local sudo="" guard=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  # The package starts its own server on :9090 when installed; a policy-rc.d that says no (101)
  # stops that, as Debian's invoke-rc.d and deb-systemd-invoke honour it. Only ours is removed.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null && $sudo chmod +x "$guard"
  fi
  local rc=0
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    prometheus >/dev/null || rc=$?
  [ -z "$guard" ] || $sudo rm -f "$guard"
  [ "$rc" = 0 ] || die "could not install Prometheus; install Debian's prometheus package (or set PROMETHEUS and PROMTOOL)"
  # Where systemd runs, the unit was enabled all the same: keep it from holding :9090 at boot.
  if command -v systemctl >/dev/null && systemctl is-enabled prometheus >/dev/null 2>&1; then
    $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  [ -x "$PROMETHEUS" ] && [ -x "$PROMTOOL" ] || die "prometheus or promtool missing after installing; set PROMETHEUS and PROMTOOL"
}

write_test_prometheus_config() { # the config file to write; its targets file sits beside it
  local config=$1 targets
  targets="$(dirname "$config")/targets.json"
  [ -f "$targets" ] || echo '[]' >"$targets"
  cat >"$config" <<YAML
# Written by deploy/local/prometheus.sh for a test run: the tests name the targets.
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $ROOT/deploy/prometheus/rules.yml
  - $ROOT/deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: convene
    honor_labels: true
    file_sd_configs:
      - files: ["$targets"]
        refresh_interval: 1s
YAML
}

start_prometheus() {
  if is_running prometheus; then say "Prometheus already running on 127.0.0.1:$PROMETHEUS_PORT"; return 0; fi
  local dir="$STATE/prometheus" config="$ROOT/deploy/prometheus/prometheus.yml"
  mkdir -p "$dir/data"
  if [ "$MODE" = test ]; then
    config="$dir/prometheus.yml"
    echo '[]' >"$dir/targets.json"  # each run names its own targets
    write_test_prometheus_config "$config"
  fi
  spawn prometheus "$PROMETHEUS" --config.file="$config" --storage.tsdb.path="$dir/data" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1 && break
    is_running prometheus || die "Prometheus exited during start (see $LOGS/prometheus.log)"
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null || die "Prometheus not ready (see $LOGS/prometheus.log)"
  say "Prometheus ready on http://127.0.0.1:$PROMETHEUS_PORT"
}

stop_prometheus() { stop_process prometheus; }
