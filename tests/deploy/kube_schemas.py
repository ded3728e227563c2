"""JSON schemas for kubeconform, offline: Kubernetes' own kinds from the PyPI package
kubernetes-validate (pinned in pyproject.toml), and the CRDs of the Prometheus operator and
CloudNativePG (their Go modules' CRD files, fetched by deploy/local/kube_tools.sh) turned into
schemas as kubeconform's openapi2jsonschema.py does. Strimzi's are nowhere to be had here
(docs/kubernetes.md): its kinds are skipped by name, and only those."""

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

# Skipped by kubeconform, by group, version and kind; the chart's own tests check these objects.
NO_SCHEMA = (
    "kafka.strimzi.io/v1beta2/Kafka",
    "kafka.strimzi.io/v1beta2/KafkaNodePool",
    "kafka.strimzi.io/v1beta2/KafkaTopic",
)
PACKAGE_REFS = '"/api/_definitions.json#'


def kubernetes_schemas(version: str, into: Path, manifests: list[dict[str, Any]]) -> str:
    """Writes a standalone schema (with only the definitions it uses) for each Kubernetes kind in
    `manifests`, from the package's strict schemas of one release, and returns kubeconform's
    -schema-location template for them. Standalone, because the package's schemas point at one
    shared 1.5 MB file through their $id, which kubeconform would fetch and compile per kind."""
    source = files("kubernetes_validate") / "kubernetes-json-schema" / f"v{version}-local-strict"
    into.mkdir(parents=True, exist_ok=True)
    definitions: dict[str, Any] | None = None
    for manifest in manifests:
        name = f"{manifest['kind'].lower()}{kind_suffix(manifest['apiVersion'])}.json"
        entry = source / name
        if (into / name).exists() or not entry.is_file():
            continue  # a kind without a schema here is one kubeconform reports as missing
        if definitions is None:
            definitions = json.loads((source / "_definitions.json").read_text())["$defs"]
        schema = json.loads(entry.read_text().replace(PACKAGE_REFS, '"#'))
        schema.pop("$id", None)
        schema["$defs"] = used_definitions(schema, definitions)
        (into / name).write_text(json.dumps(schema))
    return str(into / "{{.ResourceKind}}{{.KindSuffix}}.json")


def kind_suffix(api_version: str) -> str:
    """kubeconform's {{.KindSuffix}}: "-apps-v1" for apps/v1, "-networking-v1" for
    networking.k8s.io/v1, "-v1" for the core v1."""
    group, _, version = api_version.rpartition("/")
    return f"-{group.split('.')[0]}-{version}" if group else f"-{version}"


def used_definitions(schema: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    used: dict[str, Any] = {}
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name not in used:
                    used[name] = definitions[name]
                    pending.append(definitions[name])
            pending.extend(value for key, value in node.items() if key != "$ref")
        elif isinstance(node, list):
            pending.extend(node)
    return used


def crd_schemas(crd_files: list[Path], into: Path) -> str:
    """One schema per kind and version of each CRD, at <group>/<kind>_<version>.json."""
    for crd_file in crd_files:
        for crd in yaml.load_all(crd_file.read_text(), Loader=yaml.CSafeLoader):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group = into / crd["spec"]["group"]
            group.mkdir(parents=True, exist_ok=True)
            kind = crd["spec"]["names"]["kind"].lower()
            for version in crd["spec"]["versions"]:
                schema = strict(version["schema"]["openAPIV3Schema"])
                (group / f"{kind}_{version['name']}.json").write_text(json.dumps(schema))
    return str(into / "{{.Group}}" / "{{.ResourceKind}}_{{.ResourceAPIVersion}}.json")


def strict(node: Any) -> Any:
    """As openapi2jsonschema.py: an object that lists its properties takes no others (what
    kubectl's validation does), and int-or-string is either."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: strict(value) for key, value in node.items()}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if out.get("format") == "int-or-string":
        out.pop("format")
        out.pop("type", None)
        out["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out
