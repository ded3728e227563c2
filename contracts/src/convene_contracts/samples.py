"""One realistic example of every event type, the same on every run.

The AsyncAPI document shows them as each message's example, so ids and times are fixed (an id is
derived from its name) and the committed document can be compared with a freshly generated one.
"""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid5

from convene_contracts import audit as a
from convene_contracts import conference as c
from convene_contracts import exports as x
from convene_contracts import membership as m
from convene_contracts import notifications as n
from convene_contracts.envelope import Event, Payload
from convene_contracts.privacy import email_digest

NOW = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
_NAMESPACE = UUID("6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f")
EMAIL = "ada@example.org"


def sample_id(name: str) -> UUID:
    """A stable id for the thing called `name` in these examples."""
    return uuid5(_NAMESPACE, name)


# Each producer's event types start with its name: "notification.sent" comes from notifications.
PRODUCERS = {"membership": "membership", "conference": "conference", "notification": "notifications"}


def sample_events() -> dict[str, Event]:
    """An example of each event type in EVENT_TYPES, by type, as its producer would publish it."""
    events: dict[str, Event] = {}
    for model, payload in [*_membership_events(), *_conference_events(), *_notification_events()]:
        event_type = model.model_fields["event_type"].default
        events[event_type] = model(
            event_type=event_type,
            event_id=sample_id(f"event {event_type}"),
            occurred_at=NOW,
            producer=PRODUCERS[event_type.partition(".")[0]],
            correlation_id=sample_id("flow"),
            causation_id=sample_id("request"),
            payload=payload,
        )
    return events


Sample = tuple[type[Event], Payload]


def _membership_events() -> list[Sample]:
    facts = {
        "member_id": sample_id("member"),
        "membership_id": sample_id("membership"),
        "email": EMAIL,
        "member_name": "Ada Lovelace",
        "level_id": sample_id("level individual"),
        "level_name": "Individual",
    }
    money = {"amount_minor": 7500, "currency": "usd"}
    later = NOW + timedelta(days=365)
    seat = {
        "member_id": sample_id("member"),
        "membership_id": sample_id("membership"),
        "seat_id": sample_id("seat"),
        "email": "grace@example.org",
    }
    staff = sample_id("staff")
    return [
        (m.MemberJoined, m.MemberJoinedPayload(**facts, **money, auto_renew=True, organization_name=None)),
        (
            m.MembershipActivated,
            m.MembershipActivatedPayload(**facts, **money, period_start=NOW, period_end=later, auto_renew=True),
        ),
        (m.MembershipRenewed, m.MembershipRenewedPayload(**facts, **money, period_end=later)),
        (m.MembershipPaymentFailed, m.MembershipPaymentFailedPayload(**facts, **money, reason="card declined")),
        (m.MembershipExpiringSoon, m.MembershipExpiringSoonPayload(**facts, period_end=later, days_before=7)),
        (
            m.MembershipInGrace,
            m.MembershipInGracePayload(**facts, period_end=NOW, grace_ends_at=NOW + timedelta(days=30)),
        ),
        (m.MembershipLapsed, m.MembershipFacts(**facts)),
        (m.MembershipCancelled, m.MembershipCancelledPayload(**facts, reason="cancelled by member")),
        (
            m.MembershipLevelChanged,
            m.MembershipLevelChangedPayload(
                **{**facts, "level_id": sample_id("level agency"), "level_name": "Agency (10 seats)"},
                previous_level_id=sample_id("level individual"),
                previous_level_name="Individual",
                prorated_minor=32500,
                currency="usd",
            ),
        ),
        (
            m.SeatAssigned,
            m.SeatAssignedPayload(
                **seat,
                name="Grace Hopper",
                level_id=sample_id("level agency"),
                level_name="Agency (10 seats)",
                organization_name="Metro Police",
            ),
        ),
        (m.SeatRemoved, m.SeatPayload(**seat)),
        (
            m.SignInRequested,
            m.SignInRequestedPayload(
                member_id=sample_id("member"),
                email=EMAIL,
                member_name="Ada Lovelace",
                sign_in_url="https://members.example/membership/sign-in/abc",
                expires_at=NOW + timedelta(minutes=15),
            ),
        ),
        (
            m.MemberErased,
            m.MemberErasedPayload(member_id=sample_id("member"), erased_at=NOW, email_sha256=email_digest(EMAIL)),
        ),
        (
            m.StaffChanged,
            m.StaffChangedPayload(
                staff_id=staff, name="Katherine Johnson", role="event_staff", active=True, changed_at=NOW
            ),
        ),
        (
            m.StaffCredentialRevoked,
            m.StaffCredentialRevokedPayload(staff_id=staff, credential_id=sample_id("credential")),
        ),
        (
            x.ExportRequested,
            x.ExportRequestedPayload(
                request_id=sample_id("export"),
                member_id=sample_id("member"),
                email_sha256=email_digest(EMAIL),
                requested_at=NOW,
            ),
        ),
    ]


def _conference_events() -> list[Sample]:
    ada = c.AttendeeTicket(
        attendee_id=sample_id("attendee"),
        name="Ada Lovelace",
        email=EMAIL,
        ticket_types=["Full conference", "De-escalation workshop"],
        ticket_code="7F3A9C21B4",
        ticket_url="https://conference.example/events/tickets/7F3A9C21B4?token=t",
    )
    conference = {"conference_id": sample_id("conference"), "conference_name": "CIT International 2027"}
    reg = {
        "registration_id": sample_id("registration"),
        **conference,
        "payer_name": "Ada Lovelace",
        "payer_email": EMAIL,
        "attendees": [ada],
        "amount_minor": 52500,
        "currency": "usd",
        "manage_url": "https://conference.example/events/registrations/r?token=t",
        "starts_on": NOW.date() + timedelta(days=180),
        "ends_on": NOW.date() + timedelta(days=182),
        "venue": "Convention Centre, Hall B",
    }
    wait = {
        "entry_id": sample_id("waitlist entry"),
        **conference,
        "ticket_type_id": sample_id("ticket type"),
        "ticket_type_name": "Full conference",
        "name": "Grace Hopper",
        "email": "grace@example.org",
    }
    person = {"registration_id": sample_id("registration"), "attendee_id": sample_id("attendee"), **conference}
    person |= {"name": "Ada Lovelace", "email": EMAIL}
    hold = NOW + timedelta(minutes=15)
    return [
        (
            c.RegistrationHeld,
            c.RegistrationHeldPayload(**reg, hold_expires_at=hold, checkout_url="https://checkout.stripe.com/c/pay"),
        ),
        (c.RegistrationConfirmed, c.RegistrationFacts(**reg)),
        (c.HoldExpired, c.RegistrationFacts(**reg)),
        (
            c.RegistrationCancelled,
            c.RegistrationCancelledPayload(**reg, refund_minor=26250, reason="cancelled by the attendee"),
        ),
        (c.RefundIssued, c.RefundIssuedPayload(**reg, refund_minor=26250, reason="cancelled by the attendee")),
        (
            c.MemberPriceOffered,
            c.MemberPriceOfferedPayload(
                **person,
                amount_minor=45000,
                member_amount_minor=30000,
                currency="usd",
                confirm_url="https://conference.example/events/attendees/a/member-price?token=t",
                hold_expires_at=hold,
            ),
        ),
        (c.WaitlistJoined, c.WaitlistPayload(**wait)),
        (
            c.WaitlistOffered,
            c.WaitlistOfferedPayload(
                **wait,
                claim_url="https://conference.example/events/waitlist/e/claim?token=t",
                offer_expires_at=NOW + timedelta(hours=24),
            ),
        ),
        (c.WaitlistOfferExpired, c.WaitlistPayload(**wait)),
        (c.CheckedIn, c.AttendeePayload(**person)),
        (
            c.CertificateIssued,
            c.CertificateIssuedPayload(
                **person, hours=14.5, certificate_url="https://conference.example/certificates/a.pdf?token=t"
            ),
        ),
        (c.AttendeeErased, c.AttendeeErasedPayload(email_sha256=email_digest(EMAIL), erased_at=NOW)),
        (a.ConferenceAuditRecorded, _audit("conference", "check_in", "Checked in Ada Lovelace")),
        (
            x.ConferenceExportPart,
            x.ExportPartPayload(
                request_id=sample_id("export"),
                service="conference",
                data={"registrations": [{"conference": "CIT International 2027"}]},
            ),
        ),
    ]


def _notification_events() -> list[Sample]:
    delivery = {
        "delivery_id": sample_id("delivery"),
        "event_id": sample_id("event membership.activated"),
        "event_type": "membership.activated",
        "template": "membership_activated",
    }
    return [
        (n.NotificationSent, n.DeliveryPayload(**delivery, attempts=1)),
        (
            n.NotificationFailed,
            n.NotificationFailedPayload(**delivery, attempts=5, error="550 5.1.1 mailbox unavailable", permanent=True),
        ),
        (a.NotificationAuditRecorded, _audit("notifications", "resend", "Sent the welcome email again")),
        (
            x.NotificationExportPart,
            x.ExportPartPayload(
                request_id=sample_id("export"),
                service="notifications",
                data={"deliveries": [{"template": "membership_activated"}]},
            ),
        ),
    ]


def _audit(service: str, action: str, summary: str) -> a.AuditRecordedPayload:
    return a.AuditRecordedPayload(
        entry_id=sample_id(f"audit {service}"),
        service=service,
        staff_id=sample_id("staff"),
        staff_name="Katherine Johnson",
        action=action,
        target=str(sample_id("registration")),
        summary=summary,
        client="203.0.113.7",
        recorded_at=NOW,
    )
