# helm and kubeconform for the Helm chart's tests (tests/deploy/test_helm_chart.py), built from
# their Go modules with `go install` the first time and kept in .local/cache/bin after, each beside
# a version marker; and the CRDs of the operators the chart can render for (the Prometheus operator,
# CloudNativePG), taken from those operators' Go modules. Sourced after common.sh.
#
# A fresh machine's helm build takes minutes on 2 cores, so `./convene test` does not wait for it:
# `start_kube_tools` spawns one background process that builds what is missing and exits. pytest
# starts at once; the chart's tests wait for the marker it writes last (within a budget,
# CONVENE_TEST_KUBE_TOOLS_WAIT_SECONDS). The Kubernetes schemas themselves come from the pinned
# PyPI package kubernetes-validate (pyproject.toml), already installed with the dev tools.
# Strimzi publishes no Go module and its Maven artifact carries no CRD files: its kinds are
# skipped by name in the validation (docs/kubernetes.md, "How the chart is checked").

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0   # the newest the Go module proxy serves
CNPG_VERSION=v1.27.1
KUBE_TOOLS_BIN=${KUBE_TOOLS_BIN:-$CACHE/bin}  # another folder tries a fresh build without touching the cache
KUBE_CRDS="$CACHE/kube-crds/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION-cnpg-$CNPG_VERSION"
KUBE_TOOLS_READY="$STATE/kube-tools.ready"  # written by the background build when all of the above are there

go_tool_built() { [ -x "$1" ] && [ -f "$1.$2" ]; }

build_go_tool() { # name version package
  local name=$1 version=$2 package=$3 bin="$KUBE_TOOLS_BIN/$1"
  go_tool_built "$bin" "$version" && return 0
  mkdir -p "$KUBE_TOOLS_BIN"
  (
    flock 9
    go_tool_built "$bin" "$version" && exit 0
    say "building $name $version with Go (the first time only)"
    # Into a folder of its own, so a build cut short leaves no binary behind.
    local gobin; gobin=$(mktemp -d "$KUBE_TOOLS_BIN/.$name-build-XXXXXX")
    GOBIN="$gobin" go install "$package@$version" \
      || { rm -rf "$gobin"; die "building $name $version failed"; }
    mv "$gobin/$name" "$bin" && rm -rf "$gobin"
    touch "$bin.$version"
  ) 9>"$KUBE_TOOLS_BIN/.$name-build.lock"
}

module_dir() { # module@version: downloads it into Go's module cache, prints where
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

fetch_crds() { # only the CRD files of the kinds the chart renders
  [ -f "$KUBE_CRDS/.complete" ] && return 0
  local monitoring cnpg
  monitoring=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION") \
    && cnpg=$(module_dir "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION") \
    && [ -n "$monitoring" ] && [ -n "$cnpg" ] || die "downloading the operators' CRDs failed"
  rm -rf "$KUBE_CRDS" && mkdir -p "$KUBE_CRDS"
  cp "$monitoring/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" \
    "$monitoring/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml" \
    "$cnpg/config/crd/bases/postgresql.cnpg.io_clusters.yaml" \
    "$cnpg/config/crd/bases/postgresql.cnpg.io_databases.yaml" "$KUBE_CRDS/"
  touch "$KUBE_CRDS/.complete"
}

build_kube_tools() { # the background process
  build_go_tool kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform || exit 1
  fetch_crds || exit 1
  build_go_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm || exit 1
  touch "$KUBE_TOOLS_READY"
  say "helm $HELM_VERSION, kubeconform $KUBECONFORM_VERSION and the operators' CRDs are ready"
}

start_kube_tools() {
  rm -f "$KUBE_TOOLS_READY"
  stop_process kube-tools
  spawn kube-tools bash -c "source '$ROOT/deploy/local/common.sh'; source '$ROOT/deploy/local/kube_tools.sh'; build_kube_tools"
  export CONVENE_TEST_HELM="$KUBE_TOOLS_BIN/helm"
  export CONVENE_TEST_KUBECONFORM="$KUBE_TOOLS_BIN/kubeconform"
  export CONVENE_TEST_KUBE_CRDS="$KUBE_CRDS"
  export CONVENE_TEST_KUBE_TOOLS_READY="$KUBE_TOOLS_READY"
  export CONVENE_TEST_KUBE_TOOLS_LOG="$LOGS/kube-tools.log"
}
