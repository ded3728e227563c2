"""Convene's AsyncAPI 3.0.0 document: built by `document` from the contracts, committed beside this
module as asyncapi.yaml (shipped with the package, so a service can serve it)."""

from pathlib import Path
from typing import Final

DOCUMENT: Final = Path(__file__).parent / "asyncapi.yaml"
