"""docker-compose.yml runs the same stack as ./convene up: the same pieces, versions, databases and settings.

Docker is not needed: these tests read docker-compose.yml, the Dockerfile, deploy/env/*.env,
deploy/local/common.sh, the proxy's deploy/proxy/Caddyfile and the services' settings classes and
routes, and check that they agree.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from conference.bootstrap import SPEC as CONFERENCE
from conference.config import ConferenceSettings
from convene_service.runtime import ServiceSpec, create_app
from convene_service.settings import ServiceSettings
from convene_web.settings import WebSettings
from membership.bootstrap import SPEC as MEMBERSHIP
from membership.config import MembershipSettings
from notifications.bootstrap import SPEC as NOTIFICATIONS
from notifications.config import NotificationsSettings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS: dict[str, type[ServiceSettings]] = {
    "membership": MembershipSettings,
    "conference": ConferenceSettings,
    "notifications": NotificationsSettings,
}
SPECS: dict[str, ServiceSpec] = {"membership": MEMBERSHIP, "conference": CONFERENCE, "notifications": NOTIFICATIONS}
SERVICES = tuple(SETTINGS)
INFRASTRUCTURE = ("kafka", "postgres", "stripe-mock", "mailpit", "proxy")
PAGE_PREFIXES = {"membership": "/membership", "conference": "/events", "notifications": "/mail"}  # docs/web.md
# ${NAME}, ${NAME:-default} or ${NAME-default}: compose's interpolation, read here as its default.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?P<default>[^}]*))?\}")


def compose() -> dict[str, Any]:
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(document, dict)
    return document


def compose_service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert isinstance(services, dict)
    service = services[name]
    assert isinstance(service, dict), f"{name} has no definition"
    return service


def compose_environment(service: str) -> dict[str, str]:
    environment = compose_service(service).get("environment")
    assert isinstance(environment, dict), f"{service}'s environment should be a mapping of NAME: value"
    return {str(name): str(value) for name, value in environment.items()}


def with_defaults(value: str) -> str:
    """The value compose passes when none of the interpolated variables is set."""

    def default(match: re.Match[str]) -> str:
        assert match["default"] is not None, f"{match[0]} has no default: a plain `docker compose up` leaves it empty"
        return match["default"]

    return INTERPOLATION.sub(default, value)


def compose_settings(service: str) -> ServiceSettings:
    """The service's settings as compose's defaults make them."""
    environment = compose_environment(service)
    values: dict[str, Any] = {name.lower(): with_defaults(value) for name, value in environment.items()}
    # A prefix no variable has keeps the test process's own environment out of the check.
    return SETTINGS[service](_env_prefix="CONVENE_COMPOSE_CHECK_UNUSED_", **values)


def env_file(service: str) -> dict[str, str]:
    variables = {}
    for line in (ROOT / "deploy" / "env" / f"{service}.env").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        variables[name.strip()] = value.strip().strip("\"'")
    return variables


def pinned(name: str) -> str:
    """A version pinned in deploy/local/common.sh, the local stack's single place for them."""
    match = re.search(rf"^{name}=(\S+)", (ROOT / "deploy" / "local" / "common.sh").read_text(), re.MULTILINE)
    assert match, f"{name} is not set in deploy/local/common.sh"
    return match[1]


def image_tag(service: str) -> str:
    image = compose_service(service)["image"]
    assert isinstance(image, str)
    return image.rpartition(":")[2]


def database_name(dsn: str) -> str:
    return urlsplit(dsn).path.lstrip("/")


def test_compose_defines_the_infrastructure_and_the_three_services() -> None:
    assert set(compose()["services"]) == {*INFRASTRUCTURE, *SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_compose_sets_the_same_variables_as_the_local_stack(service: str) -> None:
    assert set(compose_environment(service)) == set(env_file(service))


@pytest.mark.parametrize("service", SERVICES)
def test_compose_sets_every_setting_the_service_requires(service: str) -> None:
    settings = SETTINGS[service]
    prefix = settings.model_config.get("env_prefix", "")
    required = {f"{prefix}{name}".upper() for name, field in settings.model_fields.items() if field.is_required()}
    assert required
    assert required <= set(compose_environment(service))


@pytest.mark.parametrize("service", SERVICES)
def test_compose_defaults_pass_the_services_own_validation(service: str) -> None:
    settings = compose_settings(service)
    assert settings.http_host == "0.0.0.0"  # noqa: S104 - in a container, loopback alone is unreachable
    assert settings.http_port == int(env_file(service)["HTTP_PORT"])


@pytest.mark.parametrize("service", SERVICES)
def test_services_reach_the_infrastructure_by_container_name(service: str) -> None:
    environment = {name: with_defaults(value) for name, value in compose_environment(service).items()}
    database = urlsplit(environment["DATABASE_URL"])
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert environment["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    if "STRIPE_API_BASE" in environment:
        assert environment["STRIPE_API_BASE"] == "http://stripe-mock:12111"
    if "SMTP_HOST" in environment:
        assert (environment["SMTP_HOST"], environment["SMTP_PORT"]) == ("mailpit", "1025")


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_published_on_its_local_stack_port(service: str) -> None:
    port = env_file(service)["HTTP_PORT"]
    assert compose_environment(service)["HTTP_PORT"] == port
    published = [str(mapping).split(":")[-2:] for mapping in compose_service(service).get("ports", [])]
    assert [port, port] in published


@pytest.mark.parametrize("name", [*INFRASTRUCTURE, *SERVICES])
def test_every_container_has_a_healthcheck(name: str) -> None:
    healthcheck = compose_service(name).get("healthcheck")
    assert isinstance(healthcheck, dict), f"{name} has no healthcheck"
    assert not healthcheck.get("disable", False)
    test = healthcheck.get("test")
    assert isinstance(test, list)
    assert test[0] in ("CMD", "CMD-SHELL")
    if name in SERVICES:
        assert "/readyz" in " ".join(test)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_waits_for_healthy_kafka_and_postgres(service: str) -> None:
    depends_on = compose_service(service).get("depends_on")
    assert isinstance(depends_on, dict), f"{service}'s depends_on should name a condition for each dependency"
    for dependency in ("kafka", "postgres"):
        assert depends_on[dependency]["condition"] == "service_healthy"


def test_compose_pins_the_local_stacks_kafka_and_stripe_mock_versions() -> None:
    assert compose_service("kafka")["image"].startswith("apache/kafka:")
    assert image_tag("kafka") == pinned("KAFKA_VERSION")
    assert compose_service("stripe-mock")["image"].startswith("stripe/stripe-mock:")
    assert image_tag("stripe-mock") == pinned("STRIPE_MOCK_VERSION")


def test_compose_uses_the_local_stacks_postgres_major_version() -> None:
    major = re.search(r"postgresql/(\d+)/bin", pinned("PG_BIN"))
    assert major
    assert image_tag("postgres") == major[1]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_built_from_a_dockerfile_that_exists_for_that_service(service: str) -> None:
    build = compose_service(service).get("build")
    assert isinstance(build, dict)
    dockerfile = ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
    assert dockerfile.is_file(), f"{dockerfile} does not exist"
    assert build["args"]["SERVICE"] == service
    assert re.search(r"^ARG SERVICE\b", dockerfile.read_text(), re.MULTILINE)


def test_the_image_installs_the_uv_the_local_stack_pins() -> None:
    dockerfile = (ROOT / "deploy" / "docker" / "service.Dockerfile").read_text()
    assert re.findall(r"\buv==(\S+)", dockerfile) == [pinned("UV_VERSION")]


def test_postgres_creates_each_services_database() -> None:
    script = (ROOT / "deploy" / "compose" / "postgres-init.sql").read_text()
    created = set(re.findall(r"^\s*CREATE\s+DATABASE\s+\"?(\w+)\"?", script, re.IGNORECASE | re.MULTILINE))
    in_compose = {database_name(compose_environment(service)["DATABASE_URL"]) for service in SERVICES}
    in_local_stack = {database_name(env_file(service)["DATABASE_URL"]) for service in SERVICES}
    assert created == in_compose == in_local_stack == set(SERVICES)


# ---- the proxy: one origin for every page and API (deploy/proxy/Caddyfile) ----------------------


@dataclass(frozen=True)
class ProxyRoute:
    paths: tuple[str, ...]  # Caddy path patterns: "/x" exactly, "/x/*" below it, "*" anything
    strips: bool  # handle_path takes the matched prefix off before proxying
    upstream: str | None  # host:port of reverse_proxy; None for a route that answers itself


def proxy_routes() -> list[ProxyRoute]:
    """The Caddyfile's handle and handle_path blocks (each holds at most one reverse_proxy)."""
    matchers: dict[str, tuple[str, ...]] = {}
    routes: list[ProxyRoute] = []
    for raw in (ROOT / "deploy" / "proxy" / "Caddyfile").read_text().splitlines():
        words = raw.split("#", 1)[0].split()
        if len(words) > 2 and words[0].startswith("@") and words[1] == "path":
            matchers[words[0]] = tuple(words[2:])
        elif words[:1] in (["handle"], ["handle_path"]) and words[-1] == "{":
            target = words[1] if len(words) == 3 else "*"
            routes.append(ProxyRoute(matchers.get(target, (target,)), words[0] == "handle_path", None))
        elif words[:1] == ["reverse_proxy"]:
            routes[-1] = ProxyRoute(routes[-1].paths, routes[-1].strips, words[1])
    return routes


def matches(pattern: str, path: str) -> bool:
    if pattern == "*":
        return True
    if pattern.endswith("/*"):
        return path.startswith(pattern[:-1])
    return path == pattern


def proxied(path: str) -> tuple[str, str] | None:
    """Where the proxy sends a request for `path` (upstream, path as the service sees it); None
    when the proxy answers itself. The most specific pattern wins, as in Caddy."""
    candidates = [(len(p) if p != "*" else -1, p, r) for r in proxy_routes() for p in r.paths if matches(p, path)]
    assert candidates, f"no route for {path}"
    _, pattern, route = max(candidates, key=lambda c: c[0])
    if route.upstream is None:
        return None
    return route.upstream, path.removeprefix(pattern[:-2]) if route.strips else path


def api_paths(service: str) -> set[str]:
    """The service's documented API paths (nothing connects: the lifespan does not run)."""
    return set(create_app(SPECS[service], compose_settings(service)).openapi()["paths"])


async def serves(service: str, path: str) -> bool:
    """Whether the service's app answers `path` (a static file: no database needed)."""
    app = create_app(SPECS[service], compose_settings(service))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        return (await client.get(path)).status_code == 200


@pytest.mark.parametrize("service", SERVICES)
async def test_the_proxy_sends_each_services_pages_to_that_service_with_their_prefix(service: str) -> None:
    prefix, upstream = PAGE_PREFIXES[service], f"{service}:{env_file(service)['HTTP_PORT']}"
    for path in (prefix, f"{prefix}/operator/sign-in", f"{prefix}/static/convene.css"):
        assert proxied(path) == (upstream, path)
    assert await serves(service, f"{prefix}/static/convene.css"), f"{service} serves no pages under {prefix}"


@pytest.mark.parametrize("service", SERVICES)
def test_the_proxy_sends_each_api_to_its_service_without_the_api_prefix(service: str) -> None:
    upstream = f"{service}:{env_file(service)['HTTP_PORT']}"
    assert proxied(f"/api/{service}/readyz") == (upstream, "/readyz")
    assert "/readyz" in api_paths(service)


def test_stripe_reaches_the_paying_services_webhooks_through_the_proxy() -> None:
    assert proxied("/api/membership/stripe/webhook") == ("membership:8001", "/stripe/webhook")
    assert proxied("/api/conference/stripe/webhook") == ("conference:8002", "/stripe/webhook")
    assert "/stripe/webhook" in api_paths("membership") & api_paths("conference")


def test_nothing_reaches_a_service_through_the_proxy_but_its_pages_and_api() -> None:
    for path in ("/memberships", "/levels", "/membershipx", "/api/other/x", "/deliveries"):
        assert proxied(path) is None, path


def test_the_proxy_is_the_one_origin_every_page_links_to() -> None:
    proxy = compose_service("proxy")
    assert "127.0.0.1:8080:8080" in proxy["ports"]
    assert "./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert re.fullmatch(r"caddy:\d+\.\d+\.\d+(-alpine)?", proxy["image"]), "pin the proxy's image"
    for service in SERVICES:
        settings = compose_settings(service)
        assert isinstance(settings, WebSettings)
        pages = {settings.membership_pages_url, settings.conference_pages_url, settings.notifications_pages_url}
        assert pages == {"http://localhost:8080"}
        assert settings.cookie_secure, "compose keeps cookies Secure (browsers allow it on http://localhost)"
