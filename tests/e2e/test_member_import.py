"""M12 end to end: an operator imports a Wild Apricot export into membership, and conference,
fed only through Kafka, prices the imported members (a bundle's seat holder included) as members
and the lapsed one as not."""

from uuid import uuid4

import httpx

from tests.support.services import OPERATOR, Stack
from tests.support.waiting import wait_until
from tests.support.wild_apricot import export, row


async def test_imported_members_get_member_prices_at_conference(stack: Stack) -> None:
    domain = f"{uuid4().hex[:8]}.example.org"
    ada, grace, officer = f"ada@{domain}", f"grace@{domain}", f"officer@{domain}"
    individual, agency = f"Individual {domain[:8]}", f"Agency {domain[:8]}"
    data = export(
        [
            row(1, ada, individual),
            row(2, grace, individual, status="Lapsed"),
            row(3, f"chief@{domain}", agency, organization="Agency", bundle="B1", role="Bundle administrator"),
            row(4, officer, agency, organization="Agency", bundle="B1", role="Bundle member"),
        ]
    )
    async with (
        httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as membership,
        httpx.AsyncClient(base_url=stack.conference.url, headers=OPERATOR) as conference,
    ):
        checked = await membership.post("/imports", content=data, params={"file_name": f"{domain}.csv"})
        assert checked.status_code == 201, checked.text
        import_id = checked.json()["id"]
        # The levels are new to this association: the operator confirms the proposed ones.
        created = await membership.post(f"/imports/{import_id}/levels", json={"currency": "usd"})
        assert created.json()["counts"] == {"new": 4, "updated": 0, "unchanged": 0, "refused": 0}, created.text
        started = await membership.post(f"/imports/{import_id}/start", json={})
        assert started.status_code == 202, started.text

        async def member_pricing(email: str) -> bool:
            answer = await conference.get("/member-pricing", params={"email": email})
            return bool(answer.json()["member_pricing"])

        async def both_members() -> bool:
            return await member_pricing(ada) and await member_pricing(officer)

        await wait_until(both_members, seconds=90)
        assert not await member_pricing(grace)
        progress = (await membership.get(f"/imports/{import_id}")).json()
        assert (progress["status"], progress["applied"]) == ("done", {"new": 4})
