"""The import pages (M12): upload, the dry run's report with the levels it proposes, the start,
and the progress bar the page keeps reloading until the import is done."""

import re

from tests.support.waiting import wait_until
from tests.support.wild_apricot import export, row

from .conftest import Membership, arrive_signed_in, csrf_of

FILE = export([row(1, "ada@example.org", "Fellows"), row(2, "grace@example.org", "Fellows"), row(3, "oops")])


async def test_an_operator_checks_creates_the_levels_and_imports_from_the_pages(membership: Membership) -> None:
    arrive_signed_in(membership, "operator")
    form = await membership.client.get("/membership/operator/imports")
    assert form.status_code == 200
    token = csrf_of(form)
    empty = await membership.client.post("/membership/operator/imports", data={"csrf_token": token})
    assert empty.status_code == 400
    assert 'id="f-file-error"' in empty.text

    sent = await membership.client.post(
        "/membership/operator/imports", data={"csrf_token": token}, files={"file": ("contacts.csv", FILE, "text/csv")}
    )
    assert sent.status_code == 303, sent.text
    page = await membership.client.get(sent.headers["location"])
    assert "Nothing has been imported yet" in page.text
    assert re.search(r"<td>4</td><td>Email</td><td>&#39;oops&#39; is not an email address</td>", page.text)
    assert "Fellows (2 rows)" in page.text
    path = sent.headers["location"]
    created = await membership.client.post(f"{path}/levels", data={"csrf_token": token, "currency": "usd"})
    assert created.status_code == 303
    started = await membership.client.post(f"{path}/start", data={"csrf_token": token, "leave_out_refused": "yes"})
    assert started.status_code == 303

    async def finished() -> bool:
        return "The import is finished." in (await membership.client.get(path)).text

    await wait_until(finished, seconds=60)
    done = await membership.client.get(path)
    assert '<progress id="progress" max="100" value="100">' in done.text
    assert 'http-equiv="refresh"' not in done.text
    assert await membership.pool.fetchval("SELECT count(*) FROM memberships WHERE status = 'active'") == 2
