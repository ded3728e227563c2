"""The README works as written: a newcomer's first steps, run by the suite so they cannot rot.

In a fresh copy of the work tree (what a clone holds, nothing of this machine's state but the
cached tools), the first of the README's two commands, `./convene up`, starts the local stack;
then every walkthrough block of the README runs exactly as written, in a shell that stops at the
first failing step; then `./convene down`. The other of the two commands, `./convene test`, is
the one running this test."""

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```bash\n(.*?)^```", re.DOTALL | re.MULTILINE)


def walkthroughs(readme: str) -> list[str]:
    """Every bash block after the first, which holds the two commands themselves."""
    blocks = FENCE.findall(readme)
    assert len(blocks) >= 2, "the README has its two commands and at least one walkthrough"
    return blocks[1:]


def _newcomer_env() -> dict[str, str]:
    # What a newcomer's shell has: none of this test run's stack settings (MODE=test and its ports).
    return {k: v for k, v in os.environ.items() if not k.startswith("CONVENE_") and k != "MODE"}


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=_newcomer_env(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def fresh_copy() -> Iterator[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # Under /tmp and enterable by every user: the local stack runs Postgres as 'postgres'.
    copy = Path(tempfile.mkdtemp(prefix="convene-newcomer-", dir="/tmp"))
    copy.chmod(0o755)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    # Built tools (Kafka's jars, stripe-mock, uv) are a cache a second run may reuse, as the README says.
    (copy / ".local").mkdir()
    (copy / ".local" / "cache").symlink_to((ROOT / ".local" / "cache").resolve())
    try:
        yield copy
    finally:
        _run(["./convene", "down"], copy, timeout=120)
        shutil.rmtree(copy, ignore_errors=True)


@pytest.mark.timeout(900)
def test_the_readme_walkthrough_runs_as_written(fresh_copy: Path) -> None:
    up = _run(["./convene", "up"], fresh_copy, timeout=600)
    assert up.returncode == 0, f"./convene up failed:\n{up.stdout}\n{up.stderr}"
    for block in walkthroughs((fresh_copy / "README.md").read_text()):
        ran = _run(["bash", "-e", "-u", "-o", "pipefail", "-c", block], fresh_copy, timeout=180)
        assert ran.returncode == 0, f"a README step failed:\n{block}\n--- output\n{ran.stdout}\n{ran.stderr}"
        if "localhost:8001/me" in block:
            # The walkthrough's last step: the member's own record says the membership is active.
            assert '"status":"active"' in ran.stdout.replace(" ", ""), ran.stdout
