"""docker-compose.yml runs the same stack as ./convene up: the same pieces, versions, databases and settings.

Docker is not needed: these tests read docker-compose.yml, the Dockerfile, deploy/env/*.env,
deploy/local/common.sh, the proxy's deploy/proxy/Caddyfile and the services' settings classes and
routes, and check that they agree.
"""

import hashlib
import ipaddress
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest
import yaml
from pydantic import ValidationError

from conference.bootstrap import SPEC as CONFERENCE
from conference.config import ConferenceSettings
from conference.service_layer.certificates import certificate_url
from conference.service_layer.deps import Deps as ConferenceDeps
from convene_service.demo_values import DEMO_SECRETS, is_published
from convene_service.runtime import create_app
from convene_service.settings import ConfigurationError, ServiceSettings, load_settings
from convene_service.spec import ServiceSpec
from convene_web.settings import WebSettings
from membership.bootstrap import SPEC as MEMBERSHIP
from membership.config import MembershipSettings
from notifications.bootstrap import SPEC as NOTIFICATIONS
from notifications.config import NotificationsSettings
from notifications.domain.unsubscribe_links import UnsubscribeLinks

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
# ${NAME}, ${NAME:-default}, ${NAME-default} or ${NAME:?message}: compose's interpolation.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


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


@cache
def dotenv() -> dict[str, str]:
    """The .env a fresh `./convene secrets` writes (what compose reads beside docker-compose.yml)."""
    path = Path(tempfile.mkdtemp(prefix="convene-secrets-")) / ".env"
    subprocess.run([ROOT / "convene", "secrets", "--env-file", str(path)], check=True, capture_output=True)
    return read_dotenv(path)


def read_dotenv(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def with_defaults(value: str, environment: Mapping[str, str] | None = None) -> str:
    """The value compose passes when only `environment` (by default the fresh .env) is set."""
    environment = dotenv() if environment is None else environment

    def interpolate(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        given = environment.get(name)
        assert op is not None, f"{match[0]} has no default: a plain `docker compose up` leaves it empty"
        if op.endswith("?"):
            assert given, f"{name} is not in the .env: compose refuses to start ({arg})"
            return given
        if op == "-":
            return arg if given is None else given
        return given or arg

    return INTERPOLATION.sub(interpolate, value)


def compose_settings(
    service: str, environment: Mapping[str, str] | None = None, /, **overrides: Any
) -> ServiceSettings:
    """The service's settings as compose's defaults and the fresh .env (or `environment`) make them."""
    values: dict[str, Any] = {
        name.lower(): with_defaults(value, environment) for name, value in compose_environment(service).items()
    }
    # A prefix no variable has keeps the test process's own environment out of the check.
    return SETTINGS[service](_env_prefix="CONVENE_COMPOSE_CHECK_UNUSED_", **(values | overrides))


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
    return urlsplit(with_defaults(dsn)).path.lstrip("/")  # compose's ${...:?message} holds slashes


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
            routes[-1] = ProxyRoute(routes[-1].paths, routes[-1].strips, caddy_default(words[1]))
    return routes


def caddy_default(word: str) -> str:
    """An environment placeholder {$NAME:default} as compose runs it: its default."""
    found = re.fullmatch(r"\{\$[A-Z_]+:(.+)\}", word)
    return found[1] if found else word


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


@pytest.mark.parametrize("service", SERVICES)
def test_the_proxy_keeps_each_services_metrics_off_the_public_origin(service: str) -> None:
    # Prometheus scrapes the services on their own network (deploy/prometheus, docs/operations.md).
    assert proxied(f"/api/{service}/metrics") is None
    assert "/metrics" in api_paths(service)


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


# ---- secrets: none published, none defaulted (README, "Deploying with Docker") --------------------

# Settings names and compose variables that hold a secret. Every setting with a listed demo value is
# one; the rest of the settings are checked against SECRET_LIKE below.
SECRET_SETTINGS = {setting.upper() for setting in DEMO_SECRETS}
SECRET_LIKE = re.compile(r"SECRET|TOKEN|PASSWORD|_KEY\b")


def interpolations(value: str) -> list[re.Match[str]]:
    return list(INTERPOLATION.finditer(value))


def fresh_values(service: str) -> dict[str, str]:
    """The service's secrets as compose passes them from a fresh .env, by setting name."""
    environment = compose_environment(service)
    return {name.lower(): with_defaults(environment[name]) for name in SECRET_SETTINGS if name in environment}


def with_demo(setting: str, demo: str) -> str:
    # DATABASE_URL's listed demo value is the password inside it.
    return f"postgresql://convene:{demo}@postgres:5432/x" if setting == "database_url" else demo


@pytest.mark.parametrize("service", SERVICES)
def test_no_secret_of_a_service_has_a_default_in_compose(service: str) -> None:
    for name, value in compose_environment(service).items():
        if name in SECRET_SETTINGS:
            found = interpolations(value)
            assert found, f"{service}'s {name} is written into docker-compose.yml"
            assert all(m["op"] == ":?" for m in found), f"{service}'s {name} must be ${{VAR:?...}}: {value}"
    dsn = compose_environment(service)["DATABASE_URL"]
    assert re.match(r"postgresql://convene:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:", dsn), "password from the .env"


def test_every_secret_variable_in_compose_is_required_and_has_no_default_anywhere() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    required = {m["name"] for m in interpolations(text) if m["op"] == ":?"}
    assert compose_service("postgres")["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    for m in interpolations(text):
        if m["name"] in required or SECRET_LIKE.search(m["name"]):
            assert m["op"] == ":?", f"{m[0]}: a secret is required, never defaulted"
            assert "./convene secrets" in m["arg"], f"{m[0]} should say how to set it"
    # Exactly what ./convene secrets writes: after it, compose starts; before it, it refuses.
    assert required == set(dotenv())


def test_compose_runs_the_services_in_production_mode_and_only_the_local_stack_in_development() -> None:
    for service in SERVICES:
        assert compose_environment(service)["CONVENE_ENVIRONMENT"] == "production"
        assert env_file(service)["CONVENE_ENVIRONMENT"] == "development"
        assert compose_settings(service).convene_environment == "production"
    assert SETTINGS["membership"].model_fields["convene_environment"].default == "production"


@pytest.mark.parametrize("service", SERVICES)
def test_every_secret_of_the_local_stack_is_a_listed_demo_value(service: str) -> None:
    settings = SETTINGS[service].model_fields
    secret_like = {name.upper() for name in settings if SECRET_LIKE.search(name.upper())}
    for name in secret_like - SECRET_SETTINGS:
        # Any other secret (SMTP_PASSWORD) has no published value: neither the local stack nor compose sets it.
        assert name not in env_file(service), name
        assert name not in compose_environment(service), name
    for name, value in env_file(service).items():
        if name in SECRET_SETTINGS and name != "DATABASE_URL":  # the local cluster needs no password
            assert is_published(name.lower(), value), f"{service}'s {name} in deploy/env is not in DEMO_SECRETS"


DEMO_CASES = [
    (service, setting, demo)
    for service in SERVICES
    for setting, demos in DEMO_SECRETS.items()
    if setting in SETTINGS[service].model_fields
    for demo in sorted(demos)
]


@pytest.mark.parametrize(("service", "setting", "demo"), DEMO_CASES)
def test_the_services_refuse_each_demo_secret_outside_development_mode(service: str, setting: str, demo: str) -> None:
    value = with_demo(setting, demo)
    with pytest.raises(ValidationError) as refused:
        compose_settings(service, **{setting: value})
    assert [problem["loc"] for problem in refused.value.errors()] == [(setting,)]
    assert "demo value published with Convene" in refused.value.errors()[0]["msg"]
    development = compose_settings(service, **{setting: value, "convene_environment": "development"})
    assert getattr(development, setting) == value


@pytest.mark.parametrize("service", SERVICES)
def test_start_up_with_the_local_stacks_secrets_outside_development_stops_naming_each(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = env_file(service)
    for name, value in local.items():
        monkeypatch.setenv(name, value)
    assert load_settings(SETTINGS[service]).convene_environment == "development"
    monkeypatch.delenv("CONVENE_ENVIRONMENT")
    with pytest.raises(ConfigurationError) as stopped:
        load_settings(SETTINGS[service])
    named = {line.split(":")[0].strip() for line in str(stopped.value).splitlines()[1:]}
    assert named == {name for name in local if name in SECRET_SETTINGS and name != "DATABASE_URL"}
    for name, value in fresh_values(service).items():
        if name != "database_url":
            monkeypatch.setenv(name.upper(), value)
    assert load_settings(SETTINGS[service]).convene_environment == "production"


def test_convene_secrets_writes_a_private_env_of_fresh_long_distinct_values(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    written = subprocess.run(
        [ROOT / "convene", "secrets", "--env-file", str(path)], capture_output=True, text=True, check=True
    )
    values = read_dotenv(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert set(values) == set(dotenv())
    assert len(set(values.values())) == len(values), "every secret is its own"
    assert set(values.values()).isdisjoint(dotenv().values()), "each run draws new values"
    assert all(len(value) >= 32 for value in values.values())
    operator_token = written.stdout.rsplit(" ", 1)[-1].strip()
    assert len(operator_token) >= 32
    assert operator_token not in path.read_text(), "the token is shown, not stored"
    assert hashlib.sha256(operator_token.encode()).hexdigest() == values["CONVENE_OPERATOR_TOKEN_SHA256"]
    for service in SERVICES:
        settings = compose_settings(service, values)  # compose accepts it, and so do the services
        fields = type(settings).model_fields
        assert not any(is_published(name, str(getattr(settings, name))) for name in DEMO_SECRETS if name in fields)


def test_convene_secrets_replaces_an_env_only_when_forced(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("CONVENE_SESSION_SECRET=the-operators-own\n")
    again = subprocess.run([ROOT / "convene", "secrets", "--env-file", str(path)], capture_output=True, text=True)
    assert again.returncode != 0
    assert "--force" in again.stderr
    assert path.read_text() == "CONVENE_SESSION_SECRET=the-operators-own\n"
    subprocess.run([ROOT / "convene", "secrets", "--force", "--env-file", str(path)], capture_output=True, check=True)
    assert set(read_dotenv(path)) == set(dotenv())


# ---- links in emails: through the proxy, on the public origin -----------------------------------


@pytest.mark.parametrize("origin", [None, "https://members.example.org"])
def test_certificate_links_use_the_public_origin_and_reach_the_conference_api(origin: str | None) -> None:
    pages = {"CONVENE_PAGES_URL": origin} if origin else {}
    settings = compose_settings("conference", dotenv() | pages)
    assert isinstance(settings, ConferenceSettings)
    attendee = uuid4()
    link = certificate_url(cast(ConferenceDeps, SimpleNamespace(settings=settings)), attendee)  # reads settings only
    assert link.startswith(f"{origin or 'http://localhost:8080'}/api/conference/certificates/{attendee}.pdf?token=")
    assert proxied(urlsplit(link).path) == ("conference:8002", f"/certificates/{attendee}.pdf")
    assert "/certificates/{attendee_id}.pdf" in api_paths("conference")


@pytest.mark.parametrize("origin", [None, "https://members.example.org"])
def test_one_click_unsubscribe_uses_the_public_origin_and_reaches_the_notifications_api(origin: str | None) -> None:
    pages = {"CONVENE_PAGES_URL": origin} if origin else {}
    settings = compose_settings("notifications", dotenv() | pages)
    assert isinstance(settings, NotificationsSettings)
    links = UnsubscribeLinks(settings.unsubscribe_secret, settings.public_base_url, settings.notifications_pages_url)
    link = urlsplit(links.one_click_url("ada@example.org"))
    assert f"{link.scheme}://{link.netloc}" == (origin or "http://localhost:8080")  # https once the origin is
    assert proxied(link.path) == ("notifications:8003", "/unsubscribe")
    assert "/unsubscribe" in api_paths("notifications")


@pytest.mark.parametrize("service", SERVICES)
def test_services_believe_forwarded_headers_from_the_proxy_alone(service: str) -> None:
    """With `*` a client that reaches a service's port sets its own X-Forwarded-For and escapes
    the rate limits; the proxy's fixed address, inside compose's own subnet, is the only one."""
    trusted = [entry.strip() for entry in compose_settings(service).forwarded_allow_ips.split(",")]
    assert "*" not in trusted
    proxy_address = compose_service("proxy")["networks"]["default"]["ipv4_address"]
    assert trusted == [proxy_address]
    subnets = [c["subnet"] for c in compose()["networks"]["default"]["ipam"]["config"]]
    assert any(ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet) for subnet in subnets)
