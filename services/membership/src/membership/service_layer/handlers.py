"""Membership use cases. Each runs in one unit of work: state and events commit together."""

from uuid import UUID, uuid4

from membership.domain.model import Level, Member, Membership
from membership.service_layer import commands
from membership.service_layer.events import activated_event
from membership.service_layer.unit_of_work import UnitOfWork


class UnknownLevel(Exception):
    """No current level has this id."""


class PaymentAlreadyRecorded(Exception):
    """A payment with this reference was recorded before."""


class CurrencyMismatch(Exception):
    """The payment's currency is not the level's."""


async def create_level(uow: UnitOfWork, cmd: commands.CreateLevel) -> Level:
    level = Level(uuid4(), cmd.name, cmd.price_minor, cmd.currency, cmd.term)
    async with uow:
        await uow.repo.add_level(level)
        await uow.commit([])
    return level


async def record_offline_payment(uow: UnitOfWork, cmd: commands.RecordOfflinePayment) -> Membership:
    """The membership activates exactly as if the dues had been paid online (M11)."""
    async with uow:
        level = await uow.repo.get_level(cmd.level_id)
        if level is None:
            raise UnknownLevel(cmd.level_id)
        if cmd.currency != level.currency:
            raise CurrencyMismatch(level.currency)
        if await uow.repo.payment_reference_exists(cmd.reference):
            raise PaymentAlreadyRecorded(cmd.reference)
        member = await uow.repo.member_by_email(cmd.email)
        if member is None:
            member = Member(uuid4(), cmd.name, cmd.email)
            await uow.repo.add_member(member)
        membership = Membership(uuid4(), member.id, level.id)
        membership.activate(level, cmd.paid_at, cmd.amount_minor, cmd.currency)
        await uow.repo.add_membership(membership)
        await uow.repo.add_payment(membership.id, cmd.amount_minor, cmd.currency, cmd.method, cmd.reference,
                                   cmd.paid_at)  # fmt: skip
        await uow.commit([activated_event(membership, member, level, cmd.correlation_id, e) for e in membership.events])
    return membership


def new_correlation_id() -> UUID:
    return uuid4()
