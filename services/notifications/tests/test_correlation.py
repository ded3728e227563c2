"""An email belongs to the flow of the event that owed it: its notification.sent event carries
that event's correlation id (not a new one), and the delivery log shows and finds it
(docs/notifications.md, "Flows")."""

import json
from uuid import uuid4

from notifications.service_layer import intake
from tests.support.samples import sample_events

from .test_delivery_log_page import LOG, Mail, address, mail
from .test_sending import OPERATOR

__all__ = ["mail"]  # the fixture, shared with the delivery log page's tests


async def test_an_email_keeps_its_events_correlation_id_in_its_sent_event_and_the_delivery_log(mail: Mail) -> None:
    to, flow = address(), uuid4()
    source = sample_events(to)["membership.renewed"].model_copy(update={"correlation_id": flow})
    await intake.take_in(mail.deps, source)
    await mail.sent_to(to)

    # The service also takes in what other tests left on the stack's Kafka: find this email's event.
    rows = await mail.runtime.pool.fetch("SELECT body FROM outbox WHERE event_type = 'notification.sent'")
    [sent] = [body for body in (json.loads(r["body"]) for r in rows) if body["causation_id"] == str(source.event_id)]
    assert (sent["correlation_id"], sent["causation_id"]) == (str(flow), str(source.event_id))

    [found] = (await mail.client.get("/deliveries", params={"correlation_id": str(flow)}, headers=OPERATOR)).json()
    assert (found["recipient"], found["correlation_id"]) == (to, str(flow))
    other_flow = {"correlation_id": str(uuid4())}
    assert (await mail.client.get("/deliveries", params=other_flow, headers=OPERATOR)).json() == []
    mail.sign_in_as("operator")
    page = await mail.client.get(LOG, params={"recipient": to})
    assert f"flow <code>{flow}</code>" in page.text
