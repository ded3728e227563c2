"""The chart lints, renders with its default and production-like values, and every object it renders
passes `kubeconform -strict` against the schemas of a current Kubernetes release and the
operators' CRDs, offline (docs/kubernetes.md, "How the chart is checked")."""

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.deploy.chart import CHART, KUBERNETES_VERSION, PRODUCTION, KubeTools, render_text, run
from tests.deploy.conftest import INLINE_SECRETS, MONITORING
from tests.deploy.kube_schemas import NO_SCHEMA, crd_schemas, kubernetes_schemas

VARIANTS = {
    "default": (None, {}, ()),
    "production": (PRODUCTION, {}, MONITORING),
    "inline-secrets": (None, INLINE_SECRETS, MONITORING),
}


@pytest.mark.parametrize("values", [None, PRODUCTION], ids=["default", "production"])
def test_the_chart_lints(kube_tools: KubeTools, values: Path | None) -> None:
    args = ["--strict", "--kube-version", KUBERNETES_VERSION] + (["--values", str(values)] if values else [])
    out = run([kube_tools.helm, "lint", str(CHART), *args])
    assert "0 chart(s) failed" in out


@pytest.fixture(scope="module")
def crd_location(kube_tools: KubeTools, schemas_dir: Path) -> str:
    crds = sorted(kube_tools.crds.glob("*.yaml"))
    assert {path.name.split("_")[1] for path in crds} >= {
        "servicemonitors.yaml",
        "prometheusrules.yaml",
        "clusters.yaml",
    }
    return crd_schemas(crds, schemas_dir / "crds")


def kubeconform(
    tools: KubeTools, schemas_dir: Path, crd_location: str, rendered: Path
) -> subprocess.CompletedProcess[str]:
    manifests = [doc for doc in yaml.load_all(rendered.read_text(), Loader=yaml.CSafeLoader) if doc]
    kubernetes = kubernetes_schemas(KUBERNETES_VERSION, schemas_dir / "kubernetes", manifests)
    command = [tools.kubeconform, "-strict", "-summary", "-skip", ",".join(NO_SCHEMA)]
    command += ["-schema-location", kubernetes, "-schema-location", crd_location, str(rendered)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_rendered_object_is_valid(
    kube_tools: KubeTools, schemas_dir: Path, crd_location: str, tmp_path: Path, variant: str
) -> None:
    values, sets, apis = VARIANTS[variant]
    rendered = tmp_path / f"{variant}.yaml"
    rendered.write_text(render_text(kube_tools, values, sets, apis))
    done = kubeconform(kube_tools, schemas_dir, crd_location, rendered)
    # Something was checked, nothing was invalid or without a schema (an error), and only the
    # named Strimzi kinds went unchecked.
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert "Invalid: 0, Errors: 0" in summary, done.stdout
    assert "Valid: 0," not in summary, done.stdout


def test_kubeconform_refuses_what_the_schemas_forbid(
    kube_tools: KubeTools, schemas_dir: Path, crd_location: str, tmp_path: Path
) -> None:
    # The schemas are strict and really read: a misspelt field and a bad CRD field both fail.
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80}], selectr: {a: b}}\n"
        "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\n"
        "spec: {selector: {}, endpoints: [{port: http, intervall: 15s}]}\n"
    )
    done = kubeconform(kube_tools, schemas_dir, crd_location, bad)
    assert done.returncode != 0
    assert "Invalid: 2" in done.stdout, done.stdout
