"""Email addresses, checked exactly as pydantic's EmailStr checks them, with the answer kept.

One registration names the same address several times (payer, attendee, and again in the event it
publishes), and each check costs about 30 µs: in a registration rush the checks were a tenth of
the conference's time (docs/benchmarks.md, B1). A refused address is checked again each time.
"""

from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic.networks import validate_email


@lru_cache(maxsize=16384)
def _checked(address: str) -> str:
    return validate_email(address)[1]  # the normalized address, as EmailStr gives it


Email = Annotated[str, AfterValidator(_checked), WithJsonSchema({"format": "email", "type": "string"})]
