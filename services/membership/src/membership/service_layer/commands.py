"""What operators and members ask the membership service to do."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from membership.domain.model import Term


@dataclass(frozen=True)
class CreateLevel:
    name: str
    price_minor: int
    currency: str
    term: Term


@dataclass(frozen=True)
class RecordOfflinePayment:
    """An operator records dues paid by cheque, bank transfer or cash (M11)."""

    name: str
    email: str
    level_id: UUID
    amount_minor: int
    currency: str
    method: str
    reference: str
    paid_at: datetime
    correlation_id: UUID
