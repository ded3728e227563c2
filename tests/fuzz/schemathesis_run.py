"""One schemathesis run (its `st run` command line) against a live service's /openapi.json: the
four phases, the five checks, a seed and a number of examples per operation."""

import os
import random
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PHASES = "examples,coverage,fuzzing,stateful"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,negative_data_rejection"
)
EXAMPLES = int(os.environ.get("CONVENE_FUZZ_EXAMPLES", "10"))  # per operation and phase
SEED = int(os.environ.get("CONVENE_FUZZ_SEED") or random.randrange(2**31))  # one per run


@dataclass(frozen=True)
class Target:
    """What one run fuzzes: a service, as whom, and which of its operations."""

    name: str
    service: str
    headers: dict[str, str]
    include_path_regex: str | None = None
    exclude_path_regex: str | None = None
    excluded_operations: tuple[str, ...] = field(default=())  # "METHOD /path", each with its reason


@dataclass(frozen=True)
class Outcome:
    returncode: int
    output: str
    cases: int


def command(target: Target, url: str) -> list[str]:
    st = Path(sys.executable).parent / "st"
    args = [str(st), "run", f"{url}/openapi.json", "--phases", PHASES, "--checks", CHECKS]
    args += ["--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "1"]
    args += ["--generation-database", "none", "--no-color", "--request-timeout", "20"]
    for name, value in target.headers.items():
        args += ["--header", f"{name}: {value}"]
    if target.include_path_regex:
        args += ["--include-path-regex", target.include_path_regex]
    if target.exclude_path_regex:
        args += ["--exclude-path-regex", target.exclude_path_regex]
    for operation in target.excluded_operations:
        args += ["--exclude-name", operation]
    return args


def run(target: Target, url: str) -> Outcome:
    with tempfile.TemporaryDirectory() as scratch:  # where st keeps its own state, not the work tree
        done = subprocess.run(
            command(target, url), capture_output=True, text=True, timeout=600, check=False, cwd=scratch
        )
    output = done.stdout + done.stderr
    return Outcome(done.returncode, output, cases_in(output))


def cases_in(output: str) -> int:
    """How many test cases the run made, as its summary says ("448 generated, ...")."""
    found = re.search(r"(\d+) generated", output)
    return int(found[1]) if found else 0
