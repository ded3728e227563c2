"""Runs benchmark scenarios N times, prints median/min/max per figure, writes JSON results.

./bench/run            # every scenario built so far, 3 runs each
./bench/run b5 --runs 5
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from typing import Any

from bench import checks
from bench.scenarios import backlog, member_import, relay, rush, webhook
from bench.stack import PG_BIN, ROOT, url

TARGETS = {
    "b1_holds_per_second": ">= 1000",
    "b1_p99_ms": "< 250",
    "b1_seats_sold": "== 1000",
    "b1_errors_other_than_sold_out": "== 0",
    "b2_ratio": ">= 1.0",
    "b3_p50_ms": "< 50",
    "b3_p99_ms": "< 250",
    "b4_emails_per_second": ">= 1000",
    "b4_duplicates": "== 0",
    "b4_unsent_after": "== 0",
    "b5_events_per_second": ">= 20000",
    "b5_unpublished_after": "== 0",
    "b6_conference_peak_rss_mb": "< 300",
    "b8_import_seconds": "< 60",
    "b6_conference_idle_rss_mb": "< 150",
    "b6_membership_idle_rss_mb": "< 150",
    "b6_notifications_idle_rss_mb": "< 150",
    "outbox_unpublished_after": "== 0",
    "dead_letters_during_run": "== 0",
}


def versions() -> dict[str, Any]:
    common = (ROOT / "deploy" / "local" / "common.sh").read_text()
    kafka = next(line.split("=", 1)[1] for line in common.splitlines() if line.startswith("KAFKA_VERSION="))
    version = [str(PG_BIN / "postgres"), "--version"]
    postgres = subprocess.run(version, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603
    return {"cores": os.cpu_count(), "kafka": kafka, "postgres": postgres, "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument(
        "scenarios", nargs="*", default=["b1", "b3", "b4", "b5"], help="b1 (which also gives b2 and b6), b3, b4, b5, b8"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs: list[dict[str, Any]] = []
    if {"b1", "b3"} & set(args.scenarios):
        rush.prepare()
    for n in range(args.runs):
        parked_before = checks.dead_letters()
        figures: dict[str, Any] = {}
        if "b1" in args.scenarios:
            figures |= rush.run(url("conference"))
        if "b3" in args.scenarios:
            figures |= webhook.run()
        if "b4" in args.scenarios:
            figures |= backlog.run()
        if "b5" in args.scenarios:
            figures |= relay.run()
        if "b8" in args.scenarios:
            figures |= member_import.run()
        figures["outbox_unpublished_after"] = checks.unpublished_after()
        figures["dead_letters_during_run"] = checks.dead_letters() - parked_before
        print(f"run {n + 1}: " + ", ".join(f"{k}={v:.4g}" for k, v in figures.items()), flush=True)
        runs.append(figures)
    names = list(runs[0])
    print(f"\n{'figure':38} {'median':>10} {'min':>10} {'max':>10}   target")
    summary = {}
    for name in names:
        values = [r[name] for r in runs]
        summary[name] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
        print(
            f"{name:38} {summary[name]['median']:10.4g} {min(values):10.4g} {max(values):10.4g}   "
            f"{TARGETS.get(name, '')}"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"{stamp}.json").write_text(
        json.dumps({"at": stamp, "machine": versions(), "runs": runs, "summary": summary}, indent=2)
    )
    print(f"\nwritten to bench/results/{stamp}.json")


if __name__ == "__main__":
    main()
