"""Plays Stripe for the local stack: sends a signed webhook event to membership.

stripe-mock answers API calls but never sends webhooks, so locally this stands in for the
moment a member finishes paying on Stripe's page:

    .venv/bin/python deploy/local/stripe_event.py checkout.session.completed <membership_id> [amount_minor]
"""

import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import stripe as shapes


def main(event_type: str, membership_id: str, amount: int = 7500) -> int:
    env = dict(
        line.split("=", 1)
        for line in Path("deploy/env/membership.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    session = shapes.checkout_session({"convene_kind": "join", "membership_id": membership_id}, amount=amount)
    body, headers = shapes.signed(shapes.event(event_type, session), env["STRIPE_WEBHOOK_SECRET"])
    response = httpx.post(f"http://127.0.0.1:{env['HTTP_PORT']}/stripe/webhook", content=body, headers=headers)
    print(response.status_code, response.text)
    return 0 if response.is_success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4])))
