"""Every event type by name, and parsing raw messages into typed events."""

from typing import Final

from convene_contracts.audit import ConferenceAuditRecorded, NotificationAuditRecorded
from convene_contracts.conference import (
    AttendeeErased,
    CertificateIssued,
    CheckedIn,
    HoldExpired,
    MemberPriceOffered,
    RefundIssued,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationHeld,
    WaitlistJoined,
    WaitlistOffered,
    WaitlistOfferExpired,
)
from convene_contracts.envelope import Event, RawEvent
from convene_contracts.exports import ConferenceExportPart, ExportRequested, NotificationExportPart
from convene_contracts.membership import (
    MemberErased,
    MemberJoined,
    MembershipActivated,
    MembershipCancelled,
    MembershipExpiringSoon,
    MembershipInGrace,
    MembershipLapsed,
    MembershipLevelChanged,
    MembershipPaymentFailed,
    MembershipRenewed,
    SeatAssigned,
    SeatRemoved,
    SignInRequested,
    StaffChanged,
    StaffCredentialRevoked,
)
from convene_contracts.notifications import NotificationFailed, NotificationSent

EVENT_TYPES: Final[dict[str, type[Event]]] = {
    model.model_fields["event_type"].default: model
    for model in (
        MemberJoined,
        MembershipActivated,
        MembershipRenewed,
        MembershipPaymentFailed,
        MembershipExpiringSoon,
        MembershipInGrace,
        MembershipLapsed,
        MembershipCancelled,
        MembershipLevelChanged,
        SeatAssigned,
        SeatRemoved,
        SignInRequested,
        MemberErased,
        StaffChanged,
        StaffCredentialRevoked,
        RegistrationHeld,
        RegistrationConfirmed,
        RegistrationCancelled,
        HoldExpired,
        RefundIssued,
        MemberPriceOffered,
        WaitlistJoined,
        WaitlistOffered,
        WaitlistOfferExpired,
        CheckedIn,
        CertificateIssued,
        AttendeeErased,
        ConferenceAuditRecorded,
        NotificationAuditRecorded,
        NotificationSent,
        NotificationFailed,
        ExportRequested,
        ConferenceExportPart,
        NotificationExportPart,
    )
}


class UnknownEventType(LookupError):
    """The event type is not one this version of the contracts knows."""


def parse_event(raw: RawEvent) -> Event:
    """Types a raw envelope by its `event_type`; raises pydantic.ValidationError if it does not fit."""
    model = EVENT_TYPES.get(raw.event_type)
    if model is None:
        raise UnknownEventType(raw.event_type)
    return model.model_validate(raw.model_dump())
