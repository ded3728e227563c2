"""The Stripe test key `./convene secrets` writes must be one stripe-mock accepts: it refuses a key
that is not sk_test_ and letters and digits ("not a valid looking testmode secret API key"),
which broke every join of the compose deployment whose key held a '-' or '_'."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_fresh_stripe_test_key_looks_valid_to_stripe_mock(tmp_path: Path) -> None:
    keys = []
    for n in range(12):  # a urlsafe token has no '-' or '_' about one time in four
        path = tmp_path / f"{n}.env"
        subprocess.run([ROOT / "convene", "secrets", "--env-file", str(path)], capture_output=True, check=True)
        lines = path.read_text().splitlines()
        keys += [line.split("=", 1)[1] for line in lines if line.startswith("STRIPE_SECRET_KEY=")]
    assert len(keys) == 12
    assert [key for key in keys if not re.fullmatch(r"sk_test_[A-Za-z0-9]{32,}", key)] == []
