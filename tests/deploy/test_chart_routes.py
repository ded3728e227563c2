"""Who reaches what: the Ingress gives the Caddy proxy's one origin (read as ingress-nginx reads its
paths), the NetworkPolicies let in only the ingress controller and Prometheus, and the Prometheus
operator's objects scrape every service with the rules of deploy/prometheus."""

import re
from typing import Any

import pytest
import yaml

from tests.deploy.chart import ROOT, SERVICES, KubeTools, Manifest, of_kind, pod_specs, render
from tests.deploy.conftest import MONITORING

# (request path, the service it reaches or None for the controller's 404, the path the service sees)
ROUTES = [
    ("/membership", "membership", "/membership"),
    ("/membership/levels", "membership", "/membership/levels"),
    ("/events/spring-summit/register", "conference", "/events/spring-summit/register"),
    ("/mail/operator/deliveries", "notifications", "/mail/operator/deliveries"),
    ("/membershipx", None, None),
    ("/api/membership/levels", "membership", "/levels"),
    ("/api/membership/stripe/webhook", "membership", "/stripe/webhook"),
    ("/api/conference/stripe/webhook", "conference", "/stripe/webhook"),
    ("/api/notifications/docs", "notifications", "/docs"),
    ("/api/conference/metricsandmore", "conference", "/metricsandmore"),
    ("/api/membership", None, None),
    *[(f"/api/{s}/metrics", None, None) for s in SERVICES],
    ("/api/notifications/metrics/", None, None),
    ("/api/conference/Metrics", None, None),
]


def route(ingresses: list[Manifest], host: str, uri: str) -> tuple[str | None, str | None]:
    """As ingress-nginx with use-regex: a host's paths, longest first, each a case-insensitive
    expression anchored at the start (`location ~* ^path`); rewrite-target fills in its groups."""
    candidates = []
    for ingress in ingresses:
        rewrite = ingress["metadata"]["annotations"].get("nginx.ingress.kubernetes.io/rewrite-target")
        for rule in ingress["spec"]["rules"]:
            if rule["host"] == host:
                candidates += [(p["path"], p["backend"]["service"]["name"], rewrite) for p in rule["http"]["paths"]]
    for path, service, rewrite in sorted(candidates, key=lambda c: len(c[0]), reverse=True):
        found = re.match(path, uri, re.IGNORECASE)
        if found:
            return service, (filled(rewrite, found) if rewrite else uri)
    return None, None


def filled(target: str, found: re.Match[str]) -> str:
    return re.sub(r"\$(\d)", lambda group: found.group(int(group.group(1))) or "", target)


@pytest.mark.parametrize(("uri", "service", "upstream"), ROUTES)
def test_the_ingress_is_the_proxy_s_one_origin(
    production_render: list[Manifest], uri: str, service: str | None, upstream: str | None
) -> None:
    ingresses = of_kind(production_render, "Ingress")
    reached, path = route(ingresses, "members.example.org", uri)
    assert (reached, path) == ((f"convene-{service}", upstream) if service else (None, None))


def test_the_ingress_serves_https_and_opens_on_the_levels_page(production_render: list[Manifest]) -> None:
    services = {s["metadata"]["name"]: s for s in of_kind(production_render, "Service")}
    for ingress in of_kind(production_render, "Ingress"):
        assert ingress["spec"]["tls"] == [{"hosts": ["members.example.org"], "secretName": "convene-tls"}]
        for path in ingress["spec"]["rules"][0]["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["port"]["name"] in {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
    pages = [i for i in of_kind(production_render, "Ingress") if i["metadata"]["name"].endswith("-pages")]
    assert pages[0]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/app-root"] == "/membership/levels"


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    expressions = selector.get("matchExpressions", [])
    assert all(e["operator"] == "In" for e in expressions)
    matched = selector.get("matchLabels", {}).items() <= labels.items()
    return matched and all(labels.get(e["key"]) in e["values"] for e in expressions)


def test_network_policies_let_in_only_the_controller_and_prometheus(production_render: list[Manifest]) -> None:
    policies = of_kind(production_render, "NetworkPolicy")
    values = yaml.safe_load((ROOT / "deploy/helm/convene/values.yaml").read_text())
    allowed = [
        (values["ingress"]["controllerNamespaceSelector"], values["ingress"]["controllerPodSelector"]),
        (values["monitoring"]["namespaceSelector"], values["monitoring"]["podSelector"]),
    ]
    for manifest in of_kind(production_render, "Deployment") + of_kind(production_render, "Job"):
        labels = manifest["spec"]["template"]["metadata"]["labels"]
        (policy,) = [p for p in policies if selects(p["spec"]["podSelector"], labels)]
        spec = policy["spec"]
        assert spec["policyTypes"] == ["Ingress", "Egress"]
        (ingress,) = spec["ingress"]
        assert [(peer["namespaceSelector"], peer["podSelector"]) for peer in ingress["from"]] == allowed
        assert ingress["ports"] == [{"port": "http", "protocol": "TCP"}]
        # Every egress rule names its ports: no open door out.
        assert all(rule.get("ports") for rule in spec["egress"])
        ports = {port["port"] for rule in spec["egress"] for port in rule["ports"]}
        service = labels["app.kubernetes.io/component"].removesuffix("-migrate")
        assert ports == ({53, 5432, 9092} | ({587} if service == "notifications" else {443}))


def test_monitoring_follows_the_prometheus_operator(kube_tools: KubeTools, default_render: list[Manifest]) -> None:
    assert not of_kind(default_render, "ServiceMonitor")
    assert not of_kind(default_render, "PrometheusRule")
    forced_off = render(kube_tools, sets={"monitoring.enabled": "false"}, api_versions=MONITORING)
    assert not of_kind(forced_off, "ServiceMonitor")
    detected = render(kube_tools, api_versions=MONITORING)
    assert len(of_kind(detected, "ServiceMonitor")) == 3
    assert len(of_kind(detected, "PrometheusRule")) == 1


def test_every_service_is_scraped_with_the_rules_of_deploy_prometheus(production_render: list[Manifest]) -> None:
    services = of_kind(production_render, "Service")
    rules = yaml.safe_load((ROOT / "deploy/prometheus/rules.yml").read_text())["groups"]
    alerts = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())["groups"]
    (rule,) = of_kind(production_render, "PrometheusRule")
    assert rule["spec"]["groups"] == rules + alerts
    jobs = set(re.findall(r'job="([^"]+)"', yaml.safe_dump(alerts)))
    for monitor in of_kind(production_render, "ServiceMonitor"):
        (service,) = [
            s for s in services if monitor["spec"]["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()
        ]
        assert {service["metadata"]["labels"][monitor["spec"]["jobLabel"]]} == jobs
        (endpoint,) = monitor["spec"]["endpoints"]
        assert (endpoint["port"], endpoint["path"]) == ("http", "/metrics")
        assert endpoint["relabelings"][0]["targetLabel"] == "service"


def test_production_runs_two_or_more_of_each_within_a_budget(production_render: list[Manifest]) -> None:
    for deployment in of_kind(production_render, "Deployment"):
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        hpas = [h for h in of_kind(production_render, "HorizontalPodAutoscaler") if h["metadata"]["name"] == name]
        assert hpas
        assert hpas[0]["spec"]["minReplicas"] >= 2
        assert hpas[0]["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        budgets = [
            p for p in of_kind(production_render, "PodDisruptionBudget") if selects(p["spec"]["selector"], labels)
        ]
        assert len(budgets) == 1
        assert budgets[0]["spec"]["maxUnavailable"] == 1
    assert len(pod_specs(production_render)) == 6
