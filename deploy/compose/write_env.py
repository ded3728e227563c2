"""Writes a fresh `.env` beside docker-compose.yml: a random value for every secret compose asks
for (`${VAR:?...}`), so nothing the deployment trusts is a value published in the repository.

    ./convene secrets            # refuses to replace an existing .env
    ./convene secrets --force    # replaces it: every session, link and webhook signed before stops working

The operator token is printed once, for the operator to keep; the .env holds only its SHA-256.
Standard library only: it runs before anything is installed.
"""

import argparse
import hashlib
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def token() -> str:
    return secrets.token_urlsafe(32)  # 32 random bytes, 43 characters: above every minimum length


def fresh_secrets(operator_token: str) -> dict[str, str]:
    """Every variable docker-compose.yml requires, with a new random value (tests/test_compose.py
    checks that these are exactly the ones compose asks for)."""
    return {
        "CONVENE_SESSION_SECRET": token(),
        "CONVENE_OPERATOR_TOKEN_SHA256": hashlib.sha256(operator_token.encode()).hexdigest(),
        "CONVENE_ATTENDEE_LINK_SECRET": token(),
        "CONVENE_UNSUBSCRIBE_SECRET": token(),
        "POSTGRES_PASSWORD": token(),
        # stripe-mock takes any test key. With real Stripe, put the account's key here and each
        # endpoint's signing secret (Stripe's dashboard shows it) in the two lines after it.
        # stripe-mock accepts only sk_test_ and letters and digits: hex, never '-' or '_'.
        "STRIPE_SECRET_KEY": f"sk_test_{secrets.token_hex(32)}",
        "MEMBERSHIP_STRIPE_WEBHOOK_SECRET": f"whsec_{token()}",
        "CONFERENCE_STRIPE_WEBHOOK_SECRET": f"whsec_{token()}",
    }


HEADER = """\
# Secrets of this Convene deployment, written by ./convene secrets. Keep this file private;
# docker compose reads it. POSTGRES_PASSWORD is taken by Postgres on its first start only.
# Serve the proxy over HTTPS anywhere but this machine, and say where:
# CONVENE_PAGES_URL=https://members.example.org
"""


def write(path: Path, values: dict[str, str]) -> None:
    text = HEADER + "".join(f"{name}={value}\n" for name, value in values.items())
    # Readable by its owner only, from the moment it exists.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    path.chmod(0o600)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="./convene secrets", description="Writes a fresh .env of random secrets.")
    parser.add_argument("--force", action="store_true", help="replace an existing .env")
    parser.add_argument("--env-file", type=Path, default=ROOT / ".env", help="where to write (default: %(default)s)")
    arguments = parser.parse_args(argv)
    path: Path = arguments.env_file
    if path.exists() and not arguments.force:
        print(f"{path} exists already; ./convene secrets --force replaces it", file=sys.stderr)
        return 1
    operator_token = token()
    write(path, fresh_secrets(operator_token))
    print(f"wrote {path}")
    print(f"operator token (shown once; keep it, only its SHA-256 is stored): {operator_token}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
