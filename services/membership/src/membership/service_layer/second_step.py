"""The optional second step at sign-in (docs/staff.md): a code from an authenticator app (TOTP,
pyotp). Turning it on proves the app has the secret: the secret is kept only once a code made
from it is right. Owners may turn anyone's off (a lost phone); everyone else only their own."""

from uuid import UUID

from membership.domain.errors import Invalid, NotFound, NotYours
from membership.domain.staff import Actor
from membership.service_layer.deps import Deps
from membership.service_layer.passwords import new_totp_secret, totp_matches, totp_uri


def proposed(deps: Deps, account: str) -> tuple[str, str]:
    """A new secret and the otpauth:// address an authenticator app scans; nothing is stored."""
    secret = new_totp_secret()
    return secret, totp_uri(secret, account, deps.settings.association_name)


async def turn_on(deps: Deps, by: Actor, staff_id: UUID, secret: str, code: str) -> None:
    if by.staff_id != staff_id:
        raise NotYours()  # only the person holding the app can prove it has the secret
    if not totp_matches(secret, code):
        raise Invalid("code", "this code does not match the secret: check the app's clock and try the next code")
    await _set(deps, staff_id, secret)


async def turn_off(deps: Deps, by: Actor, staff_id: UUID) -> None:
    if not by.may_manage(staff_id):
        raise NotYours()
    await _set(deps, staff_id, None)


async def _set(deps: Deps, staff_id: UUID, secret: str | None) -> None:
    async with deps.uow() as uow:
        staff = await uow.staff.get(staff_id, lock=True)
        if staff is None or not staff.active:
            raise NotFound("staff member")
        staff.totp_secret = secret
        await uow.staff.save(staff)
        await uow.commit([])
