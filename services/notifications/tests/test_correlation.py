"""An email belongs to the flow of the event that owed it: its notification.sent event carries
that event's correlation id (not a new one), and the delivery log shows and finds it
(docs/notifications.md, "Flows")."""

import json
from uuid import uuid4

from convene_contracts import MEMBERSHIP
from convene_delivery.tracing import handling
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


async def test_an_emails_sent_event_continues_the_trace_of_the_event_that_owed_it(mail: Mail) -> None:
    """Its outbox row keeps the trace context the delivery kept (convene_delivery.tracing), as every
    other outbox write does, though the sender writes it in one statement with its "sent" mark."""
    to, trace_id = address(), "4bf92f3577b34da6a3ce929d0e0e4736"
    source = sample_events(to)["membership.renewed"]
    with handling(
        MEMBERSHIP, "notifications", {source.event_id: {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}}
    ):
        await intake.take_in(mail.deps, source)  # as the consumer does, inside its handling span
    await mail.sent_to(to)

    rows = await mail.runtime.pool.fetch(
        "SELECT body, trace_context->>'traceparent' AS parent FROM outbox WHERE event_type = 'notification.sent'"
    )
    [parent] = [r["parent"] for r in rows if json.loads(r["body"])["causation_id"] == str(source.event_id)]
    assert parent is not None
    assert parent.split("-")[1] == trace_id
