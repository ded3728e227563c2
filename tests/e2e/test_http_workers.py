"""HTTP_WORKERS > 1: one service, several processes on one port, all serving and all stopping."""

from pathlib import Path

import httpx

from tests.support.services import service_process
from tests.support.stack import kafka_bootstrap, stripe_api_base


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes (multiprocessing also starts a resource tracker: not a worker)."""
    children = [int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


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
    finally:
        service.stop()
    assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
