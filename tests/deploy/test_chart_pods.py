"""What the chart's pods are: non-root and locked down, probed on the health endpoints, given the
settings each service reads (by the names its settings class reads), secrets by reference only,
and migrated by a hook before any new pod starts."""

import re
from typing import Any

import pytest

from conference.config import ConferenceSettings
from convene_service.settings import ServiceSettings
from membership.config import MembershipSettings
from notifications.config import NotificationsSettings
from tests.deploy.chart import ROOT, SERVICES, KubeTools, Manifest, env_of, of_kind, pod_specs, render
from tests.deploy.conftest import INLINE_SECRETS

SETTINGS: dict[str, type[ServiceSettings]] = {
    "membership": MembershipSettings,
    "conference": ConferenceSettings,
    "notifications": NotificationsSettings,
}
# Read by the OpenTelemetry SDK, not a settings class; and the chart's own step to DATABASE_URL.
NOT_SETTINGS = {"OTEL_EXPORTER_OTLP_ENDPOINT", "CNPG_APP_PASSWORD"}
TMP = "/tmp"  # noqa: S108 (the path the pods mount an emptyDir at)
SECRET_NAMES = {
    "DATABASE_URL",
    "OPERATOR_TOKEN_SHA256",
    "SESSION_SECRET",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "ATTENDEE_LINK_SECRET",
    "UNSUBSCRIBE_SECRET",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
}


def the_service(manifest: Manifest) -> str:
    component = manifest["metadata"]["labels"]["app.kubernetes.io/component"]
    assert component in SERVICES
    return str(component)


def dockerfile_uid() -> int:
    found = re.search(r"--uid (\d+)", (ROOT / "deploy/docker/service.Dockerfile").read_text())
    assert found
    return int(found.group(1))


@pytest.mark.parametrize("variant", ["default", "production"])
def test_every_container_is_non_root_with_a_read_only_root(
    variant: str, default_render: list[Manifest], production_render: list[Manifest]
) -> None:
    rendered = default_render if variant == "default" else production_render
    specs = pod_specs(rendered)
    assert len(specs) == 6  # three Deployments, three migration Jobs
    for name, pod in specs:
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == dockerfile_uid(), name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        volumes = {v["name"]: v for v in pod["volumes"]}
        for container in pod.get("initContainers", []) + pod["containers"]:
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True, name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}, name
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert "emptyDir" in volumes[mounts[TMP]], name
            assert set(container["resources"]) == {"requests", "limits"}, name


def test_every_deployment_is_probed_on_its_health_endpoints(default_render: list[Manifest]) -> None:
    deployments = of_kind(default_render, "Deployment")
    assert sorted(the_service(d) for d in deployments) == sorted(SERVICES)
    for deployment in deployments:
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        http_port = int(env_of(container)["HTTP_PORT"]["value"])
        for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            check = container[probe]["httpGet"]
            assert check["path"] == path
            assert ports[check["port"]] == http_port, "the probe must reach the port the service listens on"
        assert container["command"] == ["python", "-m", the_service(deployment), "serve"]


@pytest.mark.parametrize("variant", ["default", "production", "inline-secrets"])
def test_the_env_names_are_the_ones_each_service_reads(
    variant: str,
    default_render: list[Manifest],
    production_render: list[Manifest],
    inline_secrets_render: list[Manifest],
) -> None:
    rendered = {"default": default_render, "production": production_render, "inline-secrets": inline_secrets_render}
    for deployment in of_kind(rendered[variant], "Deployment"):
        service = the_service(deployment)
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        names = set(env_of(container))
        fields = SETTINGS[service].model_fields
        read = {name.upper() for name in fields}
        assert names - NOT_SETTINGS <= read, f"{service} reads none of {sorted(names - NOT_SETTINGS - read)}"
        required = {name.upper() for name, field in fields.items() if field.is_required()}
        assert required <= names, f"{service} needs {sorted(required - names)}"


def test_every_setting_of_the_local_stack_is_set(kube_tools: KubeTools) -> None:
    # deploy/env/<service>.env names what a running service is given; the chart gives it all of it.
    rendered = render(kube_tools, sets={"stripe.apiBase": "http://stripe-mock:12111"})
    for deployment in of_kind(rendered, "Deployment"):
        service = the_service(deployment)
        lines = (ROOT / "deploy/env" / f"{service}.env").read_text().splitlines()
        wanted = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert wanted <= set(env_of(container)), f"{service} lacks {sorted(wanted - set(env_of(container)))}"


def test_secrets_are_only_ever_referenced(inline_secrets_render: list[Manifest]) -> None:
    secret_values = [value for key, value in INLINE_SECRETS.items() if key.startswith("secretValues.")]
    for manifest in inline_secrets_render:
        if manifest["kind"] == "Secret":
            continue
        text = repr(manifest)
        assert not [v for v in secret_values if v in text], f"a secret is written into {manifest['kind']}"
    for name, pod in pod_specs(inline_secrets_render):
        for key, entry in env_of(pod["containers"][0]).items():
            if key in SECRET_NAMES:
                assert "value" not in entry, f"{name} sets {key} in plain"
                assert entry["valueFrom"]["secretKeyRef"]["key"] == key
    # And the Secrets the chart made hold them, one per service.
    made = of_kind(inline_secrets_render, "Secret")
    assert len(made) == 3
    assert {v for s in made for v in s["stringData"].values()} >= set(secret_values)


def test_a_missing_secret_value_is_refused_by_name(kube_tools: KubeTools) -> None:
    sets = {k: v for k, v in INLINE_SECRETS.items() if k != "secretValues.conference.ATTENDEE_LINK_SECRET"}
    with pytest.raises(AssertionError, match=r"secretValues\.conference\.ATTENDEE_LINK_SECRET"):
        render(kube_tools, sets=sets)


def hook(manifest: Manifest) -> dict[str, Any]:
    annotations = manifest["metadata"].get("annotations", {})
    return {
        "on": set(annotations.get("helm.sh/hook", "").split(",")) - {""},
        "weight": int(annotations.get("helm.sh/hook-weight", "0")),
        "delete": annotations.get("helm.sh/hook-delete-policy", ""),
    }


def test_migrations_run_as_a_hook_before_install_and_upgrade(inline_secrets_render: list[Manifest]) -> None:
    jobs = of_kind(inline_secrets_render, "Job")
    assert len(jobs) == 3
    secrets = {s["metadata"]["name"]: s for s in of_kind(inline_secrets_render, "Secret")}
    for job in jobs:
        assert hook(job)["on"] == {"pre-install", "pre-upgrade"}
        assert "before-hook-creation" in hook(job)["delete"]
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["command"][-1] == "migrate"
        assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
        # The chart-made Secret it reads is a hook too, created before it.
        secret = secrets[container["env"][-1]["valueFrom"]["secretKeyRef"]["name"]]
        assert hook(secret)["on"] == {"pre-install", "pre-upgrade"}
        assert hook(secret)["weight"] < hook(job)["weight"]
        # The Service never routes to the migration's pod.
        labels = job["spec"]["template"]["metadata"]["labels"]
        for service in of_kind(inline_secrets_render, "Service"):
            assert not service["spec"]["selector"].items() <= labels.items()
