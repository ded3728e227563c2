"""The chassis' HTTP metrics (convene_service.metrics): each request is counted under its route
template and its status, never under its raw path."""

from uuid import uuid4

import httpx
from fastapi import FastAPI, HTTPException
from prometheus_client import REGISTRY

from convene_service.metrics import HttpMetrics

SERVICE = f"unit-{uuid4().hex[:8]}"  # a label of this test's own, so other tests' counts do not mix in


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/members/{member_id}")
    async def member(member_id: str) -> dict[str, str]:
        if member_id == "missing":
            raise HTTPException(404, "no such member")
        return {"id": member_id}

    app.add_middleware(HttpMetrics, service=SERVICE, routes=app.router)
    return app


def _count(route: str, status: str) -> float:
    labels = {"service": SERVICE, "method": "GET", "route": route, "status": status}
    return REGISTRY.get_sample_value("convene_http_requests_total", labels) or 0.0


async def test_requests_are_counted_by_route_template_and_status() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/members/a1")).status_code == 200
        assert (await client.get("/members/b2")).status_code == 200
        assert (await client.get("/members/missing")).status_code == 404
        assert (await client.get("/nowhere")).status_code == 404

    assert _count("/members/{member_id}", "200") == 2
    assert _count("/members/{member_id}", "404") == 1
    assert _count("unmatched", "404") == 1
    assert _count("/members/a1", "200") == 0  # no series per id
    timed = {"service": SERVICE, "method": "GET", "route": "/members/{member_id}"}
    assert REGISTRY.get_sample_value("convene_http_request_duration_seconds_count", timed) == 3
