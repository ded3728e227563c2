"""The alert rules and their promtool unit tests (deploy/prometheus), checked by Prometheus's
own tool, as CI and an operator would before loading them."""

import subprocess
from pathlib import Path

from tests.support.stack import stack_setting

RULES = Path(__file__).resolve().parents[1] / "deploy" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [stack_setting("CONVENE_TEST_PROMTOOL"), *args], cwd=RULES, capture_output=True, text=True, timeout=60
    )


def test_the_rules_and_the_scrape_config_are_valid() -> None:
    for checked in (
        promtool("check", "rules", "rules.yml", "alerts.yml"),
        promtool("check", "config", "prometheus.yml"),
    ):
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_each_alert_fires_on_its_trouble_and_not_before() -> None:
    tested = promtool("test", "rules", "alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout
