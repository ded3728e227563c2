"""Conference settings: the shared ones (pages included) plus Stripe's and the attendee links'."""

from pydantic import Field

from convene_web.settings import WebSettings


class ConferenceSettings(WebSettings):
    stripe_secret_key: str = Field(pattern=r"^sk_(test|live)_", description="Stripe secret API key.")
    stripe_webhook_secret: str = Field(pattern=r"^whsec_", description="Signing secret of the webhook endpoint.")
    stripe_api_base: str | None = Field(default=None, description="Override Stripe's API address (stripe-mock).")
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    attendee_link_secret: str = Field(min_length=32, description="Signs the links attendees get by email.")
    # People's links (manage, waitlist claim, back from Stripe) open the pages at CONFERENCE_PAGES_URL;
    # this is the JSON API's address, for the certificate PDF link.
    public_base_url: str = Field(default="http://127.0.0.1:8002", description="Where the JSON API is reached.")
    waitlist_offer_hours: float = Field(default=24, gt=0, description="How long a freed seat waits for its claim.")
    hold_sweep_seconds: float = Field(default=5, gt=0, description="How often expired holds are released.")
