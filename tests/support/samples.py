"""A realistic event of every type a person hears about, for template and delivery tests."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from convene_contracts import Event
from convene_contracts import conference as c
from convene_contracts import membership as m

NOW = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def sample_events(email: str = "ada@example.org") -> dict[str, Event]:
    env = {"producer": "test", "correlation_id": uuid4()}
    facts = {
        "member_id": uuid4(),
        "membership_id": uuid4(),
        "email": email,
        "member_name": "Ada <b>Lovelace</b>",
        "level_id": uuid4(),
        "level_name": "Individual",
    }
    money = {"amount_minor": 7500, "currency": "usd"}
    attendee = c.AttendeeTicket(
        attendee_id=uuid4(),
        name="Ada Lovelace",
        email=email,
        ticket_types=["Full conference", "De-escalation workshop"],
        ticket_code="7F3A9C21B4",
    )
    reg = {
        "registration_id": uuid4(),
        "conference_id": uuid4(),
        "conference_name": "CIT International 2027",
        "payer_name": "Ada Lovelace",
        "payer_email": email,
        "attendees": [attendee],
        "amount_minor": 52500,
        "currency": "usd",
        "manage_url": "https://conference.example/registrations/r?token=t",
    }
    wait = {
        "entry_id": uuid4(),
        "conference_id": uuid4(),
        "conference_name": "CIT International 2027",
        "ticket_type_id": uuid4(),
        "ticket_type_name": "Full conference",
        "name": "Ada Lovelace",
        "email": email,
    }
    person = {
        "registration_id": uuid4(),
        "attendee_id": uuid4(),
        "conference_id": uuid4(),
        "conference_name": "CIT International 2027",
        "name": "Ada Lovelace",
        "email": email,
    }
    later = NOW + timedelta(days=365)
    events: list[Event] = [
        m.MembershipActivated(
            **env,
            payload=m.MembershipActivatedPayload(
                **facts, **money, period_start=NOW, period_end=later, auto_renew=False
            ),
        ),
        m.MembershipRenewed(**env, payload=m.MembershipRenewedPayload(**facts, **money, period_end=later)),
        m.MembershipPaymentFailed(
            **env, payload=m.MembershipPaymentFailedPayload(**facts, **money, reason="card declined")
        ),
        m.MembershipExpiringSoon(
            **env, payload=m.MembershipExpiringSoonPayload(**facts, period_end=later, days_before=7)
        ),
        m.MembershipInGrace(
            **env, payload=m.MembershipInGracePayload(**facts, period_end=NOW, grace_ends_at=NOW + timedelta(days=30))
        ),
        m.MembershipLapsed(**env, payload=m.MembershipFacts(**facts)),
        m.MembershipCancelled(**env, payload=m.MembershipCancelledPayload(**facts, reason="cancelled by member")),
        m.SignInRequested(
            **env,
            payload=m.SignInRequestedPayload(
                member_id=facts["member_id"],
                email=email,
                member_name="Ada Lovelace",
                sign_in_url="https://members.example/sign-in/abc",
                expires_at=NOW + timedelta(minutes=15),
            ),
        ),
        m.SeatAssigned(
            **env,
            payload=m.SeatAssignedPayload(
                member_id=uuid4(),
                membership_id=uuid4(),
                seat_id=uuid4(),
                email=email,
                name="Ada Lovelace",
                level_id=uuid4(),
                level_name="Agency",
                organization_name="Metro Police",
            ),
        ),
        c.RegistrationHeld(
            **env,
            payload=c.RegistrationHeldPayload(
                **reg, hold_expires_at=NOW + timedelta(minutes=15), checkout_url="https://checkout.stripe.com/c/pay"
            ),
        ),
        c.RegistrationConfirmed(**env, payload=c.RegistrationFacts(**reg)),
        c.HoldExpired(**env, payload=c.RegistrationFacts(**reg)),
        c.RegistrationCancelled(
            **env, payload=c.RegistrationCancelledPayload(**reg, refund_minor=26250, reason="cancelled by the attendee")
        ),
        c.RefundIssued(**env, payload=c.RefundIssuedPayload(**reg, refund_minor=26250, reason="cancelled")),
        c.WaitlistJoined(**env, payload=c.WaitlistPayload(**wait)),
        c.WaitlistOffered(
            **env,
            payload=c.WaitlistOfferedPayload(
                **wait,
                claim_url="https://conference.example/waitlist/e/claim?token=t",
                offer_expires_at=NOW + timedelta(hours=24),
            ),
        ),
        c.WaitlistOfferExpired(**env, payload=c.WaitlistPayload(**wait)),
        c.CheckedIn(**env, payload=c.AttendeePayload(**person)),
        c.MemberPriceOffered(
            **env,
            payload=c.MemberPriceOfferedPayload(
                **person,
                amount_minor=45000,
                member_amount_minor=30000,
                currency="usd",
                confirm_url="https://conference.example/events/attendees/a/member-price?token=t",
                hold_expires_at=NOW + timedelta(minutes=15),
            ),
        ),
        c.CertificateIssued(
            **env,
            payload=c.CertificateIssuedPayload(
                **person, hours=14.5, certificate_url="https://conference.example/certificates/a.pdf?token=t"
            ),
        ),
    ]
    return {e.event_type: e for e in events}
