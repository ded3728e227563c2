"""Running `convene-admin` as an operator does: a process of its own, pointed at the test stack."""

import asyncio
import subprocess
import sys
from dataclasses import dataclass

from tests.support.services import OPERATOR, Stack
from tests.support.stack import kafka_bootstrap


@dataclass(frozen=True)
class Answer:
    code: int
    out: str
    err: str


def stack_settings(stack: Stack) -> dict[str, str]:
    return {
        **{f"{name.upper()}_DATABASE_URL": dsn for name, dsn in stack.databases.items()},
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
        "MEMBERSHIP_API_URL": stack.membership.url,
        "OPERATOR_API_TOKEN": OPERATOR["Authorization"].removeprefix("Bearer "),
    }


async def admin(*args: str, **settings: str) -> Answer:
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", **settings}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "convene_operator", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=170,
    )
    return Answer(done.returncode, done.stdout, done.stderr)
