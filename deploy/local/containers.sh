# Containers for tests/compose: a Docker daemon of our own, Compose v5, and stand-ins for the public
# images docker-compose.yml names (docs/docker.md, "How the suite runs docker compose up").
# Sourced after common.sh.
#
# No image can be pulled here and no bridge network may be made on this shared machine, so the
# daemon runs with host networking only, its own socket, data and exec roots under .local/docker
# (the data root is kept: built images are the cache of the next run), and every public image is
# built locally under its own name and tag (tests/compose/standins/). A fresh machine needs
# minutes for all of it (apt, two Go builds, a Debian base), so `./convene test` does not wait:
# `start_containers` spawns one background process that prepares everything and then writes
# $CONTAINERS_READY; tests/compose waits for that file within a budget. `down` stops the daemon
# and everything it started.

DOCKER_DIR="$ROOT/.local/docker"
COMPOSE_VERSION=v5.6.0          # docker compose, built from its Go module (v5.7 needs a newer Go than 1.26.8)
MAILPIT_VERSION=v1.27.11        # the newest v1.27 (docker-compose.yml's axllent/mailpit:v1.27)
COMPOSE_BIN="$CACHE/bin/docker-compose"
MAILPIT_BIN="$CACHE/bin/mailpit"
CONTAINERS_READY="$STATE/containers.ready"
# Exported only by the functions that call docker (use_our_docker), so nothing else talks to it.
OUR_DOCKER_HOST="unix://$DOCKER_DIR/docker.sock"
OUR_DOCKER_CONFIG="$DOCKER_DIR/config"  # holds cli-plugins/docker-compose: the real Compose v5

use_our_docker() { export DOCKER_HOST="$OUR_DOCKER_HOST" DOCKER_CONFIG="$OUR_DOCKER_CONFIG"; }

# Built in a module of its own: `go install pkg@version` refuses a module whose go.mod has replace directives.
build_go_module() { # binary version module package
  local bin=$1 version=$2 module=$3 package=$4 name
  name=$(basename "$bin")
  [ -x "$bin" ] && [ -f "$bin.$version" ] && return 0
  mkdir -p "$CACHE/bin"
  (
    flock 9
    [ -x "$bin" ] && [ -f "$bin.$version" ] && exit 0
    say "building $name $version with Go (the first time only)"
    local build="$CACHE/$name-$version-build"
    rm -rf "$build" && mkdir -p "$build" && cd "$build"
    go mod init "convene.local/$name-build" >/dev/null 2>&1 \
      && go get -tool "$module@$version" \
      && go build -o "$bin.partial" "$package" \
      || { rm -f "$bin.partial"; die "building $name $version failed"; }
    mv "$bin.partial" "$bin"
    touch "$bin.$version"
  ) 9>"$CACHE/.$name-build.lock"
}

ensure_container_packages() { # Debian's daemon (20.10, with containerd and runc) and mmdebstrap
  command -v dockerd >/dev/null && command -v mmdebstrap >/dev/null && return 0
  command -v apt-get >/dev/null || die "install Docker's daemon and mmdebstrap (Debian: docker.io mmdebstrap)"
  say "installing docker.io and mmdebstrap from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io mmdebstrap \
    || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io mmdebstrap; } \
    || die "could not install docker.io and mmdebstrap"
}

start_dockerd() {
  use_our_docker
  mkdir -p "$DOCKER_DIR/data" "$DOCKER_DIR/config/cli-plugins"
  ln -sf "$COMPOSE_BIN" "$DOCKER_DIR/config/cli-plugins/docker-compose"
  is_running dockerd && return 0
  # A short exec root: containerd's sockets live under it and a socket path has ~100 bytes at most.
  local exec_root="/tmp/convene-docker-$(printf %s "$ROOT" | sha256sum | cut -c1-8)"
  spawn dockerd dockerd --host "$DOCKER_HOST" --data-root "$DOCKER_DIR/data" --exec-root "$exec_root" \
    --pidfile "$DOCKER_DIR/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
    --exec-opt native.cgroupdriver=cgroupfs --default-ulimit nofile=4096:4096
  for _ in $(seq 1 600); do docker info >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "dockerd did not answer on $DOCKER_HOST (see $LOGS/dockerd.log)"
}

stop_dockerd() {
  is_running dockerd || return 0
  use_our_docker
  # The project's containers first (the test's own `down -v` normally leaves none), then the daemon.
  local running
  running=$(docker ps -q 2>/dev/null || true)
  [ -z "$running" ] || docker stop -t 10 $running >/dev/null 2>&1 || true
  stop_process dockerd
}

build_base_image() { # Debian from this machine's own apt sources, the parent of every stand-in
  docker image inspect convene-base:bookworm >/dev/null 2>&1 && return 0
  say "building convene-base:bookworm with mmdebstrap"
  local tarball="$DOCKER_DIR/base.tar"
  # The machine's apt settings (a snapshot mirror may need Check-Valid-Until off) go in with it.
  mmdebstrap --variant=minbase --include=ca-certificates --aptopt='Acquire::Check-Valid-Until "false"' \
    --aptopt='APT::Install-Recommends "false"' --setup-hook='mkdir -p "$1/etc/apt/sources.list.d"' \
    --setup-hook='cp /etc/apt/sources.list.d/debian.sources "$1/etc/apt/sources.list.d/" 2>/dev/null || true' \
    bookworm "$tarball" - </dev/null || die "mmdebstrap failed"
  docker import --change 'CMD ["/bin/bash"]' "$tarball" convene-base:bookworm >/dev/null || die "docker import failed"
  rm -f "$tarball"
}

build_standins() { # each public image under its own name and tag, from tests/compose/standins/
  local context="$STATE/standins" image dir
  rm -rf "$context" && cp -r "$ROOT/tests/compose/standins" "$context"
  cp /etc/ssl/certs/ca-certificates.crt "$context/python/"  # this machine's trusted CAs
  cp -r "$CACHE/kafka-$KAFKA_VERSION/libs" "$context/kafka/libs"
  cp "$ROOT/deploy/local/kafka/log4j2.properties" "$context/kafka/"
  javac --release 17 -cp "$context/kafka/libs/*" -d "$context/kafka" "$context/kafka/ListTopics.java" \
    || die "compiling the Kafka stand-in's ListTopics failed"
  cp "$CACHE/bin/stripe-mock" "$context/stripe-mock/stripe-mock"
  cp "$MAILPIT_BIN" "$context/mailpit/mailpit"
  while read -r image dir; do
    say "building the stand-in $image"
    DOCKER_BUILDKIT=0 docker build -q --network host -t "$image" "$context/$dir" >/dev/null \
      || die "building the stand-in $image failed"
  done <"$ROOT/tests/compose/standins/images.txt"
}

wait_for_stack_tools() { # the Kafka jars and stripe-mock: `./convene test`'s ensure_tools fetches them
  for _ in $(seq 1 1800); do
    [ -f "$CACHE/kafka-$KAFKA_VERSION/libs/.complete" ] && [ -f "$CACHE/bin/stripe-mock.$STRIPE_MOCK_VERSION" ] && return 0
    sleep 1
  done
  die "the Kafka jars or stripe-mock did not appear in $CACHE"
}

prepare_containers() { # the background process: everything tests/compose needs, then the marker
  rm -f "$CONTAINERS_READY"
  ensure_container_packages
  build_go_module "$COMPOSE_BIN" "$COMPOSE_VERSION" github.com/docker/compose/v5/cmd github.com/docker/compose/v5/cmd
  build_go_module "$MAILPIT_BIN" "$MAILPIT_VERSION" github.com/axllent/mailpit github.com/axllent/mailpit
  start_dockerd
  build_base_image
  wait_for_stack_tools
  build_standins
  date -u +%FT%TZ >"$CONTAINERS_READY"
  say "containers ready"
}

start_containers() { # ./convene test: in the background, like Jaeger
  rm -f "$CONTAINERS_READY"
  stop_process containers
  # Niced: the rest of the suite runs meanwhile, and its timing-sensitive tests come first.
  spawn containers nice -n 10 bash -c "MODE=$MODE; source '$ROOT/deploy/local/common.sh'; source '$ROOT/deploy/local/containers.sh'; prepare_containers"
  export CONVENE_TEST_CONTAINERS_READY="$CONTAINERS_READY"
  export CONVENE_TEST_CONTAINERS_LOG="$LOGS/containers.log"
  export CONVENE_TEST_DOCKER_HOST="$OUR_DOCKER_HOST" CONVENE_TEST_DOCKER_CONFIG="$OUR_DOCKER_CONFIG"
}

stop_containers() {
  stop_process containers
  stop_dockerd
}
