"""Membership's JSON API as the operator command line uses it, with a staff member's API token:
a person is found by address through the operators' member search, and exported or erased through
the same flows as the member's own page (docs/privacy.md)."""

from typing import Any
from uuid import UUID

import httpx


class ApiError(Exception):
    """The service refused or failed; the message carries its status and detail."""


class MembershipApi:
    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )

    async def __aenter__(self) -> "MembershipApi":
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._client.aclose()

    async def member_with_email(self, email: str) -> UUID | None:
        """The member whose address is exactly `email` (case aside), or None."""
        answer = await self._call("GET", "/members", params={"q": email, "limit": 500})
        wanted = email.strip().lower()
        ids = {row["member_id"] for row in answer.json() if str(row.get("email", "")).lower() == wanted}
        return UUID(ids.pop()) if ids else None

    async def request_export(self, member_id: UUID) -> str:
        answer = await self._call("POST", f"/members/{member_id}/exports")
        url: str = answer.json()["url"]
        return url

    async def gathered(self, url: str) -> tuple[bytes | None, list[str]]:
        """The export's JSON once every service answered, else None and who is still awaited."""
        answer = await self._call("GET", url)
        if answer.status_code == 202:
            return None, list(answer.json().get("waiting_for", []))
        return answer.content, []

    async def erase(self, member_id: UUID) -> None:
        await self._call("POST", f"/members/{member_id}/erase", json={"confirm": "erase my data"})

    async def _call(self, method: str, url: str, **options: Any) -> httpx.Response:
        try:
            answer = await self._client.request(method, url, **options)
        except httpx.HTTPError as error:
            raise ApiError(f"membership could not be reached: {type(error).__name__}: {error}") from error
        if answer.status_code >= 400:
            raise ApiError(f"membership answered {answer.status_code} to {method} {url}: {answer.text[:500]}")
        return answer
