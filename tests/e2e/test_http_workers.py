"""HTTP_WORKERS > 1: one service, several processes on one port, all serving and all stopping."""

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.support.services import service_process
from tests.support.stack import kafka_bootstrap, stripe_api_base


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes (multiprocessing also starts a resource tracker: not a worker)."""
    children = [int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def healthz_answers(exposition: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "convene_http_requests_total" and sample.labels.get("route") == "/healthz"
    )


def test_two_http_workers_serve_one_port_and_stop_with_the_service(database: str, tmp_path: Path) -> None:
    service = service_process(
        "membership",
        tmp_path,
        DATABASE_URL=database,
        KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap(),
        STRIPE_API_BASE=stripe_api_base(),
        HTTP_WORKERS="2",
    )
    service.start()
    try:
        assert service.process is not None
        workers = workers_of(service.process.pid)
        assert len(workers) == 2
        with httpx.Client(base_url=service.url, timeout=10) as client:
            answers = [client.get("/readyz").status_code for _ in range(40)]
        assert answers == [200] * 40
        # Whichever worker answers the scrape, it counts every worker's requests (docs/operations.md).
        with httpx.Client(base_url=service.url, timeout=10) as client:
            healthy = [client.get("/healthz").status_code for _ in range(30)]
            scrapes = [healthz_answers(client.get("/metrics").text) for _ in range(4)]
        assert healthy == [200] * 30
        assert scrapes == [30] * 4
    finally:
        service.stop()
    assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
