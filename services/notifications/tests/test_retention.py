"""Retention of email bodies on a real Postgres, SMTP server and Kafka: a sent or failed email
older than DELIVERY_BODIES_RETENTION_DAYS loses its bodies and attachments but stays in the
delivery log; recent and pending ones keep theirs; two pruners at once prune each once."""

import asyncio
from datetime import timedelta
from typing import Any

from convene_delivery.retention import Pruner, periods
from notifications.adapters.retention import PRUNE_BODIES
from notifications.bootstrap import SPEC
from notifications.service_layer import intake
from tests.support.waiting import wait_until

from .test_sending import OPERATOR, Service, address, event, service

__all__ = ["service"]  # the fixture, shared with test_sending.py


def pruner(service: Service, batch_size: int = 1000) -> Pruner:
    return Pruner(service.runtime.pool, periods(SPEC.retention, service.deps.settings), batch_size=batch_size)


async def ticket_email(service: Service, *, status: str) -> dict[str, Any]:
    """A ticket email (with its QR code and calendar invite) taken in and sent, or refused (5xx)."""
    to = address()
    if status == "failed":
        service.smtp.mailbox.refuse(to, "550 5.1.1 no such user")
    await intake.take_in(service.deps, event("conference.registration_confirmed", to))

    async def finished() -> bool:
        return bool((await service.delivery(to))["status"] == status)

    await wait_until(finished)
    return await service.delivery(to)


async def age(service: Service, delivery: dict[str, Any], days: int) -> None:
    await service.runtime.pool.execute(
        """UPDATE deliveries SET created_at = created_at - make_interval(days => $2),
               sent_at = sent_at - make_interval(days => $2), failed_at = failed_at - make_interval(days => $2)
           WHERE id = $1""",
        delivery["id"],
        days,
    )


async def attachments(service: Service, delivery: dict[str, Any]) -> int:
    found: int = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM delivery_attachments WHERE delivery_id = $1", delivery["id"]
    )
    return found


async def test_old_bodies_go_the_log_row_stays_and_recent_or_pending_ones_keep_theirs(service: Service) -> None:
    old_sent = await ticket_email(service, status="sent")
    old_failed = await ticket_email(service, status="failed")
    recent = await ticket_email(service, status="sent")
    pending = address()
    service.smtp.mailbox.hold(pending)  # 4xx each time: still owed, however old
    await intake.take_in(service.deps, event("conference.registration_confirmed", pending))
    await wait_until(lambda: _tried(service, pending))
    await age(service, old_sent, 91)
    await age(service, old_failed, 91)
    await age(service, recent, 89)
    await service.runtime.pool.execute(
        "UPDATE deliveries SET created_at = created_at - interval '200 days' WHERE recipient = $1", pending
    )

    aged = [await service.delivery(d["recipient"]) for d in (old_sent, old_failed)]

    assert await pruner(service).prune_once() == {"delivery bodies": 2}

    for before in aged:
        after = await service.delivery(before["recipient"])
        assert (after["body_text"], after["body_html"], await attachments(service, after)) == ("", "", 0)
        kept = ("recipient", "subject", "template", "event_type", "status", "attempts", "sent_at", "failed_at")
        assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
        assert after["bodies_pruned_at"] is not None
    for untouched in (recent, await service.delivery(pending)):
        after = await service.delivery(untouched["recipient"])
        assert after["body_text"]
        assert after["body_html"]
        assert await attachments(service, after) > 0
        assert after["bodies_pruned_at"] is None
    service.smtp.mailbox.release(pending)

    # Nothing is left to send of a pruned email: resending it is refused, as for an erased one.
    assert (await service.client.post(f"/deliveries/{old_failed['id']}/resend", headers=OPERATOR)).status_code == 404
    assert (await service.client.post(f"/deliveries/{recent['id']}/resend", headers=OPERATOR)).status_code == 202
    logged = await service.client.get("/deliveries", params={"recipient": old_sent["recipient"]}, headers=OPERATOR)
    assert [row["status"] for row in logged.json()] == ["sent"]


async def test_two_pruners_at_once_prune_each_old_email_once(service: Service) -> None:
    olds = [await ticket_email(service, status="sent") for _ in range(6)]
    for old in olds:
        await age(service, old, 100)

    results = await asyncio.gather(pruner(service, batch_size=1).prune_once(), pruner(service, 1).prune_once())

    assert sum(r["delivery bodies"] for r in results) == 6
    stamps = await service.runtime.pool.fetch(
        "SELECT bodies_pruned_at FROM deliveries WHERE id = ANY($1::uuid[])", [o["id"] for o in olds]
    )
    assert all(s["bodies_pruned_at"] is not None for s in stamps)
    assert len(stamps) == 6


async def test_a_batch_finds_old_emails_by_an_index_not_a_scan(service: Service) -> None:
    async with service.runtime.pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")  # a seq scan then shows only if no index fits
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {PRUNE_BODIES}", timedelta(days=90), 1000))
    assert "Seq Scan" not in plan, plan


async def _tried(service: Service, to: str) -> bool:
    return bool((await service.delivery(to))["attempts"] >= 1)
