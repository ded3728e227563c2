"""The Helm chart of deploy/helm/convene, rendered by the real helm and checked by the real
kubeconform, both built by the stack script in the background (deploy/local/kube_tools.sh)."""

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.stack import stack_setting

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "convene"
PRODUCTION = CHART / "values-production.yaml"
KUBERNETES_VERSION = "1.35.0"  # a current release; its schemas come from kubernetes-validate
SERVICES = ("membership", "conference", "notifications")
# A first build of helm on a fresh 2-core machine, while the rest of the suite runs.
TOOLS_WAIT_SECONDS = float(os.environ.get("CONVENE_TEST_KUBE_TOOLS_WAIT_SECONDS", "2700"))
Manifest = dict[str, Any]


@dataclass(frozen=True)
class KubeTools:
    helm: str
    kubeconform: str
    crds: Path


def wait_for_kube_tools() -> KubeTools:
    ready = Path(stack_setting("CONVENE_TEST_KUBE_TOOLS_READY"))
    log = Path(stack_setting("CONVENE_TEST_KUBE_TOOLS_LOG"))
    deadline = time.monotonic() + TOOLS_WAIT_SECONDS
    while not ready.exists():
        if time.monotonic() > deadline:
            tail = log.read_text()[-3000:] if log.exists() else "(no log)"
            pytest.fail(f"helm and kubeconform were not built within {TOOLS_WAIT_SECONDS:.0f}s:\n{tail}")
        time.sleep(2)  # polling the background build's marker, not a wait for an outcome
    return KubeTools(
        helm=stack_setting("CONVENE_TEST_HELM"),
        kubeconform=stack_setting("CONVENE_TEST_KUBECONFORM"),
        crds=Path(stack_setting("CONVENE_TEST_KUBE_CRDS")),
    )


def run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def helm_args(values: Path | None, sets: dict[str, str], api_versions: tuple[str, ...]) -> list[str]:
    args = ["--kube-version", KUBERNETES_VERSION]
    if values is not None:
        args += ["--values", str(values)]
    for name, value in sets.items():
        args += ["--set-string" if name.startswith("secretValues.") else "--set", f"{name}={value}"]
    for api in api_versions:
        args += ["--api-versions", api]
    return args


def render_text(
    tools: KubeTools,
    values: Path | None = None,
    sets: dict[str, str] | None = None,
    api_versions: tuple[str, ...] = (),
) -> str:
    return run([tools.helm, "template", "convene", str(CHART), *helm_args(values, sets or {}, api_versions)])


def render(
    tools: KubeTools,
    values: Path | None = None,
    sets: dict[str, str] | None = None,
    api_versions: tuple[str, ...] = (),
) -> list[Manifest]:
    text = render_text(tools, values, sets, api_versions)
    return [doc for doc in yaml.load_all(text, Loader=yaml.CSafeLoader) if doc]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    (found,) = [m for m in of_kind(manifests, kind) if m["metadata"]["name"] == name]
    return found


def pod_specs(manifests: list[Manifest]) -> list[tuple[str, dict[str, Any]]]:
    """(name, pod spec) of every Deployment and Job."""
    return [
        (m["metadata"]["name"], m["spec"]["template"]["spec"]) for m in manifests if m["kind"] in ("Deployment", "Job")
    ]


def env_of(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container.get("env", [])}
