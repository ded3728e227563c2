"""Waits until a Kafka broker answers a metadata request (an open port is not enough)."""

import asyncio
import logging
import sys
import time

from aiokafka.admin import AIOKafkaAdminClient


async def main(bootstrap: str, seconds: float) -> int:
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # refusals are expected while it starts
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
            return 0
        except Exception:  # noqa: BLE001 - any failure means "not ready yet"
            await asyncio.sleep(0.5)
        finally:
            await admin.close()
    return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], float(sys.argv[2]))))
