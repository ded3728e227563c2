"""Conference settings: the shared ones plus Stripe's."""

from pydantic import Field

from convene_delivery.settings import ServiceSettings


class ConferenceSettings(ServiceSettings):
    stripe_secret_key: str = Field(pattern=r"^sk_(test|live)_", description="Stripe secret API key.")
    stripe_webhook_secret: str = Field(pattern=r"^whsec_", description="Signing secret of the webhook endpoint.")
    stripe_api_base: str | None = Field(default=None, description="Override Stripe's API address (stripe-mock).")
