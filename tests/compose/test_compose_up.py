"""`docker compose up` of the real docker-compose.yml, as an operator runs it: Convene's three
images built from deploy/docker/service.Dockerfile (on the classic builder: no buildx here), the
public images as local stand-ins (tests/compose/standins/), every container on the host's network
(tests/compose/host-network.yml). Then, through the Caddy proxy only: an operator creates a level,
someone joins and pays, the welcome email reaches Mailpit; a registration is held and paid, its
ticket email arrives. `down -v` leaves nothing of the project behind (docs/docker.md)."""

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.compose.compose_stack import PREPARE_SECONDS, ROOT, UP_SECONDS, Compose, ports, wait_for_containers
from tests.support import stripe as shapes
from tests.support.chaos_load import _conference

EMAIL_SECONDS = 120  # from the webhook to Mailpit: Kafka, the relay and notifications' send loop
# The module's first test also waits for the preparation and for `up` (the fixture's setup).
pytestmark = [
    pytest.mark.timeout(PREPARE_SECONDS + UP_SECONDS + 2 * EMAIL_SECONDS + 300),
    # Opt-in until a fresh machine's run of it fits CI's time (docs/docker.md, "How the suite runs it").
    pytest.mark.skipif(os.environ.get("CONVENE_COMPOSE") != "1", reason="opt-in: CONVENE_COMPOSE=1 runs it"),
]


def read_env(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def compose(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Compose, str]]:
    wait_for_containers()
    env_file = tmp_path_factory.mktemp("compose") / ".env"
    written = subprocess.run([ROOT / "convene", "secrets", "--env-file", str(env_file)],
                             capture_output=True, text=True, check=True)  # fmt: skip
    operator_token = written.stdout.rsplit(" ", 1)[-1].strip()
    proxy = f"http://127.0.0.1:{ports()['CONVENE_COMPOSE_PROXY_PORT']}"
    with env_file.open("a") as env:
        env.write(f"CONVENE_PAGES_URL={proxy}\n")
    stack = Compose(f"convene-test-{ports()['CONVENE_COMPOSE_PROXY_PORT']}", env_file)
    checked = stack.run("config", "-q", override=False)
    assert checked.returncode == 0, f"docker compose config -q of docker-compose.yml: {checked.stderr}"
    try:
        up = stack.run("up", "--build", "--wait", "--wait-timeout", str(UP_SECONDS), timeout=UP_SECONDS + 120)
        if up.returncode != 0:
            logs = stack.run("logs", "--no-color", "--tail", "40").stdout
            pytest.fail(f"docker compose up --wait failed:\n{up.stderr[-4000:]}\n{logs[-6000:]}")
        yield stack, operator_token
    finally:
        down = stack.run("down", "-v", "--timeout", "20")
        assert down.returncode == 0, down.stderr
        assert stack.left_behind() == {}, "docker compose down -v left some of the project behind"


def mail_to(address: str, subject_start: str) -> dict[str, Any]:
    """The first message to `address` whose subject starts so, read through Mailpit's HTTP API."""
    mailpit = f"http://127.0.0.1:{ports()['CONVENE_COMPOSE_MAILPIT_PORT']}"
    deadline = time.monotonic() + EMAIL_SECONDS
    seen: list[str] = []
    while time.monotonic() < deadline:
        messages = httpx.get(f"{mailpit}/api/v1/messages", timeout=10).json()["messages"]
        seen = [m["Subject"] for m in messages if address in {to["Address"] for to in m["To"]}]
        for message in messages:
            if message["Subject"].startswith(subject_start) and address in {to["Address"] for to in message["To"]}:
                found: dict[str, Any] = message
                return found
        time.sleep(1)
    pytest.fail(f"no email '{subject_start}...' to {address} within {EMAIL_SECONDS}s; it got: {seen}")


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, f"{response.request.url}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


def test_a_member_joins_and_an_attendee_registers_through_the_proxy(compose: tuple[Compose, str]) -> None:
    stack, bootstrap = compose
    secrets = read_env(stack.env_file)
    proxy = httpx.Client(base_url=f"http://127.0.0.1:{ports()['CONVENE_COMPOSE_PROXY_PORT']}", timeout=30)

    owner = {"email": "owner@example.org", "name": "Olive Owner", "password": "a-long-owner-password"}
    bootstrapping = {"Authorization": f"Bearer {bootstrap}"}
    first = created(proxy.post("/api/membership/staff/first-owner", json=owner, headers=bootstrapping))
    operator = {"Authorization": f"Bearer {first['api_token']['token']}"}
    individual = {"name": "Individual", "price_minor": 7500, "currency": "usd", "term": "annual"}
    level = created(proxy.post("/api/membership/levels", headers=operator, json=individual))

    ada = {"name": "Ada Lovelace", "email": "ada@example.org", "level_id": level["id"]}
    joined = created(proxy.post("/api/membership/memberships", json=ada))
    metadata = {"convene_kind": "join", "membership_id": joined["membership"]["id"]}
    event = shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=7500))
    body, headers = shapes.signed(event, secrets["MEMBERSHIP_STRIPE_WEBHOOK_SECRET"])
    assert proxy.post("/api/membership/stripe/webhook", content=body, headers=headers).status_code == 200
    assert "CIT International" in mail_to("ada@example.org", "Welcome to ")["Subject"]

    conference = created(proxy.post("/api/conference/conferences", headers=operator, json=_conference()))
    full = {"name": "Full", "capacity": 10, "member_price_minor": 30000, "non_member_price_minor": 45000}
    ticket = created(
        proxy.post(f"/api/conference/conferences/{conference['id']}/ticket-types", headers=operator, json=full)
    )
    attendee = {"name": "Pat Payer", "email": "pat@example.org", "ticket_type_ids": [ticket["id"]]}
    booking = {"payer_name": "Pat Payer", "payer_email": "pat@example.org", "attendees": [attendee]}
    held = created(proxy.post(f"/api/conference/conferences/{conference['id']}/registrations", json=booking))
    metadata = {"convene_kind": "registration", "registration_id": str(held["registration_id"])}
    event = shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=held["amount_minor"]))
    body, headers = shapes.signed(event, secrets["CONFERENCE_STRIPE_WEBHOOK_SECRET"])
    assert proxy.post("/api/conference/stripe/webhook", content=body, headers=headers).status_code == 200
    assert "CIT Chaos Conference" in mail_to("pat@example.org", "Your ticket for ")["Subject"]


@pytest.mark.parametrize(("prefix", "start"), [("/membership", "/membership/levels"), ("/mail", "/mail/operator")])
def test_each_bare_page_prefix_leads_to_its_pages_through_the_proxy(
    compose: tuple[Compose, str], prefix: str, start: str
) -> None:
    answer = httpx.get(f"http://127.0.0.1:{ports()['CONVENE_COMPOSE_PROXY_PORT']}{prefix}", timeout=30)
    assert (answer.status_code, answer.headers.get("location")) == (303, start)
