"""Schemathesis against each live service's OpenAPI document: every answer is declared (status,
content type, body), bad input is refused with a 4xx, nothing gives a 500. The run's seed is
printed; `CONVENE_FUZZ_SEED=<seed>` replays it and `CONVENE_FUZZ_EXAMPLES=<n>` lengthens it."""

from dataclasses import replace

import pytest

from tests.fuzz.schemathesis_run import EXAMPLES, SEED, Target, run
from tests.support.services import OPERATOR, ServiceProcess

TARGETS = [
    Target("membership as an operator", "membership", OPERATOR, exclude_path_regex="^/me"),
    # Erasing ends the session the rest of the run uses; tests/e2e and the service's tests cover it.
    Target(
        "membership as a member", "membership", {}, include_path_regex="^/me", excluded_operations=("POST /me/erase",)
    ),
    Target("conference as an operator", "conference", OPERATOR),
    Target("notifications as an operator", "notifications", OPERATOR),
]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_every_answer_is_declared_and_no_input_gives_a_server_error(
    target: Target, fuzzed: dict[str, ServiceProcess], member_session: str, capsys: pytest.CaptureFixture[str]
) -> None:
    as_whom = replace(target, headers=target.headers or {"Authorization": f"Bearer {member_session}"})
    outcome = run(as_whom, fuzzed[target.service].url)
    with capsys.disabled():  # the run's output shows the seed and the cases, passed or failed
        print(
            f"\nfuzz: {target.name}: {outcome.cases} cases, seed {SEED} (CONVENE_FUZZ_SEED={SEED} replays it), "
            f"{EXAMPLES} examples per operation"
        )
    assert outcome.returncode == 0, f"seed {SEED}:\n{outcome.output}"
