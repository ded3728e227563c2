"""The services' own HTTP APIs, as an operator and as the public reach them."""

from typing import Any

import httpx

from convene_operator.adapters import stripe_webhooks


class ApiRefused(Exception):
    """A service answered something else than what the demo asked for; the message says what."""


class ServicesApi:
    def __init__(self, urls: dict[str, str], token: str = "", stripe_api_base: str = "") -> None:
        self.clients = {name: httpx.Client(base_url=url, timeout=30) for name, url in urls.items()}
        self.token = token
        self.stripe_api_base = stripe_api_base

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def call(self, service: str, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self.clients[service].request(
                method, path, headers=headers | kwargs.pop("headers", {}), **kwargs
            )
        except httpx.TransportError as error:
            raise ApiRefused(f"{service} is not reachable at {self.clients[service].base_url}: {error}") from error
        if response.status_code != expect:
            raise ApiRefused(f"{service} {method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def pay(self, service: str, secret: str, metadata: dict[str, str], amount: int, currency: str) -> None:
        """Stripe says the checkout was paid: a signed `checkout.session.completed` to the service."""
        event = stripe_webhooks.checkout_completed(self.stripe_api_base, metadata, amount, currency)
        body, headers = stripe_webhooks.signed(event, secret)
        self.call(service, "POST", "/stripe/webhook", content=body, headers=headers)
