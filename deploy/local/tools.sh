# Installs what the stack needs, once: uv and the Python workspace, Kafka's jars, stripe-mock; and
# for the browser tests, Chromium from Debian's packages and axe-core from npm; the AsyncAPI parser.
# Sourced after common.sh. Every step checks what is already there, so a second run is quick.

ensure_python() {
  local uv="$CACHE/uv/bin/uv"
  if [ ! -x "$uv" ]; then
    say "installing uv $UV_VERSION"
    python3 -m venv "$CACHE/uv" && "$CACHE/uv/bin/pip" install -q "uv==$UV_VERSION" || die "could not install uv"
  fi
  # --frozen: install exactly what uv.lock pins; never re-resolve on a user's machine.
  UV_PYTHON_DOWNLOADS=never "$uv" sync --frozen --quiet --python python3.11 --project "$ROOT" \
    || die "uv sync failed"
}

ensure_kafka_jars() {
  local libs="$CACHE/kafka-$KAFKA_VERSION/libs"
  [ -f "$libs/.complete" ] && return 0
  say "resolving Apache Kafka $KAFKA_VERSION jars with Maven"
  mkdir -p "$libs"
  sed -e "s/@KAFKA_VERSION@/$KAFKA_VERSION/" -e "s/@LOG4J_VERSION@/$LOG4J_VERSION/" \
    "$ROOT/deploy/local/kafka/pom.xml" >"$CACHE/kafka-$KAFKA_VERSION/pom.xml"
  mvn -B -q -Dstyle.color=never -f "$CACHE/kafka-$KAFKA_VERSION/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs" || die "Maven could not resolve Kafka's jars"
  touch "$libs/.complete"
}

ensure_stripe_mock() {
  local bin="$CACHE/bin/stripe-mock"
  [ -x "$bin" ] && [ -f "$bin.$STRIPE_MOCK_VERSION" ] && return 0
  say "installing stripe-mock $STRIPE_MOCK_VERSION with go install"
  mkdir -p "$CACHE/bin"
  GOBIN="$CACHE/bin" go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" \
    || die "go install stripe-mock failed"
  touch "$bin.$STRIPE_MOCK_VERSION"
}

ensure_browser_tools() {
  if [ ! -x "$CHROMIUM" ]; then
    say "installing Chromium from Debian's packages (apt-get install chromium)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null \
      || die "could not install Chromium; install Debian's chromium package (or set CHROMIUM to a Chromium binary)"
    [ -x "$CHROMIUM" ] || die "Chromium is not at $CHROMIUM after installing it; set CHROMIUM"
  fi
  local axe="$CACHE/npm/node_modules/axe-core"
  if ! grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$axe/package.json" 2>/dev/null; then
    command -v npm >/dev/null || die "npm is needed to install axe-core for the browser tests"
    say "installing axe-core $AXE_CORE_VERSION with npm"
    mkdir -p "$CACHE/npm"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/npm" "axe-core@$AXE_CORE_VERSION" >/dev/null \
      || die "npm install axe-core@$AXE_CORE_VERSION failed"
  fi
}

ensure_asyncapi_parser() {
  # The official AsyncAPI parser, exactly as tools/asyncapi/package-lock.json pins it; reinstalled
  # when that lock changes. The suite validates the AsyncAPI document with it.
  local want="$ROOT/tools/asyncapi" dir="$CACHE/npm/asyncapi"
  if ! cmp -s "$want/package-lock.json" "$dir/package-lock.json" || [ ! -d "$dir/node_modules/@asyncapi/parser" ]; then
    command -v npm >/dev/null || die "npm is needed to install the AsyncAPI parser for the tests"
    say "installing the AsyncAPI parser with npm ci (tools/asyncapi/package-lock.json)"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$want/package.json" "$want/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null) || die "npm ci of the AsyncAPI parser failed"
  fi
}

ensure_tools() {
  command -v java >/dev/null || die "Java 17 is needed to run Kafka"
  command -v mvn >/dev/null || die "Maven is needed to fetch Kafka's jars"
  command -v go >/dev/null || die "Go is needed to install stripe-mock"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found in $PG_BIN (set PG_BIN)"
  ensure_python
  ensure_kafka_jars
  ensure_stripe_mock
}
