"""`convene-admin demo`: seeds CIT International, a demo association, through the services' own
HTTP APIs and Stripe-signed webhooks (against stripe-mock), so every event flows as in real use:
the welcome and ticket emails land in the delivery log. A second run finds the demo's first level
and adds nothing (docs/operations.md, "Demo data")."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import typer
from pydantic import Field, ValidationError
from rich.console import Console
from rich.progress import Progress

from convene_operator import demo_association as cit
from convene_operator.adapters.services_api import ApiRefused, ServicesApi
from convene_operator.settings import OperatorSettings

err = Console(stderr=True)


class DemoSettings(OperatorSettings):
    # The bootstrap operator token creates the demo's owner when OPERATOR_API_TOKEN is not set.
    operator_bootstrap_token: str = Field(default="", repr=False)
    demo_owner_email: str = "owner@cit-international.example"
    demo_owner_password: str = Field(default="cit-demo-owner-password", repr=False)
    stripe_api_base: str = "http://127.0.0.1:12111"  # stripe-mock: the demo's payments are played
    membership_stripe_webhook_secret: str = Field(repr=False)
    conference_stripe_webhook_secret: str = Field(repr=False)


class Seeding:
    """The demo's steps, in order; each keeps what later ones need (ids by name)."""

    def __init__(self, api: ServicesApi, settings: DemoSettings) -> None:
        self.api, self.settings = api, settings
        self.levels: dict[str, str] = {}
        self.tickets: dict[str, str] = {}
        self.conference = ""

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("the first owner", self.owner),
            ("membership levels", self.create_levels),
            *[(f"member {p.name}", lambda p=p: self.member(p)) for p in cit.MEMBERS],
            ("the conference and its tickets", self.create_conference),
            *[(f"registration of {r[0]}", lambda r=r: self.register(*r)) for r in cit.REGISTRATIONS],
            *[(f"waitlist: {w[0]}", lambda w=w: self.wait(*w)) for w in cit.WAITLIST],
        ]

    def owner(self) -> None:
        if self.api.token:
            return
        if not self.settings.operator_bootstrap_token:
            raise ApiRefused("set OPERATOR_API_TOKEN (a staff API token) or OPERATOR_BOOTSTRAP_TOKEN")
        body = {
            "email": self.settings.demo_owner_email,
            "name": "Olive Owner",
            "password": self.settings.demo_owner_password,
        }
        headers = {"Authorization": f"Bearer {self.settings.operator_bootstrap_token}"}
        try:
            created = self.api.call("membership", "POST", "/staff/first-owner", 201, json=body, headers=headers)
        except ApiRefused as refused:
            raise ApiRefused(
                f"{refused}\nstaff exist already: set OPERATOR_API_TOKEN to an owner's API token"
            ) from None
        self.api.token = created["api_token"]["token"]

    def create_levels(self) -> None:
        for level in cit.LEVELS:
            created = self.api.call("membership", "POST", "/levels", 201, json={"currency": cit.CURRENCY, **level})
            self.levels[level["name"]] = created["id"]

    def member(self, person: cit.Person) -> None:
        level = next(x for x in cit.LEVELS if x["name"] == person.level)
        if person.how == "cheque":
            paid_at = datetime.now(UTC) - timedelta(days=person.paid_days_ago)
            body = {"name": person.name, "email": person.email, "level_id": self.levels[person.level]}
            body |= {"amount_minor": level["price_minor"], "currency": cit.CURRENCY, "method": "cheque"}
            body |= {"reference": f"CHQ-{person.email.split('@')[0]}", "paid_at": paid_at.isoformat()}
            self.api.call("membership", "POST", "/offline-payments", 201, json=body)
            return
        join: dict[str, Any] = {"name": person.name, "email": person.email, "level_id": self.levels[person.level]}
        if person.organization:
            join["organization_name"] = person.organization
        joined = self.api.call("membership", "POST", "/memberships", 201, json=join)
        if person.how == "stripe":
            metadata = {"convene_kind": "join", "membership_id": joined["membership"]["id"]}
            secret = self.settings.membership_stripe_webhook_secret
            self.api.pay("membership", secret, metadata, int(level["price_minor"]), cit.CURRENCY)

    def create_conference(self) -> None:
        now = datetime.now(UTC)
        starts = (now + timedelta(days=240)).date()
        body = cit.CONFERENCE | {
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=3)).isoformat(),
            "registration_opens_at": (now - timedelta(days=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=230)).isoformat(),
            "full_refund_until": (now + timedelta(days=120)).isoformat(),
            "currency": cit.CURRENCY,
        }
        self.conference = self.api.call("conference", "POST", "/conferences", 201, json=body)["id"]
        for ticket in cit.TICKET_TYPES:
            path = f"/conferences/{self.conference}/ticket-types"
            self.tickets[str(ticket["name"])] = self.api.call("conference", "POST", path, 201, json=ticket)["id"]

    def register(self, name: str, email: str, tickets: list[str], paid: bool) -> None:
        attendee = {"name": name, "email": email, "ticket_type_ids": [self.tickets[t] for t in tickets]}
        body = {"payer_name": name, "payer_email": email, "attendees": [attendee]}
        held = self.api.call("conference", "POST", f"/conferences/{self.conference}/registrations", 201, json=body)
        if paid:
            metadata = {"convene_kind": "registration", "registration_id": held["registration_id"]}
            secret = self.settings.conference_stripe_webhook_secret
            self.api.pay("conference", secret, metadata, held["amount_minor"], held["currency"])

    def wait(self, name: str, email: str, ticket: str) -> None:
        body = {"ticket_type_id": self.tickets[ticket], "name": name, "email": email}
        self.api.call("conference", "POST", f"/conferences/{self.conference}/waitlist", 201, json=body)


def demo() -> None:
    """Seed CIT International, a demo association: levels, members in every status, a
    conference with tickets, registrations, a waitlist and their emails."""
    try:
        settings = DemoSettings()
    except ValidationError as error:
        missing = ", ".join(str(e["loc"][0]).upper() for e in error.errors())
        err.print(f"[red]error:[/red] set {missing}", highlight=False)
        raise typer.Exit(1) from None
    urls = {"membership": settings.api_url("membership"), "conference": settings.api_url("conference")}
    api = ServicesApi(urls, settings.operator_api_token or "", settings.stripe_api_base)
    try:
        levels = api.call("membership", "GET", "/levels")
        if any(level["name"] == cit.MARKER_LEVEL for level in levels):
            err.print("the demo association is seeded already: nothing added", highlight=False)
            return
        seeding = Seeding(api, settings)
        with Progress(console=err) as progress:
            steps = seeding.steps()
            task = progress.add_task("seeding CIT International", total=len(steps))
            for description, step in steps:
                progress.update(task, description=description)
                step()
                progress.advance(task)
    except ApiRefused as refused:
        err.print(f"[red]error:[/red] {refused}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        api.close()
    err.print(f"seeded CIT International: {len(cit.MEMBERS)} members, 1 conference", highlight=False)
    if not settings.operator_api_token:
        err.print(f"staff sign-in: {settings.demo_owner_email} / {settings.demo_owner_password}", highlight=False)
