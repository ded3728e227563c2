"""Turns what happened to a membership into the contract events other services read."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from convene_contracts import Event
from convene_contracts import membership as contract
from membership.domain import events as ev
from membership.domain.model import Level, Member, Membership

PRODUCER = "membership"


@dataclass(frozen=True)
class Context:
    """Who caused it: every event of one request or webhook shares the correlation id."""

    correlation_id: UUID
    causation_id: UUID | None = None

    def envelope(self) -> dict[str, Any]:
        return {"producer": PRODUCER, "correlation_id": self.correlation_id, "causation_id": self.causation_id}


def facts(membership: Membership, member: Member, level: Level) -> dict[str, Any]:
    return {
        "member_id": member.id,
        "membership_id": membership.id,
        "email": member.email,
        "member_name": member.name,
        "level_id": level.id,
        "level_name": level.name,
    }


def announce(membership: Membership, member: Member, level: Level, ctx: Context) -> list[Event]:
    """The contract events for everything `membership` recorded since it was loaded."""
    f, env, m = facts(membership, member, level), ctx.envelope(), membership
    published: list[Event] = []
    for event in m.events:
        match event:
            case ev.Activated(payment):
                assert m.period_start is not None
                published.append(
                    contract.MembershipActivated(
                        **env,
                        payload=contract.MembershipActivatedPayload(
                            **f,
                            period_start=m.period_start,
                            period_end=m.period_end,
                            amount_minor=payment.amount_minor,
                            currency=payment.currency,
                            auto_renew=m.auto_renew,
                        ),
                    )
                )
            case ev.Renewed(payment):
                assert m.period_end is not None
                published.append(
                    contract.MembershipRenewed(
                        **env,
                        payload=contract.MembershipRenewedPayload(
                            **f, period_end=m.period_end, amount_minor=payment.amount_minor, currency=payment.currency
                        ),
                    )
                )
            case ev.PaymentFailed(payment, reason):
                published.append(
                    contract.MembershipPaymentFailed(
                        **env,
                        payload=contract.MembershipPaymentFailedPayload(
                            **f, amount_minor=payment.amount_minor, currency=payment.currency, reason=reason
                        ),
                    )
                )
            case ev.EnteredGrace(grace_ends_at):
                assert m.period_end is not None
                published.append(
                    contract.MembershipInGrace(
                        **env,
                        payload=contract.MembershipInGracePayload(
                            **f, period_end=m.period_end, grace_ends_at=grace_ends_at
                        ),
                    )
                )
            case ev.Lapsed():
                published.append(contract.MembershipLapsed(**env, payload=contract.MembershipFacts(**f)))
            case ev.Cancelled(reason):
                published.append(
                    contract.MembershipCancelled(**env, payload=contract.MembershipCancelledPayload(**f, reason=reason))
                )
            case ev.LevelChanged(previous_id, previous_name, prorated):
                published.append(
                    contract.MembershipLevelChanged(
                        **env,
                        payload=contract.MembershipLevelChangedPayload(
                            **f,
                            previous_level_id=previous_id,
                            previous_level_name=previous_name,
                            prorated_minor=prorated.amount_minor,
                            currency=prorated.currency,
                        ),
                    )
                )
    m.events.clear()
    return published
