"""Notifications' page prefix opened bare through the proxy (http://localhost:8080/mail) leads to
its pages' start instead of a 404. Docker is not needed: the proxy's routes are read from the
Caddyfile (tests/test_compose.py) and the service answers in-process, without its lifespan.
tests/compose/test_compose_up.py opens every prefix through the real proxy."""

import httpx

from convene_service.runtime import create_app
from notifications.bootstrap import SPEC
from tests.test_compose import compose_settings, proxied


async def test_mail_through_the_proxy_leads_to_the_operators_delivery_log() -> None:
    assert proxied("/mail") == ("notifications:8003", "/mail")
    app = create_app(SPEC, compose_settings("notifications"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.get("/mail")
    assert (answer.status_code, answer.headers.get("location")) == (303, "/mail/operator")
