"""Finding one person's rows in every service without sending their address around.

Erasure events carry the SHA-256 of the normalized address (trimmed, lower case), never the
address: each service compares it with the digest of the addresses it holds. A plain digest of
an address can be guessed by someone who already knows the address; it says nothing more than
the address itself, which the other events on the same topic carry for the same retention.
"""

import hashlib


def email_digest(address: str) -> str:
    """The hex SHA-256 of the address as Convene compares addresses: trimmed and lower case."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


# Where erased people's addresses point: .example is reserved (RFC 2606), never resolves, and,
# unlike .invalid, passes the contracts' address check, so an event about a registration with an
# erased attendee can still be published. Membership's own rows keep their older .invalid form.
ERASED_DOMAINS = ("erased.example", "erased.invalid")


def erased_address(row_id: object) -> str:
    """The pseudonymous address that replaces a person's in a row kept for the books."""
    return f"erased-{row_id}@{ERASED_DOMAINS[0]}"


def is_erased_address(address: str) -> bool:
    """True for an address erasure wrote: no email is owed to it."""
    return address.strip().lower().rpartition("@")[2] in ERASED_DOMAINS
