"""The secrets anyone can read in Convene's repository: the local stack's (`deploy/env/*.env`)
and the defaults docker-compose.yml once gave. A service that is not in development mode refuses
them (`ServiceSettings`), since whoever knows them could sign an operator's cookie, post a "paid"
Stripe webhook or forge an attendee's link. This is the one list; tests/test_compose.py checks
that it holds every secret of the env files."""

from urllib.parse import urlsplit

# Setting (field name) -> the published values it must not have outside development mode.
DEMO_SECRETS: dict[str, frozenset[str]] = {
    "session_secret": frozenset(
        {"local-session-secret-change-me-0123456789-abcdef", "compose-session-secret-change-me-0123456789"}
    ),
    # SHA-256 of 'local-operator-token-change-me' (deploy/env) and of 'change-me-operator-token'.
    "operator_token_sha256": frozenset(
        {
            "c9465a8f8b7f540282c4e9c0fcbea3715e1d527374f7152d30cb0e1f69a3a195",
            "eaa44a0a8906f41fd91303d83c27d283edeef531d5636e74bb6abbde14191ca8",
        }
    ),
    "stripe_secret_key": frozenset({"sk_test_conveneLocalStack"}),
    "stripe_webhook_secret": frozenset({"whsec_convene_local"}),
    "attendee_link_secret": frozenset(
        {"local-attendee-link-secret-change-me-0123456789", "compose-attendee-link-secret-change-me-0123"}
    ),
    "unsubscribe_secret": frozenset(
        {"local-unsubscribe-secret-change-me-0123456789", "compose-unsubscribe-secret-change-me-0123456"}
    ),
    # The Postgres password inside DATABASE_URL (the local stack's cluster trusts local users and has none).
    "database_url": frozenset({"convene-local"}),
}


def is_published(setting: str, value: str) -> bool:
    """Whether `value` of `setting` is one of the published demo secrets."""
    demo = DEMO_SECRETS.get(setting)
    if demo is None:
        return False
    if setting == "database_url":
        password = urlsplit(value).password
        return password is not None and password in demo
    return value in demo
