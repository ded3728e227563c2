"""deploy/env/*.env read two ways: by the local stack (`./convene up`) and by `docker run
--env-file`, which takes each value literally. Docker is not needed: its rules are short."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("membership", "conference", "notifications")


def as_docker_reads_it(path: Path) -> dict[str, str]:
    """`docker run --env-file`: leading blanks go, # lines and blank lines are skipped, and the
    value is everything after the first '=' as written, quotes included."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.lstrip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def as_the_local_stack_reads_it(path: Path) -> dict[str, str]:
    """What deploy/local/stack.sh exports to a service from its env file (in a clean environment)."""
    script = f"""
        source '{ROOT}/deploy/local/env_file.sh'
        export_env_file '{path}'
        env -0
    """
    shown = subprocess.run(["bash", "-c", script], env={}, capture_output=True, check=True).stdout.decode()
    exported = dict(entry.split("=", 1) for entry in shown.split("\0") if "=" in entry)
    return {name: exported[name] for name in as_docker_reads_it(path)}


@pytest.mark.parametrize("service", SERVICES)
def test_docker_and_the_local_stack_read_the_same_values_from_the_env_file(service: str) -> None:
    path = ROOT / "deploy" / "env" / f"{service}.env"
    assert as_docker_reads_it(path) == as_the_local_stack_reads_it(path)


def test_the_association_name_reaches_docker_without_quotes() -> None:
    values = as_docker_reads_it(ROOT / "deploy" / "env" / "membership.env")
    assert values["ASSOCIATION_NAME"] == "CIT International"
    assert values["ASSOCIATION_ADDRESS"] == "CIT International, PO Box 0000, Anytown, USA"
