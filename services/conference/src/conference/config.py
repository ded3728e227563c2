"""Conference settings: the shared ones (pages included) plus Stripe's and the attendee links'."""

from pydantic import Field

from convene_service.payments import StripeSettings
from convene_web.settings import WebSettings


class ConferenceSettings(WebSettings, StripeSettings):
    attendee_link_secret: str = Field(min_length=32, description="Signs the links attendees get by email.")
    # People's links (manage, waitlist claim, back from Stripe) open the pages at CONFERENCE_PAGES_URL;
    # this is the JSON API's address, for the certificate PDF link.
    public_base_url: str = Field(default="http://127.0.0.1:8002", description="Where the JSON API is reached.")
    waitlist_offer_hours: float = Field(default=24, gt=0, description="How long a freed seat waits for its claim.")
    hold_sweep_seconds: float = Field(default=5, gt=0, description="How often expired holds are released.")
    # Fair holds (docs/conference.md): unpaid seats one client address, or one payer's email, may
    # hold at once per conference. An office behind one address registers a few groups at a time.
    unpaid_seats_per_client: int = Field(default=30, ge=1, description="Unpaid seats held at once per address.")
    unpaid_seats_per_email: int = Field(default=10, ge=1, description="Unpaid seats held at once per payer email.")
