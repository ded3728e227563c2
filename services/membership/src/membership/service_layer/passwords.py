"""Password hashes (Argon2id, argon2-cffi) and the optional second step (TOTP, pyotp).

Hashing takes tens of milliseconds of CPU on purpose, so it runs on a worker thread rather than
holding up every other request of the process.
"""

import asyncio
import binascii

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 12


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def password_matches(password_hash: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash of nothing anybody knows: checked when the email is unknown, so that a wrong address
# takes as long as a wrong password and sign-in does not reveal who is staff.
UNKNOWN_HASH = _hasher.hash("no staff member has this password, ever")


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_matches(secret: str, code: str) -> bool:
    # valid_window=1: a code from the previous or next 30 s step still counts (clocks drift).
    try:
        return pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), valid_window=1)
    except (binascii.Error, ValueError):  # not a base32 secret: no code matches it
        return False


def totp_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)
